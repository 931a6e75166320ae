/** The shape of one `dsi` subcommand. */
export interface CliCommand {
  /** First word after `dsi`, e.g. "hash". */
  name: string;
  /** One line for `dsi --help`. */
  summary: string;
  /** Full usage text, printed on `dsi NAME --help` and after a usage error. */
  usage: string;
  /** Runs with the words after the subcommand name; resolves to the exit code. */
  run(argv: string[]): Promise<number> | number;
}

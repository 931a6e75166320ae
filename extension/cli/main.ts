/**
 * `dsi`: the engines from the command line, for scripts, benchmarks and checks. Each subcommand
 * lives in its own module and is listed below. Exit codes: 0 success, 1 failure of the run itself,
 * 2 bad arguments (with the usage printed to stderr).
 */
import { UsageError } from './args';
import type { CliCommand } from './command';
import { ringCommand } from './ring';
import { hashCommand } from './hash';
import { idemCommand } from './idem';
import { tableCommand } from './table';
import { keepaliveCommand } from './keepalive';
import { poolCommand } from './pool';
import { txnCommand } from './txn';
import { explainCommand } from './explain';

const commands: CliCommand[] = [
  ringCommand,
  hashCommand,
  tableCommand,
  keepaliveCommand,
  poolCommand,
  idemCommand,
  txnCommand,
  explainCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'dsi — DS Inspector engines on the command line',
    '',
    'Usage: dsi <command> [options]     (dsi <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(help());
    return name === undefined ? 2 : 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`dsi: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dsi ${cmd.name}: ${e.message}\n\n${cmd.usage.trimEnd()}\n`);
      return 2;
    }
    process.stderr.write(`dsi ${cmd.name}: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`dsi: ${(e as Error).stack ?? e}\n`); process.exitCode = 1; },
  );
}

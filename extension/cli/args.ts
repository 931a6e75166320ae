/**
 * Argument parsing for `dsi` subcommands: `--name value`, `--flag`, and positional words. Every
 * problem is a UsageError, which main prints with the subcommand's usage and exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  /** Words that are not options, in order. */
  positional: string[];
  /** Options with their values; a flag without a value maps to "true". */
  options: Map<string, string>;
}

/** Splits argv; `flags` are the option names that take no value. */
export function parseArgs(argv: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!name) throw new UsageError(`bad option "${a}"`);
    if (options.has(name)) throw new UsageError(`option --${name} given twice`);
    if (eq >= 0) options.set(name, a.slice(eq + 1));
    else if (flags.includes(name)) options.set(name, 'true');
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      options.set(name, v);
      i++;
    }
  }
  return { positional, options };
}

/** Reads options one by one and complains about any left unread. */
export class Options {
  private readonly used = new Set<string>();
  constructor(private readonly parsed: ParsedArgs) {}

  get positional(): string[] {
    return this.parsed.positional;
  }

  has(name: string): boolean {
    this.used.add(name);
    return this.parsed.options.has(name);
  }

  string(name: string, fallback?: string): string {
    this.used.add(name);
    const v = this.parsed.options.get(name) ?? fallback;
    if (v === undefined) throw new UsageError(`missing --${name}`);
    return v;
  }

  optionalString(name: string): string | undefined {
    this.used.add(name);
    return this.parsed.options.get(name);
  }

  choice<const T extends string>(name: string, choices: readonly T[], fallback?: T): T {
    const v = this.string(name, fallback);
    if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join('|')}, not "${v}"`);
    return v as T;
  }

  int(name: string, fallback?: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.string(name, fallback === undefined ? undefined : String(fallback));
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer, not "${raw}"`);
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is out of range`);
    if (range.min !== undefined && n < range.min) throw new UsageError(`--${name} must be ≥ ${range.min}`);
    if (range.max !== undefined && n > range.max) throw new UsageError(`--${name} must be ≤ ${range.max}`);
    return n;
  }

  number(name: string, fallback?: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.string(name, fallback === undefined ? undefined : String(fallback));
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${raw}"`);
    if (range.min !== undefined && n < range.min) throw new UsageError(`--${name} must be ≥ ${range.min}`);
    if (range.max !== undefined && n > range.max) throw new UsageError(`--${name} must be ≤ ${range.max}`);
    return n;
  }

  flag(name: string): boolean {
    this.used.add(name);
    return this.parsed.options.get(name) === 'true';
  }

  list(name: string, fallback?: string): string[] {
    return this.string(name, fallback).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** Throws if an option was given that no one read: a typo should not be silently ignored. */
  done(): void {
    for (const k of this.parsed.options.keys()) if (!this.used.has(k)) throw new UsageError(`unknown option --${k}`);
  }
}

/** Writes one JSON value per line. */
export function printJson(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(JSON.stringify(value) + '\n');
}

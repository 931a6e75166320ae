/**
 * `dsi explain`: what Explain Selection recognises in a file, as JSON, one finding per line.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../engines/core/model';
import { explain, LANGUAGES, type Language, recognise } from '../explain';
import { Options, parseArgs, printJson, UsageError } from './args';
import type { CliCommand } from './command';

const usage = `Usage: dsi explain --lang <${LANGUAGES.join('|')}> [options] FILE

Recognises distributed-systems building blocks in FILE (or "-" for standard input) and prints one
JSON object per finding:
  concept      modulo-sharding | hash-function | hash-table | hash-ring | http-keepalive |
               connection-pool | idempotency | ordered-consumption | distributed-transaction
  confidence   0…1
  range        {start: {line, character}, end: {…}}, counted from 0 as VS Code does
  params       what the code sets (shard count and hash, capacity and load factor, timeouts, TTL, …)
  risks        [{id, severity: info|warning|error, message}]
  evidence     the code that matched, on one line

Options:
  --lines A-B            look only at lines A to B (1-based, inclusive), like a selection
  --min-confidence X     drop findings below X (default 0.5)
  --explain              add "explanation": {title, summary, measurements, missing, open}, with
                         numbers measured by the engines (takes seconds)
  --no-sockets           with --explain: skip the experiments on real loopback sockets`;

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'Recognise sharding, hashing, pools, keep-alive, idempotency and transactions in code',
  usage,
  async run(argv) {
    const o = new Options(parseArgs(argv, ['explain', 'no-sockets']));
    const lang = o.choice('lang', LANGUAGES) as Language;
    const minConfidence = o.number('min-confidence', 0.5, { min: 0, max: 1 });
    const withExplanation = o.flag('explain');
    const realTime = !o.flag('no-sockets');
    const lines = o.optionalString('lines');
    o.done();
    if (o.positional.length !== 1) throw new UsageError(o.positional.length === 0 ? 'missing FILE' : `one FILE expected, got ${o.positional.length}`);
    const file = o.positional[0]!;
    let text = readSource(file);
    let origin = { line: 0, character: 0 };
    if (lines !== undefined) {
      const m = /^(\d+)-(\d+)$/.exec(lines);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1])) throw new UsageError(`--lines must be A-B with 1 ≤ A ≤ B, not "${lines}"`);
      const all = text.split('\n');
      if (Number(m[1]) > all.length) throw new UsageError(`--lines starts at line ${m[1]}, but ${file} has ${all.length} lines`);
      text = all.slice(Number(m[1]) - 1, Number(m[2])).join('\n');
      origin = { line: Number(m[1]) - 1, character: 0 };
    }
    for (const f of recognise(text, lang, { origin, minConfidence })) {
      if (!withExplanation) { printJson(f); continue; }
      const e = await explain(f, { realTime });
      printJson({ ...f, explanation: { title: e.title, summary: e.summary, measurements: e.measurements, missing: e.missing, open: e.open } });
    }
    return 0;
  },
};

function readSource(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UserError(`Cannot read ${file}: ${why}. Pass the path of a source file.`);
  }
}

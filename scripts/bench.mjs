#!/usr/bin/env node
// Runs the benchmarks in bench/ (not tests: they print measurements and ratios, they do not fail).
//   npm run bench                 every bench/*.bench.ts, one after another
//   npm run bench -- ring table   only bench/ring.bench.ts and bench/table.bench.ts
// Benchmarks needing the production bundles (activation time, bundle sizes) build them first.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const all = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).sort();
const wanted = process.argv.slice(2);
const files = wanted.length ? wanted.map((w) => `${w}.bench.ts`) : all;
for (const f of files) if (!all.includes(f)) { console.error(`no benchmark bench/${f}; have: ${all.join(', ')}`); process.exit(2); }

let failed = 0;
for (const f of files) {
  console.log(`\n═══ bench/${f} ═══`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Runs every test tier in order and prints a summary: "N passed, N failed". First installs what a
// fresh machine lacks (scripts/ensure-deps.sh).
//   node scripts/test-all.mjs                 all tiers
//   node scripts/test-all.mjs unit webview    only these tiers
// Tiers: typecheck, unit, contract (real Redis and MariaDB started by the tests), webview (headless
// Chromium), integration (mocha inside a real VS Code), e2e (the packaged .vsix in code-server,
// driven by Playwright). Results per tier land in .test-artifacts/results/<tier>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const artifacts = join(root, '.test-artifacts');
const results = join(artifacts, 'results');
mkdirSync(results, { recursive: true });

function findTests(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs).sort()) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...findTests(join(dir, name)));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

function run(cmd, args, env = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** A node:test tier: every *.test.ts under dir, one file at a time (tests start real servers). */
function nodeTier(name, dir, env = {}) {
  return () => {
    const files = findTests(dir);
    if (files.length === 0) return { passed: 0, failed: 0, note: 'no tests' };
    const out = join(results, `${name}.json`);
    rmSync(out, { force: true });
    const code = run(process.execPath, [
      '--import', 'tsx', '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/test-count-reporter.mjs')}`, `--test-reporter-destination=${out}`,
      ...files,
    ], { DSI_ARTIFACTS: artifacts, ...env });
    if (!existsSync(out)) return { passed: 0, failed: 1, note: `runner exited ${code} without results` };
    const r = JSON.parse(readFileSync(out, 'utf8'));
    if (code !== 0 && r.failed === 0) r.failed = 1, r.note = `runner exited ${code}`;
    return r;
  };
}

function stepTier(cmd, args) {
  return () => (run(cmd, args) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, failures: [`${cmd} ${args.join(' ')}`] });
}

const build = () => stepTier('node', ['esbuild.mjs'])();
const tiers = {
  typecheck: stepTier('npx', ['tsc', '-p', '.', '--noEmit']),
  unit: nodeTier('unit', 'test/unit'),
  contract: nodeTier('contract', 'test/contract'),
  webview: () => (build().failed ? { passed: 0, failed: 1, note: 'build failed' } : nodeTier('webview', 'test/webview')()),
  integration: () => {
    if (!existsSync(join(root, 'test/integration/run.mjs'))) return { passed: 0, failed: 0, note: 'no tests' };
    const out = join(results, 'integration.json');
    rmSync(out, { force: true });
    const code = run('node', ['test/integration/run.mjs'], { DSI_ARTIFACTS: artifacts, DSI_RESULT: out });
    if (!existsSync(out)) return { passed: 0, failed: 1, note: `runner exited ${code} without results` };
    return JSON.parse(readFileSync(out, 'utf8'));
  },
  e2e: () => {
    if (findTests('test/e2e').length === 0) return { passed: 0, failed: 0, note: 'no tests' };
    // Package once for every e2e file; start from clean e2e artifacts so old screenshots do not mislead.
    rmSync(join(artifacts, 'e2e'), { recursive: true, force: true });
    const shots = join(artifacts, 'screenshots');
    for (const f of existsSync(shots) ? readdirSync(shots) : []) if (f.endsWith('.png')) rmSync(join(shots, f));
    if (run('npm', ['run', '--silent', 'package']) !== 0) return { passed: 0, failed: 1, failures: ['npm run package'], note: 'packaging failed' };
    return nodeTier('e2e', 'test/e2e', { DSI_VSIX: join(root, 'dist', 'ds-inspector.vsix') })();
  },
};

// On a fresh machine this installs what the tiers need (apt packages, npm packages, code-server);
// when everything is there it is silent and quick. DSI_SKIP_DEPS=1 skips it.
if (process.env.DSI_SKIP_DEPS !== '1') {
  const deps = spawnSync('bash', [join(root, 'scripts/ensure-deps.sh')], { cwd: root, stdio: 'inherit' });
  if (deps.status !== 0) {
    console.error('Could not install the test dependencies (scripts/ensure-deps.sh failed); see above.');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const wanted = process.argv.slice(2);
for (const w of wanted) if (!(w in tiers)) { console.error(`unknown tier "${w}"; tiers: ${Object.keys(tiers).join(', ')}`); process.exit(2); }
const selected = wanted.length ? wanted : Object.keys(tiers);

const summary = [];
const started = Date.now();
for (const name of selected) {
  const t0 = Date.now();
  const r = tiers[name]();
  summary.push({ name, ...r, seconds: (Date.now() - t0) / 1000 });
}
let passed = 0;
let failed = 0;
console.log('\n──────── test summary ────────');
for (const s of summary) {
  passed += s.passed;
  failed += s.failed;
  console.log(`${s.name.padEnd(12)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed  ${s.seconds.toFixed(1)}s${s.note ? `  (${s.note})` : ''}`);
  for (const f of s.failures ?? []) console.log(`    ✗ ${f}`);
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

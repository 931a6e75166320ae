#!/usr/bin/env node
// Runs the mocha suites in test/integration/suite/ inside a real VS Code extension host, through
// @vscode/test-electron's runTests(). Here "VS Code" is test/integration/launcher.sh (code-server
// driven by headless Chromium); set DSI_VSCODE_EXECUTABLE to a desktop `code` binary to use that.
// Writes {"passed":N,"failed":N,"failures":[...]} to $DSI_RESULT (default .test-artifacts/results/integration.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const root = join(import.meta.dirname, '../..');
const artifacts = process.env.DSI_ARTIFACTS ?? join(root, '.test-artifacts');
const resultFile = process.env.DSI_RESULT ?? join(artifacts, 'results', 'integration.json');
const runDir = join(artifacts, 'integration');
const outDir = join(root, 'out', 'integration');
const suiteDir = join(import.meta.dirname, 'suite');

function finish(result) {
  mkdirSync(dirname(resultFile), { recursive: true });
  writeFileSync(resultFile, JSON.stringify(result));
  console.log(`integration: ${result.passed} passed, ${result.failed} failed${result.note ? ` (${result.note})` : ''}`);
  process.exit(result.failed ? 1 : 0);
}

// One integration run at a time per checkout: runs share out/integration and the artifacts folder,
// and several engineers (or a run by hand beside `npm test`) use the same checkout.
const lock = join(artifacts, 'integration.lock');
await acquireLock();
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));

async function acquireLock() {
  const deadline = Date.now() + 15 * 60_000;
  mkdirSync(artifacts, { recursive: true });
  for (let told = false; ; ) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch {
      const holder = lockHolder();
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) finish({ passed: 0, failed: 1, failures: [`another integration run (pid ${holder}) held ${lock} for 15 minutes`], note: 'locked' });
      else if (!told) (told = true), console.log(`integration: waiting for the run in process ${holder} to finish…`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The pid in the lock, or 0 while its holder has not written it yet (or just released it). */
function lockHolder() {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The extension under test, as a development build (inline source maps give readable stacks).
const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) finish({ passed: 0, failed: 1, failures: ['building the extension (node esbuild.mjs) failed'], note: 'build failed' });

// The suites, bundled for the extension host's Node: `vscode` comes from the host, mocha from node_modules.
rmSync(outDir, { recursive: true, force: true });
const entries = readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
await build({
  entryPoints: entries.map((f) => join(suiteDir, f)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
const userDataDir = join(runDir, 'user-data');
const mochaResult = join(runDir, 'mocha.json');
let note;
try {
  await runTests({
    vscodeExecutablePath: process.env.DSI_VSCODE_EXECUTABLE ?? join(import.meta.dirname, 'launcher.sh'),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(outDir, 'index.js'),
    launchArgs: [join(root, 'sample-workspace'), `--user-data-dir=${userDataDir}`, `--extensions-dir=${join(runDir, 'extensions')}`],
    extensionTestsEnv: { DSI_MOCHA_RESULT: mochaResult, DSI_USER_DATA_DIR: userDataDir, DSI_ARTIFACTS: artifacts },
  });
} catch (err) {
  note = err instanceof Error ? err.message : String(err);
}
if (!existsSync(mochaResult)) {
  finish({ passed: 0, failed: 1, failures: [`the test run ended without results: ${note ?? 'no reason given'}`], note: 'no results' });
}
const result = JSON.parse(readFileSync(mochaResult, 'utf8'));
if (note && result.failed === 0) finish({ ...result, failed: 1, failures: [note], note });
finish(result);

/**
 * Stands in for the VS Code executable that @vscode/test-electron's runTests() launches: it accepts
 * VS Code's flags (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
 * --extensions-dir=, a folder to open), starts code-server with VS Code's smoke-test driver, opens
 * the workbench in headless Chromium with the test payload, relays the test runner's output, and
 * exits with the runner's exit code. REAL-VSCODE.md §6 explains the mechanism.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { createProfile, startCodeServer, tail, type CodeServer } from '../harness/codeServer';
import { artifactPath } from '../harness/paths';
import { runnerLine } from './runnerOutput';

export interface LaunchRequest {
  developmentPaths: string[];
  testsPath: string;
  folder: string | undefined;
  userDataDir: string | undefined;
  extensionsDir: string | undefined;
  ignored: string[];
}

/** Flags VS Code desktop needs for itself; they mean nothing to code-server. */
const desktopOnlyFlags = new Set([
  '--no-sandbox', '--disable-gpu-sandbox', '--disable-gpu', '--disable-updates', '--skip-welcome',
  '--skip-release-notes', '--disable-workspace-trust', '--disable-telemetry', '--new-window', '--wait',
]);

export function parseLaunchArgs(argv: string[]): LaunchRequest {
  const req: LaunchRequest = { developmentPaths: [], testsPath: '', folder: undefined, userDataDir: undefined, extensionsDir: undefined, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      if (req.folder !== undefined) throw new Error(`Only one folder can be opened; got "${req.folder}" and "${arg}".`);
      req.folder = resolve(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const takesValue = ['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir'].includes(name);
    if (!takesValue) {
      if (!desktopOnlyFlags.has(name)) req.ignored.push(arg);
      continue;
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new Error(`${name} needs a value.`);
    const path = resolve(value);
    if (name === '--extensionDevelopmentPath') req.developmentPaths.push(path);
    else if (name === '--extensionTestsPath') req.testsPath = path;
    else if (name === '--user-data-dir') req.userDataDir = path;
    else req.extensionsDir = path;
  }
  if (!req.testsPath) throw new Error('--extensionTestsPath is required: this launcher only runs extension tests.');
  if (req.developmentPaths.length === 0) throw new Error('--extensionDevelopmentPath is required.');
  return req;
}

/** The workbench URL that makes code-server load the development extension and run the tests. */
export function testRunUrl(server: { url: string; port: number }, req: LaunchRequest): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ...req.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(req.testsPath)],
  ];
  const folder = req.folder ? `folder=${encodeURIComponent(req.folder)}&` : '';
  return `${server.url}/?${folder}payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main(argv: string[]): Promise<number> {
  const req = parseLaunchArgs(argv);
  if (req.ignored.length) console.log(`[launcher] ignoring flags code-server has no use for: ${req.ignored.join(' ')}`);
  const timeoutMs = Number(process.env.DSI_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);
  const runDir = artifactPath('integration');
  const consoleLog = join(runDir, 'workbench-console.log');
  const base = req.userDataDir ? dirname(req.userDataDir) : runDir;
  const profile = createProfile(base, { userDataDir: req.userDataDir, extensionsDir: req.extensionsDir });
  mkdirSync(base, { recursive: true });

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  // runTests() forwards Ctrl-C as SIGINT; stop code-server's whole group before leaving.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void cleanup().then(() => process.exit(130)));

  try {
    server = await startCodeServer({
      profile,
      folder: req.folder ?? process.cwd(),
      args: ['--vscode-option', 'enable-smoke-test-driver'],
      logFile: join(runDir, 'code-server.log'),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((r) => (settle = r));
    // The workbench calls these in smoke-test-driver mode: the runner's log lines and its exit code.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = runnerLine(args);
      if (line !== undefined) process.stdout.write(line + '\n');
      else appendFileSync(consoleLog, `[${type}] ${format(...args)}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => settle(code));
    page.on('crash', () => {
      console.error('[launcher] the workbench page crashed');
      settle(1);
    });
    await page.goto(testRunUrl(server, req));
    const timer = setTimeout(() => {
      console.error(`[launcher] the extension tests did not finish within ${timeoutMs} ms; stopping. code-server's output:\n${tail(server!.logFile)}`);
      settle(1);
    }, timeoutMs);
    const code = await exitCode;
    clearTimeout(timer);
    if (code !== 0) {
      await page.screenshot({ path: join(runDir, 'failure.png') }).catch(() => undefined);
      console.error(`[launcher] tests exited ${code}; screenshot, workbench console and logs are in ${runDir}`);
    }
    return code;
  } finally {
    await cleanup();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`[launcher] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

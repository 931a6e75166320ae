/**
 * A real VS Code (code-server) for the run command, the integration tests and the e2e tests: one
 * place that knows how to install it, install a .vsix into a throwaway profile, start it quietly on
 * a free loopback port, wait until it answers, and stop it with its extension host.
 * See /work/shared/REAL-VSCODE.md for why each flag is here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './paths';

/** Settings that keep a fresh profile quiet: nothing opens, nothing phones home, nothing nags. */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  // The sample workspace sits inside this git checkout; without this, git asks about the parent repo.
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** A throwaway VS Code profile: user data (settings, logs), extensions, and scratch for code-server. */
export interface Profile {
  userDataDir: string;
  extensionsDir: string;
  /** code-server's config file and TMPDIR. */
  scratchDir: string;
}

/**
 * Creates (or reuses) a profile with quiet settings. By default everything lives under `dir`; an
 * extensions folder can be shared between profiles that install the same .vsix.
 */
export function createProfile(
  dir: string,
  opts: { settings?: Record<string, unknown>; userDataDir?: string; extensionsDir?: string } = {},
): Profile {
  const profile: Profile = {
    userDataDir: opts.userDataDir ?? join(dir, 'user-data'),
    extensionsDir: opts.extensionsDir ?? join(dir, 'extensions'),
    scratchDir: join(dir, 'scratch'),
  };
  for (const d of [join(profile.userDataDir, 'User'), profile.extensionsDir, join(profile.scratchDir, 'tmp')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...opts.settings }, null, 2));
  return profile;
}

let launcher: string | undefined;

/**
 * The code-server launcher (it always runs under Node 24). `scripts/ensure-code-server.sh`
 * installs it once into ~/.cache/ds-inspector and answers at once after that.
 */
export function codeServerLauncher(): string {
  if (launcher) return launcher;
  const r = spawnSync('bash', [join(repoRoot, 'scripts/ensure-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const path = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !existsSync(path)) {
    throw new Error(
      `Could not install or find code-server: scripts/ensure-code-server.sh exited ${r.status}.\n${r.stderr ?? ''}\n` +
        'Run `bash scripts/ensure-deps.sh` (it needs the npm registry and apt) and try again.',
    );
  }
  return (launcher = path);
}

/** Binds `port` (0: any) on 127.0.0.1 and lets go; resolves the port, or undefined when it is taken. */
function probePort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(undefined) : reject(err)));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : undefined));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const port = await probePort(0);
  if (port === undefined) throw new Error('The system assigned no free loopback port.');
  return port;
}

/** Runs code-server's extension-management CLI against the profile; returns its stdout. */
function codeServerCli(profile: Profile, args: string[], what: string): string {
  const r = spawnSync(codeServerLauncher(), ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: codeServerEnv(profile),
  });
  if (r.status !== 0) throw new Error(`${what} failed (code-server exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Installs a .vsix the way a user does, into the profile's extensions folder. */
export function installVsix(profile: Profile, vsix: string): void {
  if (!existsSync(vsix)) throw new Error(`No packaged extension at ${vsix}: run \`npm run package\` first.`);
  codeServerCli(profile, ['--install-extension', vsix, '--force'], `Installing ${vsix} into code-server`);
}

/** `publisher.name@version` of every extension installed in the profile. */
export function listExtensions(profile: Profile): string[] {
  const out = codeServerCli(profile, ['--list-extensions', '--show-versions'], 'Listing the installed extensions');
  return out.split('\n').map((l) => l.trim()).filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

function codeServerEnv(profile: Profile, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // No marketplace: every gallery request would hang offline.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    TMPDIR: join(profile.scratchDir, 'tmp'),
    ...extra,
  };
}

export interface StartOptions {
  profile: Profile;
  /** Folder opened in the window. */
  folder: string;
  /** Defaults to a free port. */
  port?: number;
  /** Extra code-server flags, e.g. `['--vscode-option', 'enable-smoke-test-driver']`. */
  args?: string[];
  /** Extra environment for code-server and so for its extension host. */
  env?: Record<string, string>;
  /** code-server's own output goes here (appended). */
  logFile: string;
  /** How long to wait for /healthz. */
  readyTimeoutMs?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  profile: Profile;
  logFile: string;
  pid: number;
  /** Settles with how code-server ended, when it ends (by stop() or on its own). */
  exited: Promise<string>;
  /** Stops code-server and everything it started (extension host, terminals). Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// If the test process dies without calling stop(), do not leave code-server and its extension host
// behind: they hold ports and half a gigabyte each.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  if (opts.port !== undefined && (await probePort(opts.port)) === undefined) {
    throw new Error(`Port ${opts.port} on 127.0.0.1 is already in use (or not allowed): stop what listens there or choose another port.`);
  }
  const port = opts.port ?? (await freePort());
  const configFile = join(opts.profile.scratchDir, 'code-server.yaml');
  // An explicit config keeps code-server from writing one into the user's home.
  writeFileSync(configFile, 'auth: none\n');
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', opts.profile.userDataDir,
    '--extensions-dir', opts.profile.extensionsDir,
    ...(opts.args ?? []),
    opts.folder,
  ];
  const out = openSync(opts.logFile, 'a');
  const child = spawn(codeServerLauncher(), args, {
    detached: true, // its own process group, so stop() reaches the extension host too
    stdio: ['ignore', out, out],
    env: codeServerEnv(opts.profile, opts.env),
  });
  closeSync(out);
  running.add(child);
  let exited: string | undefined;
  const exitPromise = new Promise<string>((resolve) => {
    const settle = (how: string) => {
      exited ??= how;
      running.delete(child);
      resolve(exited);
    };
    child.once('exit', (code, signal) => settle(`exited with ${code ?? signal}`));
    child.once('error', (err) => settle(`could not start: ${err.message}`));
  });

  const stop = async (): Promise<void> => {
    if (exited) return killGroup(child, 'SIGKILL'); // leftovers of the group, if any
    killGroup(child, 'SIGTERM');
    const gone = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
    killGroup(child, 'SIGKILL');
    if (!gone) await exitPromise;
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server ${exited} before it was ready on ${url}. Its output:\n${tail(opts.logFile)}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${opts.readyTimeoutMs ?? 60_000} ms. Its output:\n${tail(opts.logFile)}`);
    }
    await sleep(200);
  }
  return { url, port, profile: opts.profile, logFile: opts.logFile, pid: child.pid!, exited: exitPromise, stop };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * What every test service (MariaDB, Redis, …) needs: a free loopback port, a throwaway directory,
 * a server binary started in it and awaited until it answers, and a stop that kills it and
 * removes the directory. Servers started here never outlive the test process, even when it
 * crashes: the exit hook kills whatever is still running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port assigned'))));
    });
  });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** Finds a binary on PATH or in the sbin folders Debian puts servers in. */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Returns the path of `binary`, installing Debian's `aptPackage` first when it is missing.
 * Tests need root (or a container) to install; otherwise the error says what to install.
 */
export function ensureBinary(binary: string, aptPackage: string): string {
  const found = findBinary(binary);
  if (found) return found;
  const run = (args: string[]): void => {
    const r = spawnSync('apt-get', args, { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
    if (r.status !== 0)
      throw new Error(`${binary} is missing and "apt-get ${args.join(' ')}" failed (${r.error?.message ?? r.stderr.toString().trim().split('\n').pop()}). Install the Debian package ${aptPackage} and retry.`);
  };
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', aptPackage]);
  const after = findBinary(binary);
  if (!after) throw new Error(`Installed ${aptPackage} but ${binary} is still not on PATH.`);
  return after;
}

export interface ServerProcess {
  readonly port: number;
  /** The throwaway directory the server keeps its files in; removed by stop(). */
  readonly dir: string;
  /** The last lines the server printed, for error messages. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after `graceMs`) and removes its directory. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  /** Short name for messages, e.g. "mariadbd". */
  name: string;
  binary: string;
  args: string[];
  port: number;
  dir: string;
  /** Resolves true once the server is ready for the tests; polled every 50 ms. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}

/** Starts a server process and waits until `ready()` says so, or fails with its output. */
export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  const child = spawn(opts.binary, opts.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => { exited = signal ?? `code ${code}`; running.delete(child); resolve(); });
    child.once('error', (e) => { exited = e.message; running.delete(child); resolve(); });
  });

  const server: ServerProcess = {
    port: opts.port,
    dir: opts.dir,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      }
      rmSync(opts.dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      await server.stop();
      throw new Error(`${opts.name} exited (${exited}) before it was ready. Its last output:\n${tail}`);
    }
    if (await opts.ready().catch(() => false)) return server;
    if (Date.now() > deadline) {
      await server.stop(1000);
      throw new Error(`${opts.name} was not ready within ${opts.timeoutMs ?? 60_000} ms. Its last output:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

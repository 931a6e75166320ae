/**
 * The packaged extension for e2e tests: built and packaged once per test run (test-all.mjs does it
 * and passes DSI_VSIX; a lone test file packages it itself), installed once per distinct .vsix into
 * an extensions folder that every e2e file shares.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProfile, installVsix } from './codeServer';
import { artifactPath, repoRoot } from './paths';

let packaged: string | undefined;

export function packagedVsix(): string {
  if (packaged) return packaged;
  const given = process.env.DSI_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`DSI_VSIX points at ${given}, which does not exist: run \`npm run package\` or unset DSI_VSIX.`);
    return (packaged = given);
  }
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`\`npm run package\` failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return (packaged = join(repoRoot, 'dist', 'ds-inspector.vsix'));
}

/**
 * An extensions folder with `vsix` installed, shared by every session that uses the same file.
 * e2e files may run at once (two engineers, or a file run by hand during `npm test`), so the
 * install is guarded by a lock folder; the others wait for its marker.
 */
export async function extensionsDirWith(vsix: string): Promise<string> {
  const digest = createHash('sha256').update(readFileSync(vsix)).digest('hex').slice(0, 16);
  const dir = join(artifactPath('e2e'), `extensions-${digest}`);
  const extensionsDir = join(dir, 'extensions');
  const marker = join(dir, 'installed');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(marker)) {
    if (takeLock(lock)) {
      try {
        if (!existsSync(marker)) {
          rmSync(dir, { recursive: true, force: true });
          installVsix(createProfile(join(dir, 'installer'), { extensionsDir }), vsix);
          writeFileSync(marker, vsix);
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } else {
      if (Date.now() > deadline) throw new Error(`Waited 180 s for another test process to install ${vsix} (lock ${lock}); if none runs, delete the lock.`);
      await sleep(250);
    }
  }
  return extensionsDir;
}

/** Creates the lock folder; a lock older than three minutes is taken to be left by a dead process. */
function takeLock(lock: string): boolean {
  try {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

/** `publisher.name` from package.json: the folder the extension's logs go to, its id in the API. */
export function extensionId(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${manifest.publisher}.${manifest.name}`;
}

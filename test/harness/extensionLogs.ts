/** The extension's log files in a VS Code profile (what its LogOutputChannel wrote), newest session last. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<user-data>/logs/<session>/exthost<N>/<extension id>/<channel>.log`, in session order. */
export function extensionLogFiles(userDataDir: string, extensionId: string): string[] {
  const logs = join(userDataDir, 'logs');
  const files: string[] = [];
  for (const session of existsSync(logs) ? readdirSync(logs).sort() : []) {
    for (const host of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost')).sort()) {
      const dir = join(logs, session, host, extensionId);
      if (existsSync(dir)) files.push(...readdirSync(dir).sort().map((f) => join(dir, f)));
    }
  }
  return files;
}

/** The text of the extension's channel `channel` (e.g. "DS Inspector"), across sessions; '' if none. */
export function extensionLogText(userDataDir: string, extensionId: string, channel: string): string {
  return extensionLogFiles(userDataDir, extensionId)
    .filter((f) => f.endsWith(`${channel}.log`))
    .map((f) => readFileSync(f, 'utf8'))
    .join('');
}

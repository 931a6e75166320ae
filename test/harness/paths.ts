/** Where the harness finds the checkout and puts what a run leaves behind. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** Screenshots, logs, profiles and results; gitignored, kept by CI as artifacts. */
export const artifactsDir = process.env.DSI_ARTIFACTS ? resolve(process.env.DSI_ARTIFACTS) : join(repoRoot, '.test-artifacts');

export const sampleWorkspace = join(repoRoot, 'sample-workspace');

/** `artifactsDir/<parts>`, created. */
export function artifactPath(...parts: string[]): string {
  const p = join(artifactsDir, ...parts);
  mkdirSync(p, { recursive: true });
  return p;
}

/** A file-name-safe form of a test or step name. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'unnamed';
}

/**
 * The extension host bundle stays light: everything in it is parsed at activation, so the engines'
 * models, simulations and the TypeScript compiler must load in worker threads only. Builds
 * extension.ts exactly as esbuild.mjs does for production and reads esbuild's metafile.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';
import { repoRoot } from '../../harness/paths';

test('the host bundle holds no engine model, simulation or compiler, and stays under 300 KB', async () => {
  const r = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['extension/extension.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: true,
    keepNames: true,
    metafile: true,
    write: false,
    outdir: 'out',
  });
  const inputs = Object.keys(r.metafile.inputs);
  const heavy = inputs.filter((f) =>
    /^extension\/engines\/(?!core\/)[^/]+\/(model|simulation|worker|router|explorer)\.ts$/.test(f) ||
    /^extension\/explain\//.test(f) && !/^extension\/explain\/language\.ts$/.test(f) ||
    /node_modules\/(typescript|mysql2|ioredis|undici)\//.test(f));
  assert.deepEqual(heavy, [], `modules that belong in a worker reached the host bundle:\n${heavy.join('\n')}`);
  const bytes = r.outputFiles.find((f) => f.path.endsWith('extension.js'))!.contents.length;
  assert.ok(bytes < 300 * 1024, `extension.js is ${bytes} bytes`);
});

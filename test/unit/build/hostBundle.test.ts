/**
 * The extension host bundle stays light: everything in it is parsed at activation, so the engines'
 * models, simulations and the TypeScript compiler must load in worker threads only. Builds the host
 * bundle with esbuild.mjs's own production options and reads esbuild's metafile.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../harness/paths';

test('the host bundle holds no engine model, simulation or compiler, and stays under 300 KB', async () => {
  const config = (await import(pathToFileURL(join(repoRoot, 'esbuild.mjs')).href)) as { buildOptions(production: boolean): BuildOptions[] };
  const host = config.buildOptions(true)[0]!;
  assert.deepEqual(Object.keys(host.entryPoints as Record<string, string>), ['extension'], 'the first build is the host bundle');
  const r = await build({ ...host, metafile: true, write: false });
  const inputs = Object.keys(r.metafile.inputs);
  const heavy = inputs.filter((f) =>
    /^extension\/engines\/(?!core\/)[^/]+\/(model|simulation|worker|router|explorer)\.ts$/.test(f) ||
    /^extension\/explain\//.test(f) && !/^extension\/explain\/language\.ts$/.test(f) ||
    /node_modules\/(typescript|mysql2|ioredis|undici)\//.test(f));
  assert.deepEqual(heavy, [], `modules that belong in a worker reached the host bundle:\n${heavy.join('\n')}`);
  const bytes = r.outputFiles.find((f) => f.path.endsWith('extension.js'))!.contents.length;
  assert.ok(bytes < 300 * 1024, `extension.js is ${bytes} bytes`);
});

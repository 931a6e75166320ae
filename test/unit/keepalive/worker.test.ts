import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import type { KeepAliveCounters, RunPart } from '../../../extension/protocol/keepalive';

test('in a worker thread: the view streams while a run goes on, a cancel stops it, dispose ends the worker', async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/keepalive.js, undici inside), into a scratch folder.
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-keepalive-')), 'keepalive.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/keepalive/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const client = await ModelClient.start(out, { kind: 'keepalive' });
  let exited = '';
  client.onExit((why) => { exited = why; });
  try {
    const runningUpdates: RunPart[] = [];
    client.onParts((parts) => {
      const run = parts['run'] as RunPart | undefined;
      if (run?.status === 'running') runningUpdates.push(run);
    });
    const fractions: number[] = [];
    await client.dispatch({ type: 'run', preset: 'keepalive', requests: 300 }, (f) => fractions.push(f));
    assert.ok(runningUpdates.length >= 1, 'parts arrived while the run was going on');
    assert.ok(fractions.length >= 1 && fractions[fractions.length - 1] === 1);
    assert.equal((client.view['counters'] as KeepAliveCounters).socketsOpened, 1);
    assert.equal((client.view['counters'] as KeepAliveCounters).succeeded, 300);

    const race = client.dispatch({ type: 'run', preset: 'race', requests: 200 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    client.cancel();
    await race;
    assert.ok(performance.now() - t0 < 2_000);
    assert.equal((client.view['run'] as RunPart).status, 'cancelled');

    await assert.rejects(() => client.dispatch({ type: 'run', preset: 'nope' }), /Rejected HTTP Keep-Alive operation: intent\.preset/);
  } finally {
    await client.dispose();
    rmSync(dirname(out), { recursive: true, force: true });
  }
  assert.equal(client.alive, false);
  assert.match(exited, /stopped/);
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { UserError } from '../../../extension/engines/core/model';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import type { CountersPart } from '../../../extension/protocol/idempotency';
import { idempotencyFactory } from '../../../extension/engines/idempotency';

test('the model runs in a worker thread behind ModelClient: progress, changed parts, clear rejections', async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/idempotency.js), into a scratch folder.
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-idem-')), 'idempotency.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/idempotency/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const client = await ModelClient.start(out, { kind: 'idempotency', config: idempotencyFactory.defaults() });
  try {
    assert.ok(client.view.tradeoff && client.view.store && client.view.ledger, 'every part arrives with the first view');
    const fractions: number[] = [];
    await client.dispatch({ type: 'send', count: 20_000 }, (f) => fractions.push(f));
    assert.ok(fractions.length > 0, 'progress was reported');
    assert.equal((client.view.counters as CountersPart).produced, 20_000);
    await assert.rejects(client.dispatch({ type: 'duplicate', message: 'm99999' }), (e: unknown) => e instanceof UserError && /no message m99999/.test(e.message));
    await assert.rejects(client.dispatch({ type: 'setWorkers', workers: 0 }), /Rejected Idempotency & Ordering operation: intent.workers: must be ≥ 1/);
  } finally {
    await client.dispose();
    rmSync(dirname(out), { recursive: true, force: true });
  }
});

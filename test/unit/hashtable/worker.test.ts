import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import type { LastOpPart, MetricsPart } from '../../../extension/protocol/hashtable';

test('in a worker thread: a million-key bulk insert reports progress, a cancel stops it, bad intents are refused', async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/hashtable.js), into a scratch folder.
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-hashtable-')), 'hashtable.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/hashtable/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const client = await ModelClient.start(out, { kind: 'hashtable' });
  try {
    await client.dispatch({ type: 'insert', keys: ['alice', 'bob'] });
    assert.equal((client.view['metrics'] as MetricsPart).keys, 2);

    const fractions: number[] = [];
    const bulk = client.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 2_000_000 }, (f) => fractions.push(f));
    while (fractions.length === 0) await new Promise((r) => setTimeout(r, 10));
    client.cancel();
    await bulk;
    const keys = (client.view['metrics'] as MetricsPart).keys;
    assert.ok(keys > 2 && keys < 2_000_002, `${keys} keys`);
    assert.match((client.view['lastOp'] as LastOpPart).note!, /of 2,000,000 — cancelled/);

    await assert.rejects(() => client.dispatch({ type: 'resize', size: 1 }), /Rejected Hash Table operation: intent\.size: must be ≥ 2/);
    await assert.rejects(() => client.dispatch({ type: 'resize', size: 8 }), /Cannot resize to 8/);
    await client.seek(1);
    assert.equal((client.view['metrics'] as MetricsPart).keys, 2);
  } finally {
    await client.dispose();
    rmSync(dirname(out), { recursive: true, force: true });
  }
});

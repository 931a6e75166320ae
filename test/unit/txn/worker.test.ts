import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import type { ExplorerResult, TxnRunPart } from '../../../extension/protocol/txn';

test('in a worker thread: an exploration reports progress and a cancel stops it with a partial result; bad intents are refused', async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/txn.js), into a scratch folder.
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-txn-')), 'txn.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/txn/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const client = await ModelClient.start(out, { kind: 'txn' });
  try {
    assert.equal((client.view['run'] as TxnRunPart).outcome, 'committed');
    await client.dispatch({ type: 'run', run: { protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes'] } });
    assert.equal((client.view['run'] as TxnRunPart).outcome, 'aborted');

    const fractions: number[] = [];
    const exploring = client.dispatch({ type: 'explore', spec: { protocol: '2pc', participants: 4, crashes: 3 } }, (f) => fractions.push(f));
    while (fractions.length === 0) await new Promise((r) => setTimeout(r, 10));
    client.cancel();
    await exploring;
    const [result] = client.view['explorer'] as ExplorerResult[];
    assert.equal(result!.complete, false);
    assert.ok(result!.runs > 0);

    await assert.rejects(() => client.dispatch({ type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 7 } }), /Rejected Transactions operation: intent\.spec\.crashes: must be ≤ 3/);
    await assert.rejects(() => client.dispatch({ type: 'inject', fault: 'crash:nobody@start' }), /there is no node "nobody"/);
    await client.seek(0);
    assert.equal((client.view['run'] as TxnRunPart | null), null);
  } finally {
    await client.dispose();
    rmSync(dirname(out), { recursive: true, force: true });
  }
});

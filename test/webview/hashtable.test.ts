import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { hashTableFactory } from '../../extension/engines/hashtable';
import { DEFAULT_CONFIG, hashTableIntent, type HashTableConfig, type HashTableIntent } from '../../extension/protocol/hashtable';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** A real model's view after these intents: what the host would stream. */
async function viewAfter(config: Partial<HashTableConfig>, intents: HashTableIntent[]): Promise<Record<string, unknown>> {
  const m = hashTableFactory.create({ ...DEFAULT_CONFIG, ...config });
  for (const i of intents) await m.dispatch(i, noRunContext);
  return m.view() as unknown as Record<string, unknown>;
}

async function show(w: WebviewPage, parts: Record<string, unknown>, seq = 1): Promise<void> {
  await w.send({ type: 'snapshot', seq, session: { id: 't1', kind: 'hashtable', title: 'Hash Table 1' }, parts, busy: null });
}

const postedIntent = async (w: WebviewPage): Promise<unknown> => {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  const parsed = hashTableIntent.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return m['intent'];
};

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`hash table (${theme}): a small table draws every slot and numbers the probe sequence`, async () => {
    const w = await openWebview(browser, 'hashtable', { theme });
    await show(w, await viewAfter({ strategy: 'linear', initialSize: 16, hash: 'java' }, [
      { type: 'insert', keys: ['Aa', 'BB', 'AaAa', 'BBBB', 'AaBB', 'carol'] },
      { type: 'lookup', key: 'BBBB' },
    ]));
    const slots = w.page.locator('[data-table="main"] [data-slot]');
    assert.equal(await slots.count(), 16);
    assert.equal(await w.page.locator('[data-table="main"] [data-state="full"]').count(), 6);
    // "Aa" and "BB" share a Java hash: the lookup of BBBB probes past its colliding neighbour.
    await w.page.locator('[data-testid="last-op"]').getByText('look up BBBB').waitFor();
    await w.page.waitForFunction(() => document.querySelectorAll('[data-testid="slots"] circle').length >= 2, undefined, { timeout: 5000 });
    await w.page.waitForTimeout(600);
    await w.screenshot('hashtable-small');
    assert.deepEqual(w.errors, []);
  });
}

test('hash table: the controls post intents that pass the host schema', async () => {
  const w = await openWebview(browser, 'hashtable');
  await show(w, await viewAfter({}, []));
  await w.takePosted();
  await w.page.locator('[data-testid="key-input"] input').fill('alice bob');
  await w.page.getByRole('button', { name: 'Insert', exact: true }).click();
  assert.deepEqual(await postedIntent(w), { type: 'insert', keys: ['alice', 'bob'] });
  await w.page.getByRole('button', { name: 'Look up' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'lookup', key: 'alice' });
  await w.page.getByRole('button', { name: 'Bulk insert' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'bulkInsert', generator: 'sequential', count: 1000 });
  await w.page.getByRole('button', { name: 'Clear' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'clear' });
});

test('hash table: an incremental rehash shows both tables and the migration', async () => {
  const w = await openWebview(browser, 'hashtable');
  const parts = await viewAfter({ strategy: 'chaining', initialSize: 8, maxLoad: 1, rehash: 'incremental', rehashBatch: 1 }, [
    { type: 'insert', keys: Array.from({ length: 9 }, (_, i) => `user:${i}`) },
  ]);
  await show(w, parts);
  assert.equal((parts['rehash'] as { active: boolean }).active, true, 'the model should be mid-rehash');
  await w.page.getByTestId('rehash').waitFor();
  assert.equal(await w.page.locator('[data-table="old"]').count(), 1);
  assert.equal(await w.page.locator('[data-table="new"]').count(), 1);
  await w.screenshot('hashtable-rehash');
});

test('hash table: a large table is drawn as density cells on a canvas', async () => {
  const w = await openWebview(browser, 'hashtable');
  const parts = await viewAfter({ strategy: 'robinhood' }, [{ type: 'bulkInsert', generator: 'random', count: 100_000 }]);
  assert.equal((parts['buckets'] as { mode: string }).mode, 'density');
  await show(w, parts);
  const canvas = w.page.getByTestId('density').locator('canvas');
  await canvas.waitFor();
  const distinctColours = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    return seen.size;
  });
  assert.ok(distinctColours > 3, `the canvas looks blank (${distinctColours} colours)`);
  await canvas.hover({ position: { x: 20, y: 30 } });
  await w.page.locator('.tip').waitFor();
  assert.match((await w.page.locator('.tip').textContent()) ?? '', /keys/);
  await w.screenshot('hashtable-large');
});

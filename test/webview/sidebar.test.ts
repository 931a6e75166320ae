import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { openWebview } from './harness';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const summary = { title: 'Hash Table', subtitle: 'Linear probing · MurmurHash3', metrics: [{ label: 'keys', value: '12' }, { label: 'load factor', value: '0.75', tone: 'warn' as const }] };
const timeline = { length: 3, cursor: 3, from: 0, labels: ['insert a', 'insert b', 'delete a'] };

test('side bar: empty state, then the active session, then patches', async () => {
  const w = await openWebview(browser, 'sidebar', { width: 320, height: 400 });
  await w.send({ type: 'snapshot', seq: 1, session: null, parts: {}, busy: null });
  await w.page.getByTestId('no-session').waitFor();

  await w.send({ type: 'snapshot', seq: 2, session: { id: 's1', kind: 'hashtable', title: 'Hash Table 1' }, parts: { summary, timeline }, busy: null });
  assert.equal(await w.page.getByTestId('sidebar-title').textContent(), 'Hash Table 1');
  assert.equal(await w.page.locator('[data-metric="load factor"] dd').textContent(), '0.75');
  assert.match((await w.page.getByTestId('timeline-position').textContent()) ?? '', /event 3 \/ 3\s*delete a/);
  assert.deepEqual(await w.page.evaluate(() => (window as unknown as { __state: unknown }).__state), { sessionId: 's1', kind: 'hashtable' });

  await w.send({ type: 'patch', seq: 3, parts: { summary: { ...summary, metrics: [{ label: 'keys', value: '13' }] } } });
  assert.equal(await w.page.locator('[data-metric="keys"] dd').textContent(), '13');
  await w.screenshot('sidebar');
  assert.deepEqual(w.errors, []);
});

test('side bar: a gap in patch numbers asks for a snapshot and ignores stale patches', async () => {
  const w = await openWebview(browser, 'sidebar');
  await w.send({ type: 'snapshot', seq: 1, session: { id: 's1', kind: 'hashtable', title: 'T' }, parts: { summary, timeline }, busy: null });
  await w.send({ type: 'patch', seq: 3, parts: { summary: { ...summary, metrics: [{ label: 'keys', value: '99' }] } } });
  const m = await w.waitForPosted((x) => x['type'] === 'resync');
  assert.deepEqual(m, { type: 'resync', seen: 1 });
  assert.equal(await w.page.locator('[data-metric="keys"] dd').textContent(), '12');
});

test('side bar: the scrubber seeks and the open button asks for the panel', async () => {
  const w = await openWebview(browser, 'sidebar');
  await w.send({ type: 'snapshot', seq: 1, session: { id: 's1', kind: 'hashtable', title: 'T' }, parts: { summary, timeline }, busy: null });
  await w.takePosted();
  await w.page.getByRole('button', { name: 'Step back' }).click();
  assert.deepEqual(await w.waitForPosted((x) => x['type'] === 'seek'), { type: 'seek', step: 2 });
  await w.page.getByRole('button', { name: 'Open the full inspector' }).click();
  assert.deepEqual(await w.waitForPosted((x) => x['type'] === 'command'), { type: 'command', command: 'openPanel' });
});

test('side bar: busy shows progress and Cancel posts a cancel', async () => {
  const w = await openWebview(browser, 'sidebar');
  await w.send({ type: 'snapshot', seq: 1, session: { id: 's1', kind: 'hashtable', title: 'T' }, parts: { summary, timeline }, busy: { label: 'insert 1,000,000 keys', fraction: 0.4 } });
  await w.page.getByText('insert 1,000,000 keys').waitFor();
  assert.match(await w.page.locator('.banner.busy').textContent() ?? '', /40%/);
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.waitForPosted((x) => x['type'] === 'cancel');
  await w.send({ type: 'error', message: 'Hash Table 1: "resize" failed: too big.' });
  assert.equal(await w.page.getByTestId('error').textContent(), 'Hash Table 1: "resize" failed: too big.');
});

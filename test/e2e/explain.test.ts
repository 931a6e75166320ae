/**
 * Explain Selection in a real VS Code, used as a user would: open the sample shop's shard router,
 * select the modulo sharding with the keyboard, run "DS Inspector: Explain Selection", read the
 * explanation and the engines' numbers in its view, open the Hash Ring it offers and read there
 * that adding a fifth shard moved as many keys as the engine reports for the same steps. Then
 * select the FNV-1a function, run "Use Selection as Hash Function", read its report and open a hash
 * table that hashes with it; and explain a selection with nothing to find.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { ringFactory } from '../../extension/engines/ring';
import { explainFinding, recogniseSelection } from '../../extension/host/explain/explainService';
import type { MovementReport, RingView } from '../../extension/protocol/ring';
import { sampleWorkspace } from '../harness/paths';
import { waitFor, type Workbench } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';

const FILE = 'shardRouter.ts';
const LINES = readFileSync(join(sampleWorkspace, 'ts/src', FILE), 'utf8').split('\n');
/** `shardFor`, the modulo sharding (1-based, inclusive). */
const SHARD_FOR: [number, number] = [17, 19];
/** `fnv1a32`, the hash function. */
const FNV: [number, number] = [5, 12];
/** The keep-alive `http.Agent`. */
const AGENT: [number, number] = [23, 28];

/** Opens a file with Go to File: its results arrive asynchronously, so Enter waits until the file is the first one. */
async function openFile(wb: Workbench, name: string): Promise<void> {
  await wb.runCommand('Go to File...');
  const box = wb.page.locator('.quick-input-widget .quick-input-box input');
  await box.fill(name);
  const first = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await waitFor(`"${name}" first in Go to File`, async () => ((await first.getAttribute('aria-label').catch(() => null))?.startsWith(name) ? true : undefined));
  await box.press('Enter');
  await wb.page.locator(`.tabs-container .tab.active[aria-label^=${JSON.stringify(name)}]`).first().waitFor();
}

/** Selects whole lines [from, to] with the keyboard, as a person would. */
async function selectLines(wb: Workbench, [from, to]: [number, number]): Promise<void> {
  await wb.runCommand('Go to Line/Column...');
  await wb.answer(`:${from}`);
  for (let i = from; i <= to; i++) await wb.page.keyboard.press('Shift+ArrowDown');
  await waitFor(`lines ${from}–${to} to be selected`, async () => {
    const status = await wb.page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '');
    return /\(\d+ selected\)/.test(status) ? status : undefined;
  });
}

/** What the engines say for the same selection and the ring it opens, in-process: the numbers are deterministic. */
async function expected(): Promise<{ moved: string; report: MovementReport }> {
  const text = LINES.slice(SHARD_FOR[0] - 1, SHARD_FOR[1]).join('\n');
  const { findings } = recogniseSelection(text, 'typescript', { line: SHARD_FOR[0] - 1, character: 0 });
  const e = await explainFinding(findings.find((f) => f.concept === 'modulo-sharding')!, false);
  const ring = ringFactory.create(e.open!.config as never);
  for (const intent of e.open!.intents) ring.dispatch(intent as never, noRunContext);
  return { moved: e.measurements.find((m) => m.id === 'moved-on-add-modulo')!.display, report: (ring.view() as unknown as RingView).movement! };
}

describe('Explain Selection in code-server', { timeout: 420_000 }, () => {
  let vs: VsCodeSession;
  let view: Frame;

  before(async () => { vs = await openVsCode('explain'); });
  after(async () => { await vs?.close(); });

  it('explains a selected modulo sharding with the engines\' numbers, and opens the Hash Ring it offers', async () => {
    const want = await expected();
    await vs.check('explain modulo sharding', async (wb) => {
      await openFile(wb, FILE);
      await selectLines(wb, SHARD_FOR);
      await wb.runCommand('DS Inspector: Explain Selection');
      view = await wb.webview(/Explain Selection[\s\S]*Modulo sharding/, 90_000);
      assert.match(await view.getByTestId('source').innerText(), /shardRouter\.ts · TypeScript · lines 17–19/);
      const card = view.locator('[data-concept="modulo-sharding"]');
      const moved = card.locator('[data-measurement="moved-on-add-modulo"] .value');
      await moved.waitFor({ timeout: 60_000 });
      assert.equal(await moved.innerText(), want.moved, 'the view shows the engine\'s share of keys moved by a fifth shard');
      assert.match(await card.getByTestId('summary').innerText(), /adding a fifth server moves/);
      assert.equal(await card.locator('[data-risk="modulo-resharding"]').count(), 1);
      assert.equal(await card.getByTestId('reveal').innerText(), 'line 18');
      await wb.screenshotThemes('explain-panel');

      await card.getByTestId('open').click();
      const ring = await wb.webview(/Hash Ring 1[\s\S]*Compare schemes/, 60_000);
      await waitFor('the ring to add s5 and report the keys it moved', async () => ((await ring.getByTestId('moved-count').innerText().catch(() => '')) === want.report.moved.toLocaleString('en-US') ? true : undefined), 60_000,
        async () => `moved count ${JSON.stringify(await ring.getByTestId('moved-count').innerText().catch(() => null))}`);
      assert.equal(await ring.getByTestId('moved-count').innerText(), want.report.moved.toLocaleString('en-US'));
      assert.match(await ring.getByTestId('timeline-position').innerText(), /add s5/);
      await wb.screenshotThemes('explain-opened-ring');
    });
  });

  it('measures a selected hash function beside FNV-1a and Murmur3, and opens a hash table that hashes with it', async () => {
    await vs.check('use selection as hash', async (wb) => {
      await openFile(wb, FILE);
      await selectLines(wb, FNV);
      await wb.runCommand('DS Inspector: Use Selection as Hash Function');
      view = await wb.webview(/beside FNV-1a and Murmur3/, 90_000);
      const headers = await view.locator('[data-testid="hash-table"] thead th').allInnerTexts();
      assert.deepEqual(headers, ['On 20,000 keys', 'fnv1a32 (yours)', 'FNV-1a (32-bit)', 'MurmurHash3 x86 32']);
      await wb.screenshotThemes('explain-hash');
      await view.getByTestId('use-hashtable').click();
      const table = await wb.webview(/Hash Table 1[\s\S]*fnv1a32 \(your code\)/, 60_000);
      await waitFor('2,000 keys hashed with the selection', async () => (/^2,000$/.test(await table.locator('[data-metric="keys"] dd').innerText().catch(() => '')) ? true : undefined), 60_000);
      assert.match(await table.getByTestId('subtitle').innerText(), /fnv1a32 \(your code\)/);
    });
  });

  it('offers "Explain with DS Inspector" as a code action, and measures keep-alive on real sockets after the quick answer', async () => {
    await vs.check('code action', async (wb) => {
      await openFile(wb, FILE);
      await selectLines(wb, AGENT);
      await wb.page.keyboard.press('Control+.');
      const action = wb.page.locator('.action-widget').getByText('Explain with DS Inspector', { exact: true });
      await action.waitFor();
      await action.click();
      view = await wb.webview(/Explain Selection[\s\S]*HTTP keep-alive/, 90_000);
      assert.match(await view.getByTestId('source').innerText(), /lines 23–28/);
      const card = view.locator('[data-concept="http-keepalive"]');
      // The experiment on loopback sockets answers after the quick explanation: 50 requests, a socket each without keep-alive.
      await card.locator('[data-measurement="sockets-no-keepalive"] .value').waitFor({ timeout: 90_000 });
      assert.equal(await card.locator('[data-measurement="sockets-no-keepalive"] .value').innerText(), '50');
      assert.equal(await card.locator('[data-measurement="sockets-keepalive"] .value').innerText(), '1');
      assert.equal(await card.getByTestId('real-time').count(), 0, 'the socket experiment has finished');
    });
  });

  it('says what it looked for when the selection holds none of its building blocks', async () => {
    await vs.check('nothing found', async (wb) => {
      await openFile(wb, FILE);
      await selectLines(wb, [1, 2]);
      await wb.runCommand('DS Inspector: Explain Selection');
      const nothing = await wb.webview(/Nothing recognised in this selection/, 60_000);
      assert.match(await nothing.getByTestId('nothing-found').innerText(), /Consistent hash ring[\s\S]*Idempotency key/);
    });
  });
});

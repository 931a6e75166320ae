/**
 * The Idempotency lab's webview in headless Chromium, fed with the real model's view: the weak
 * check's late duplicate, round robin against per-key lanes, the strong check, a real Redis that
 * goes away mid-run, and every control posting what the host's schemas accept.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { IdempotencyModel } from '../../extension/engines/idempotency/model';
import { webviewMessage } from '../../extension/protocol';
import { defaultSettings, intentSchema, type IdempotencyIntent, type LabSettings } from '../../extension/protocol/idempotency';
import { launchChromium } from '../harness/browser';
import { startRedis } from '../services/redis';
import { openWebview, type Theme, type WebviewPage } from './harness';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const quiet = { duplicateRate: 0, reorderRate: 0, maxDelayMs: 0, ackLossRate: 0, crashRate: 0, ackTimeoutMs: 300, maxDeliveries: 10 };

function lab(settings: Partial<LabSettings> = {}): IdempotencyModel {
  return new IdempotencyModel({ seed: 1, settings: { ...defaultSettings(), ...settings } });
}

/** A real model's view after these intents: what the host would stream. */
async function viewAfter(m: IdempotencyModel, intents: IdempotencyIntent[]): Promise<Record<string, unknown>> {
  for (const i of intents) await m.dispatch(i, noRunContext);
  return m.view() as unknown as Record<string, unknown>;
}

async function show(w: WebviewPage, parts: Record<string, unknown>, seq = 1): Promise<void> {
  await w.send({ type: 'snapshot', seq, session: { id: 't1', kind: 'idempotency', title: 'Idempotency & Ordering 1' }, parts, busy: null });
}

/** The radio labelled `label` in the choice group `group`. */
const radio = (w: WebviewPage, group: string, label: string) => w.page.getByTestId(group).locator(`vscode-radio[aria-label=${JSON.stringify(label)}]`);

const counter = async (w: WebviewPage, id: string): Promise<string> => (await w.page.locator(`[data-metric="${id}"] dd.value`).innerText()).trim();

/** Waits for the next intent the webview posts and checks the host would accept it. */
const postedIntent = async (w: WebviewPage): Promise<unknown> => {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  assert.ok(webviewMessage.parse(m).ok, `the envelope would be rejected: ${JSON.stringify(m)}`);
  const parsed = intentSchema.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return m['intent'];
};

// The weak check's story: copies inside the TTL are dropped; one sent after the TTL runs again.
const weakStory: IdempotencyIntent[] = [
  { type: 'setCheck', check: 'weak' },
  { type: 'setTtl', ttlMs: 100 },
  { type: 'send', count: 20 },
  { type: 'advance', ms: 200 },
  { type: 'duplicate' },
];

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`idempotency (${theme}): the weak check lets a late duplicate through, and the panel says so`, async () => {
    const w = await openWebview(browser, 'idempotency', { theme, height: 1100 });
    const m = lab();
    const parts = await viewAfter(m, weakStory);
    const c = parts['counters'] as { delivered: number; duplicatesDropped: number; duplicatesSlipped: number; effects: number; orderViolations: number };
    await show(w, parts);
    assert.equal(await counter(w, 'delivered'), String(c.delivered));
    assert.equal(await counter(w, 'dropped'), String(c.duplicatesDropped));
    assert.equal(await counter(w, 'slipped'), '1');
    assert.equal(await counter(w, 'effects'), String(c.effects));
    assert.equal(await counter(w, 'violations'), String(c.orderViolations));
    const verdict = w.page.locator('[data-verdict="duplicates"]');
    assert.equal(await verdict.getAttribute('data-tone'), 'bad');
    assert.match(await verdict.innerText(), /Weak check: 1 copy slipped through[\s\S]*m20 \(acct-\d+\) ran again on worker \d/);
    // The slipped run is drawn in its worker's lane, marked, and listed as notable.
    assert.equal(await w.page.locator('[data-testid="lanes"] [data-slipped="true"]').count(), 1);
    await w.page.getByTestId('notable').getByText(/m20 .* ran again/).click();
    assert.ok((await w.page.locator('[data-testid="lanes"] .item.faded').count()) > 0, 'picking an event dims the other messages');
    assert.equal(await w.page.locator('[data-testid="lanes"] .item.active').count(), await w.page.locator('[data-testid="lanes"] [data-msg="m20"]').count());
    // The ledger shows the double charge.
    assert.match(await w.page.getByTestId('ledger-total').innerText(), /overcharged in 1 double charge/);
    assert.equal(await w.page.locator('[data-testid="ledger-table"] tr.over').count(), 1);
    // The key m20 set when it ran again is in the store table with its TTL.
    assert.match(await w.page.locator('[data-testid="store-table"] tr[data-key="weak:payment:m20"]').innerText(), /key set[\s\S]*d\d+[\s\S]*\d+ ms/);
    assert.match(await w.page.getByTestId('timeline-position').innerText(), /event 5 \/ 5/);
    await w.screenshot('idempotency-weak');
    assert.deepEqual(w.errors, []);
  });
}

test('idempotency: round robin breaks per-key order, per-key lanes keep it, and the trade-off chart marks the lab', async () => {
  const w = await openWebview(browser, 'idempotency', { height: 1100 });
  const rr = await viewAfter(lab({ dispatch: 'roundrobin', workers: 4, faults: quiet }), [{ type: 'send', count: 80 }]);
  const rrCounters = rr['counters'] as { violationsByDispatch: number; orderViolations: number };
  assert.ok(rrCounters.violationsByDispatch > 0, 'round robin should have reordered some key');
  await show(w, rr);
  assert.equal(await counter(w, 'violations'), String(rrCounters.orderViolations));
  assert.ok((await w.page.locator('[data-testid="lanes"] [data-violation="dispatch"]').count()) > 0);
  const order = w.page.locator('[data-verdict="order"]');
  assert.equal(await order.getAttribute('data-tone'), 'bad');
  assert.match(await order.innerText(), /Round robin × 4: \d+ order violations?/);
  // The lab's point is ringed on the round-robin line, at 4 workers.
  assert.equal(await w.page.locator('[data-testid="tradeoff-chart"] circle.here').count(), 1);
  // Highlighting a key shows its messages' places in the key's order.
  await w.page.locator('.keys .chip').first().click();
  assert.ok((await w.page.locator('[data-testid="lanes"] text.in-bar', { hasText: /^#\d+$/ }).count()) > 0);
  await w.screenshot('idempotency-roundrobin');

  const kh = await viewAfter(lab({ dispatch: 'keyhash', workers: 4, faults: quiet }), [{ type: 'send', count: 80 }]);
  await show(w, kh, 2);
  assert.equal(await counter(w, 'violations'), '0');
  assert.equal(await w.page.locator('[data-verdict="order"]').getAttribute('data-tone'), 'good');
  assert.match(await w.page.locator('[data-verdict="order"]').innerText(), /busiest worker took \d+% of the work/);
  // Other skews switch the chart without touching the lab.
  await w.takePosted();
  await w.page.locator('.skews vscode-button', { hasText: /^2/ }).click();
  assert.match((await w.page.getByTestId('tradeoff-chart').getAttribute('aria-label')) ?? '', /skew 2/);
  assert.deepEqual((await w.takePosted()).filter((x) => (x as { type: string }).type === 'intent'), []);
  assert.deepEqual(w.errors, []);
});

test('idempotency: 64 round-robin workers over a long run stay readable', async () => {
  const w = await openWebview(browser, 'idempotency', { height: 1400 });
  const parts = await viewAfter(lab({ dispatch: 'roundrobin', workers: 64 }), [{ type: 'send', count: 3000 }]);
  await show(w, parts);
  assert.equal(await w.page.locator('[data-testid="lanes"] [data-lane]').count(), 66);
  assert.equal(await w.page.locator('[data-testid="lanes"] g.item').count(), (parts['lanes'] as { items: unknown[] }).items.length);
  const box = await w.page.getByTestId('lanes').boundingBox();
  assert.ok(box && box.height < 1000, `the lanes should stay compact: ${box?.height} px`);
  assert.equal(await w.page.locator('[data-testid="tradeoff-chart"] circle.here').count(), 1, 'the grid includes 64 workers');
  assert.ok((await w.page.evaluate(() => document.documentElement.scrollWidth)) <= 1280, 'nothing may widen the page past the panel');
  await w.screenshot('idempotency-64-workers');
  assert.deepEqual(w.errors, []);
});

test('idempotency: the strong check runs each message once and rejects a changed payload', async () => {
  const w = await openWebview(browser, 'idempotency', { height: 1100 });
  const parts = await viewAfter(lab({ check: 'strong', dispatch: 'roundrobin', workers: 8, serviceMs: 50, faults: { ...quiet, duplicateRate: 1, maxDelayMs: 5 } }), [
    { type: 'send', count: 12 },
    { type: 'duplicate', changePayload: true },
  ]);
  await show(w, parts);
  assert.equal(await counter(w, 'slipped'), '0');
  assert.equal(await counter(w, 'effects'), '12');
  assert.equal(await w.page.locator('[data-verdict="duplicates"]').getAttribute('data-tone'), 'good');
  assert.match(await w.page.locator('[data-verdict="duplicates"]').innerText(), /every message ran once[\s\S]*changed payload rejected/);
  assert.match(await w.page.getByTestId('notable').innerText(), /m12 .* rejected .* different payload/);
  assert.match(await w.page.locator('[data-testid="store-table"] tr[data-key="strong:payment:m12"]').innerText(), /succeeded[\s\S]*charged \d+ to acct-\d+/);
  await w.screenshot('idempotency-strong');
  assert.deepEqual(w.errors, []);
});

test('idempotency: every control posts an intent the host accepts', async () => {
  const w = await openWebview(browser, 'idempotency', { height: 1100 });
  await show(w, await viewAfter(lab(), [{ type: 'send', count: 3 }]));
  await w.takePosted();
  const page = w.page;

  await page.locator('[data-testid="send-count"] input').fill('250');
  await radio(w, 'scenario', 'Text notifications').click();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  assert.deepEqual(await postedIntent(w), { type: 'send', count: 250, scenario: 'notification' });

  await page.getByRole('button', { name: 'Send duplicate' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'duplicate' });
  await page.locator('[data-testid="duplicate-message"] input').fill('m2');
  await page.getByRole('button', { name: 'Changed payload' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'duplicate', message: 'm2', changePayload: true });

  await page.locator('[data-testid="advance-ms"] input').fill('45000');
  await page.getByRole('button', { name: 'Advance' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'advance', ms: 45000 });

  await radio(w, 'check', 'strong').click();
  assert.deepEqual(await postedIntent(w), { type: 'setCheck', check: 'strong' });
  await radio(w, 'dispatch', 'Round robin').click();
  assert.deepEqual(await postedIntent(w), { type: 'setDispatch', dispatch: 'roundrobin' });
  await radio(w, 'workers', '16').click();
  assert.deepEqual(await postedIntent(w), { type: 'setWorkers', workers: 16 });

  await page.locator('[data-field="ttlMs"] input').fill('1,500');
  await page.getByRole('button', { name: 'Apply TTL and lease' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'setTtl', ttlMs: 1500 });

  await page.locator('details summary').click();
  await radio(w, 'partitioner', 'FNV-1a (32-bit)').click();
  assert.deepEqual(await postedIntent(w), { type: 'setDispatch', dispatch: 'keyhash', partitioner: 'fnv1a32' });
  await page.locator('[data-field="duplicateRate"] input').fill('25');
  await page.locator('[data-field="ackTimeoutMs"] input').fill('120');
  await page.getByRole('button', { name: 'Apply faults' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'setFaults', duplicateRate: 0.25, ackTimeoutMs: 120 });
  await page.locator('[data-field="skew"] input').fill('2');
  await page.getByRole('button', { name: 'Apply workload' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'setWorkload', skew: 2 });

  // A value out of range says why and sends nothing.
  await page.locator('[data-field="crashRate"] input').fill('250');
  await page.getByRole('button', { name: 'Apply faults' }).click();
  await page.getByRole('alert').filter({ hasText: 'Crashes: 250 is out of range (0–100 %).' }).waitFor();
  assert.deepEqual((await w.takePosted()).filter((x) => (x as { type: string }).type === 'intent'), []);

  // Redis needs the host (URL and password live there): the webview only asks for the command.
  await page.getByRole('button', { name: 'Use Redis…' }).click();
  const cmd = await w.waitForPosted((x) => x['type'] === 'command');
  assert.ok(webviewMessage.parse(cmd).ok);
  assert.deepEqual(cmd, { type: 'command', command: 'useRedis' });
  assert.deepEqual(w.errors, []);
});

test('idempotency: on a real Redis, TTLs count down in the browser; when Redis goes away the panel offers the in-memory store', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const m = lab({ check: 'weak', ttlMs: 30_000, faults: quiet });
  try {
    const w = await openWebview(browser, 'idempotency', { height: 1100 });
    await show(w, await viewAfter(m, [{ type: 'useRedis', url: redis.url }, { type: 'send', count: 4 }]));
    assert.match(await w.page.getByTestId('store-kind').innerText(), new RegExp(`redis://127\\.0\\.0\\.1:${redis.port}`));
    const ttl = async (): Promise<number> => Number((await w.page.locator('[data-testid="store-table"] [data-testid="ttl"]').first().innerText()).replace(/ s$/, '')) * 1000;
    const first = await ttl();
    await w.page.waitForTimeout(1500);
    const later = await ttl();
    assert.ok(first - later >= 1000 && first - later <= 2500, `the TTL should count down in real time: ${first} → ${later}`);

    // A command's failure (here the first try, before the password) shows until the next operation starts.
    await w.send({ type: 'error', message: `Idempotency & Ordering 1: "use Redis" failed: Redis at ${redis.url} needs a password (NOAUTH Authentication required.).` });
    await w.page.getByTestId('error').waitFor();
    assert.match(await w.page.getByTestId('store-error').innerText(), /The last step failed on Redis at/);
    await w.send({ type: 'busy', busy: { label: 'use Redis' } });
    await w.send({ type: 'busy', busy: null });
    assert.equal(await w.page.getByTestId('error').count(), 0);
    assert.equal(await w.page.getByTestId('store-error').count(), 0);

    // Redis goes away in the middle of a run: the step stops there, fail closed.
    const run = m.dispatch({ type: 'send', count: 400 }, noRunContext).then(() => 'finished', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 150));
    await redis.stop();
    assert.match(await run, /Redis at redis:\/\/127\.0\.0\.1:\d+ \((?!Reached)[\s\S]*not executed and not acked \(fail closed\)/);
    const down = m.view() as unknown as Record<string, unknown>;
    assert.ok((down['counters'] as { storeErrors: number }).storeErrors > 0);
    await show(w, down, 2);
    assert.match(await w.page.getByTestId('store-error').innerText(), /Redis at redis:\/\/127\.0\.0\.1:\d+[\s\S]*Nothing ran twice/);
    assert.match(await w.page.getByTestId('minor-counters').innerText(), /\d+ store errors? \(fail closed\)/);
    await w.screenshot('idempotency-redis-down');
    await w.takePosted();
    await w.page.getByTestId('store-error').getByRole('button', { name: 'Use in-memory store' }).click();
    assert.deepEqual(await postedIntent(w), { type: 'useMemory' });
    assert.deepEqual(w.errors, []);
  } finally {
    await m.dispose();
    await redis.stop();
  }
});

/**
 * The Transactions webview in headless Chromium, fed with the real model's view: a clean 2PC run,
 * 2PC with the coordinator crashing after the votes (participants blocked holding their locks), a
 * saga compensating in reverse order, and explorations with counterexamples. Every intent the
 * webview posts is checked against the host's schema; screenshots in a dark and a light theme.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { TxnModel, txnFactory } from '../../extension/engines/txn';
import type { RunSpec, TxnIntent, TxnView } from '../../extension/protocol/txn';
import { txnIntentSchema } from '../../extension/protocol/txn';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

function model(intents: TxnIntent[]): TxnModel {
  const m = txnFactory.create({}) as TxnModel;
  for (const i of intents) m.dispatch(i, noRunContext);
  return m;
}

const viewOf = (m: TxnModel): TxnView => m.view();
const run = (r: RunSpec): TxnIntent => ({ type: 'run', run: r });

async function show(w: WebviewPage, v: TxnView, seq = 1): Promise<void> {
  await w.send({ type: 'snapshot', seq, session: { id: 't1', kind: 'txn', title: 'Transactions 1' }, parts: v as unknown as Record<string, unknown>, busy: null });
}

async function postedIntent(w: WebviewPage): Promise<TxnIntent> {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  const parsed = txnIntentSchema.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return parsed.value;
}

async function postedSeek(w: WebviewPage): Promise<number> {
  const m = await w.waitForPosted((x) => x['type'] === 'seek');
  return m['step'] as number;
}

const count = (w: WebviewPage, selector: string): Promise<number> => w.page.locator(selector).count();

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`txn (${theme}): a clean two-phase commit draws every lane, message, lock and log write, and every invariant holds`, async () => {
    const v = viewOf(model([run({ protocol: '2pc', participants: 5, faults: [] })]));
    const w = await openWebview(browser, 'txn', { theme, height: 1100 });
    await show(w, v);
    const lanes = v.lanes!;
    assert.equal(await count(w, '.lane-head'), 6, 'coordinator and five participants');
    assert.equal(await count(w, '[data-fate="delivered"]'), lanes.arrows.length);
    assert.equal(await count(w, '[data-lock][data-end="released"]'), 5);
    assert.equal(await count(w, '[data-mark="log"]'), lanes.marks.filter((m) => m.kind === 'log').length);
    assert.equal(await count(w, '[data-invariant][data-status="holds"]'), 5);
    assert.match(await w.page.locator('[data-verdict="outcome"]').innerText(), /All 5 committed/);
    assert.match(await w.page.getByTestId('money-total').innerText(), /Money total\s+100\s+100/);
    // The step log reads each row; the last one is the coordinator's end record.
    assert.match(await w.page.locator('text.log.at').textContent() ?? '', /coordinator: log end/);
    await w.screenshot('txn-2pc-clean');
    assert.deepEqual(w.errors, []);
  });

  test(`txn (${theme}): the coordinator crashing after the votes leaves every participant blocked, holding its lock`, async () => {
    const m = model([run({ protocol: '2pc', participants: 5, faults: ['crash:coordinator@after-votes'] })]);
    const end = viewOf(m);
    const since = end.invariants!.blockedSince!;
    m.seek(end.lanes!.stepOffset + since + 12);
    const v = viewOf(m);
    const w = await openWebview(browser, 'txn', { theme, height: 1100 });
    await show(w, v);
    assert.equal(await count(w, '[data-blocked]'), 5, 'a blocked span on each participant');
    assert.equal(await count(w, '[data-lock][data-end="held"]'), 5, 'each still holds its lock');
    assert.equal(await count(w, '[data-down="coordinator"]'), 1);
    assert.equal(await count(w, '.lane-head.down[data-lane="coordinator"]'), 1);
    assert.equal(await count(w, '.lane-head.doubt'), 5);
    assert.ok((await count(w, '[data-fate="dropped"]')) > 0, 'queries to the dead coordinator are dropped');
    assert.match(await w.page.locator('[data-verdict="blocked"]').innerText(), new RegExp(`Blocked[\\s\\S]*Since step ${since}`));
    assert.equal(await w.page.locator('[data-invariant="blocked"]').getAttribute('data-status'), 'blocked');
    await w.screenshot('txn-2pc-blocked');

    // The blocked verdict's link moves the cursor to where the blocking began.
    await w.takePosted();
    await w.page.locator('[data-verdict="blocked"] .link').click();
    assert.equal(await postedSeek(w), v.lanes!.stepOffset + since);
    // Keys on the diagram move the cursor a step at a time.
    await w.page.getByRole('slider', { name: /Run step shown/ }).focus();
    await w.page.keyboard.press('ArrowUp');
    assert.equal(await postedSeek(w), v.timeline.cursor - 1);
    assert.deepEqual(w.errors, []);
  });

  test(`txn (${theme}): a saga whose last step fails compensates in reverse order and gives the money back`, async () => {
    const v = viewOf(model([run({ protocol: 'saga', participants: 5, faults: ['fail:inventory'] })]));
    const w = await openWebview(browser, 'txn', { theme, height: 1100 });
    await show(w, v);
    const undone = await w.page.locator('.mark.commit.undo').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    assert.deepEqual(undone, ['points', 'coupon', 'payment', 'order']);
    assert.match(await w.page.locator('[data-verdict="outcome"]').innerText(), /All 5 compensated/);
    assert.match(await w.page.locator('[data-balance="payment.wallet"]').innerText(), /100\s+100/);
    assert.equal(await count(w, '[data-lock]'), 0, 'a saga takes no locks');
    await w.screenshot('txn-saga-compensation');
    assert.deepEqual(w.errors, []);
  });

  test(`txn (${theme}): explorations side by side; a broken invariant opens its shortest counterexample where it broke`, async () => {
    const m = model([
      { type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 1 } },
      { type: 'explore', spec: { protocol: 'saga', participants: 3, crashes: 0, messages: 1, variant: 'non-idempotent-compensation', faults: ['fail:coupon'] } },
      { type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 1, variant: 'commit-before-log' } },
    ]);
    const v = viewOf(m);
    const w = await openWebview(browser, 'txn', { theme, height: 1000 });
    await show(w, v);
    assert.equal(await count(w, '[data-exploration]'), 3);
    const buggy = w.page.locator('[data-exploration="0"]');
    assert.equal(await buggy.getAttribute('data-variant'), 'commit-before-log');
    assert.match(await buggy.locator('[data-cell="atomicity"]').innerText(), /✕ \d+/);
    const correct = w.page.locator('[data-exploration="2"]');
    assert.equal(await correct.locator('[data-cell="atomicity"]').innerText(), '✓', 'correct 2PC never breaks atomicity');
    assert.match(await correct.locator('[data-cell="blocked"]').innerText(), /^[1-9]\d*$/, 'but it blocks');
    assert.match(await w.page.locator('[data-exploration="1"] [data-cell="money"]').innerText(), /✕/, 'the refund paid twice breaks money');
    assert.match(await w.page.getByTestId('explore-latest').innerText(), /planted bug is caught/);
    await w.screenshot('txn-explorer');

    await w.takePosted();
    await buggy.locator('[data-cell="atomicity"] button').click();
    const intent = await postedIntent(w);
    const ce = v.explorer[0]!.counterexamples.find((c) => c.invariant === 'atomicity')!;
    assert.deepEqual(intent, { type: 'replay', run: ce.run, at: ce.since });

    // The host applies it: the counterexample opens at the step where atomicity broke.
    m.dispatch(intent, noRunContext);
    await show(w, viewOf(m), 2);
    assert.equal(await w.page.locator('[data-invariant="atomicity"]').getAttribute('data-status'), 'violated');
    assert.match(await w.page.getByTestId('diagram-position').innerText(), new RegExp(`step ${ce.since} of ${ce.length}`));
    assert.match(await w.page.locator('[data-verdict="invariants"]').innerText(), /Atomicity violated/);
    await w.screenshot('txn-counterexample');
    assert.deepEqual(w.errors, []);
  });
}

test('txn: the controls post runs, injections, what-ifs, steps and explorations the host accepts', async () => {
  const v = viewOf(model([{ type: 'run', run: { protocol: 'tcc', participants: 3, faults: [] }, settle: false }]));
  const w = await openWebview(browser, 'txn');
  await show(w, v);
  await w.takePosted();
  // The form starts from the run shown.
  assert.equal(await w.page.getByTestId('protocol').inputValue(), 'tcc');
  await w.page.getByTestId('preset').selectOption({ label: 'Coupon already used' });
  await w.page.getByRole('button', { name: 'Run', exact: true }).click();
  assert.deepEqual(await postedIntent(w), { type: 'run', run: { protocol: 'tcc', participants: 3, faults: ['fail:coupon'] }, settle: true });
  await w.page.getByTestId('preset').selectOption({ label: 'your own SPEC…' });
  await w.page.getByTestId('custom-faults').fill('lose:try->payment, dup:cancel->coupon');
  await w.page.getByRole('button', { name: 'Step through' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'run', run: { protocol: 'tcc', participants: 3, faults: ['lose:try->payment', 'dup:cancel->coupon'] }, settle: false });

  // At step 0 of a run that has not started, forward runs the simulation one step.
  await w.page.getByRole('button', { name: 'Forward', exact: true }).click();
  assert.deepEqual(await postedIntent(w), { type: 'step', direction: 'forward' });
  await w.page.getByTestId('fault-input').fill('crash:coordinator@after-tries');
  await w.page.getByRole('button', { name: 'Inject' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'inject', fault: 'crash:coordinator@after-tries' });
  await w.page.getByRole('button', { name: 'What if…' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'whatIf', at: 0, fault: 'crash:coordinator@after-tries' });

  await w.page.getByTestId('explore-protocol').selectOption('2pc');
  await w.page.getByTestId('explore-variant').selectOption('commit-before-log');
  await w.page.getByTestId('explore-crashes').selectOption('2');
  await w.page.getByRole('button', { name: 'Explore', exact: true }).click();
  assert.deepEqual(await postedIntent(w), { type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 2, messages: 0, variant: 'commit-before-log' } });
  // A variant belongs to its protocol: switching protocol resets it.
  await w.page.getByTestId('explore-protocol').selectOption('outbox');
  assert.equal(await w.page.getByTestId('explore-variant').inputValue(), 'correct');
  assert.deepEqual(w.errors, []);
});

test('txn: the history opens a run where it ended and replays one from its start', async () => {
  const m = model([run({ protocol: '2pc', participants: 3, faults: [] }), run({ protocol: 'outbox', participants: 3, faults: ['dup:event->payment'] })]);
  const v = viewOf(m);
  const w = await openWebview(browser, 'txn');
  await show(w, v);
  await w.takePosted();
  const first = v.history[0]!;
  const row = w.page.locator(`[data-run="${first.beginStep}"]`);
  await row.getByRole('button', { name: 'Open' }).click();
  const target = await postedSeek(w);
  assert.equal(target, first.beginStep + 1 + first.steps);
  m.seek(target);
  const opened = viewOf(m);
  assert.equal(opened.run!.run.protocol, '2pc', 'the opened run is the one asked for');
  assert.equal(opened.lanes!.cursor, first.steps, 'at its end');
  await row.getByRole('button', { name: 'Replay' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'replay', run: first.run });
});

test('txn: a long run draws a window of rows around the cursor and says what it left out; scrubbing it stays quick', async (t) => {
  // A coordinator down for a minute keeps twelve participants in doubt, asking every 100 ms: the run hits the step cap.
  const m = model([run({ protocol: '2pc', participants: 12, faults: ['crash:coordinator@after-votes:for=60000'] })]);
  const end = viewOf(m);
  assert.ok(end.lanes!.length > 1000, `a long run (${end.lanes!.length} steps)`);
  m.seek(end.lanes!.stepOffset + 2000);
  const v = viewOf(m);
  const w = await openWebview(browser, 'txn', { height: 1000 });
  // Timed in the page: from the snapshot message to the diagram on screen.
  const snapshot = { type: 'snapshot', seq: 1, session: { id: 't1', kind: 'txn', title: 'Transactions 1' }, parts: v, busy: null };
  const ms = await w.page.evaluate((message) => new Promise<number>((resolve) => {
    const t0 = performance.now();
    const seen = new MutationObserver(() => {
      if (document.querySelector('[data-testid="lanes"]')) { seen.disconnect(); resolve(Math.round(performance.now() - t0)); }
    });
    seen.observe(document.body, { childList: true, subtree: true });
    window.postMessage(message, '*');
  }), snapshot);
  assert.ok(v.lanes!.truncated);
  await w.page.getByText('A long run: items far from the cursor are left out').waitFor();
  const ticks = await w.page.locator('text.tick').allTextContents();
  assert.ok(ticks.includes('2000') && !ticks.includes('1500') && !ticks.includes('5'), `rows around step 2000 only (ticks ${ticks.slice(0, 4).join(',')}…)`);
  assert.ok(ms < 1000, `drawn in ${ms} ms`);

  // Scrubbing: each step is a patch with the parts that changed; timed in the page, from the
  // message to the diagram showing the new step (the store applies messages on the next frame).
  const times: number[] = [];
  let last = v;
  for (let k = 1; k <= 15; k++) {
    m.seek(v.lanes!.stepOffset + 2000 + k);
    const next = viewOf(m);
    const changed = Object.fromEntries(Object.entries(next).filter(([name, part]) => JSON.stringify(part) !== JSON.stringify(last[name as keyof TxnView])));
    last = next;
    times.push(await w.page.evaluate(([parts, seq, want]) => new Promise<number>((resolve) => {
      const where = document.querySelector('[data-testid="diagram-position"]')!;
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (where.textContent?.startsWith(want)) { seen.disconnect(); resolve(performance.now() - t0); }
      });
      seen.observe(where, { childList: true, characterData: true, subtree: true });
      window.postMessage({ type: 'patch', seq, parts }, '*');
    }), [changed, 1 + k, `step ${2000 + k} of`] as const));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  t.diagnostic(`long run (${end.lanes!.length} steps, 12 participants): first draw ${ms} ms; one step of scrubbing, median of 15: ${median.toFixed(1)} ms`);
  assert.ok(median < 100, `a step of scrubbing took ${median.toFixed(1)} ms (median)`);
  await w.page.getByRole('button', { name: 'Fit whole run' }).click();
  await w.screenshot('txn-long-run-fit');
  assert.deepEqual(w.errors, []);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { KeepAliveModel, presetSettings } from '../../extension/engines/keepalive';
import { keepAliveIntentSchema, type KeepAliveIntent, type KeepAliveView } from '../../extension/protocol/keepalive';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

/**
 * Real views, from one real model: short presets on loopback sockets, as a session would stream
 * them. The race needs the server's idle timer (3 s) to fire once, so this takes a few seconds.
 */
const views: { fresh?: KeepAliveView; queueing?: KeepAliveView; fixed?: KeepAliveView; race?: KeepAliveView; live?: KeepAliveView } = {};
let browser: Browser;

before(async () => {
  const model = new KeepAliveModel(presetSettings('keepalive'));
  views.fresh = model.view();
  const run = (intent: Omit<Extract<KeepAliveIntent, { type: 'run' }>, 'type'>): Promise<void> => model.dispatch({ type: 'run', ...intent }, noRunContext);
  try {
    await run({ preset: 'no-keepalive', requests: 20 });
    await run({ preset: 'keepalive', requests: 20 });
    await run({ preset: 'queueing' });
    views.queueing = model.view();
    await run({ preset: 'race-fixed', requests: 12 });
    views.fixed = model.view();
    // The race is timing: the preset aims at the server's close, and a stalled machine can miss a turn.
    for (let attempt = 0; attempt < 3 && !(views.race && views.race.counters.failed > 0); attempt++) {
      let events = 0;
      const unsubscribe = model.subscribe(() => { if (++events === 30) views.live = model.view(); });
      await run({ preset: 'race', requests: 12 });
      unsubscribe();
      views.race = model.view();
    }
  } finally {
    await model.dispose();
  }
  assert.ok(views.race!.counters.failed > 0, `the race preset produced no failure in 3 runs: ${JSON.stringify(views.race!.counters)}`);
  browser = await launchChromium();
});
after(async () => { await browser?.close(); });

async function show(w: WebviewPage, view: KeepAliveView, busy: { label: string; fraction?: number } | null = null): Promise<void> {
  await w.send({ type: 'snapshot', seq: 1, session: { id: 'k1', kind: 'keepalive', title: 'HTTP Keep-Alive 1' }, parts: view as unknown as Record<string, unknown>, busy });
}

async function postedIntent(w: WebviewPage): Promise<KeepAliveIntent> {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  const parsed = keepAliveIntentSchema.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return parsed.value;
}

const text = async (w: WebviewPage, selector: string): Promise<string> => ((await w.page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`keep-alive (${theme}): the race is drawn where it happened, and told in numbers`, async () => {
    const v = views.race!;
    const w = await openWebview(browser, 'keepalive', { theme });
    await show(w, v);
    // One lane per socket, one box per attempt, the failed ones marked with their code.
    assert.equal(await w.page.locator('[data-testid="lanes"] .lane').count(), v.lanes.lanes.length);
    const failedBoxes = v.lanes.lanes.flatMap((l) => l.requests.filter((b) => b.error));
    assert.equal(await w.page.locator('.req.error').count(), failedBoxes.length);
    assert.equal(await w.page.locator(`.req[data-error="${failedBoxes[0]!.error}"]`).count() > 0, true);
    // The server's idle deadline is marked on every socket that failed, and the lanes show who closed.
    assert.ok(await w.page.locator('.lane.failed [data-deadline="fired"], .lane.failed [data-deadline="raced"]').count() >= 1);
    assert.ok(await w.page.locator('.lane[data-close="server-idle-timeout"]').count() >= 1);
    // Long idle stretches are folded so the race's milliseconds stay readable.
    assert.ok(await w.page.locator('.fold').count() >= 1);
    // Counters as the engine counted them.
    assert.equal(await text(w, '[data-metric="errors"] dd'), String(v.counters.failed));
    assert.equal(await text(w, '[data-metric="sockets opened"] dd'), String(v.counters.socketsOpened));
    for (const [code, n] of Object.entries(v.counters.errorsByCode)) assert.equal(await text(w, `.chip[data-code="${code}"] strong`), String(n));
    // The story: every failure measured against the server's deadline on its socket.
    assert.match(await text(w, '[data-testid="headline"]'), new RegExp(`^${v.counters.failed} requests? failed .*keep-alive race`));
    assert.equal(await w.page.locator('[data-testid="failures"] tbody tr').count(), failedBoxes.length);
    assert.ok(await w.page.locator('[data-testid="failures"] tr.race').count() >= 1);
    // Runs compared: every run, and what the pairs of presets show.
    assert.equal(await w.page.locator('[data-testid="comparison"] tbody tr').count(), v.comparison.length);
    const verdicts = await w.page.getByTestId('verdict').allTextContents();
    assert.equal(verdicts.length, 2, verdicts.join(' | '));
    assert.match(verdicts[0]!, /Keep-alive \(run #2\): p50 .* on 1 socket; without \(run #1\): p50 .* on 20 sockets/);
    assert.match(verdicts[1]!, new RegExp(`The race \\(run #\\d\\): ${v.counters.failed} failed requests?; fixed \\(run #4\\): 0 failed requests`));
    // Each preset card shows its last run's errors.
    assert.match(await text(w, '[data-testid="last-race"]'), new RegExp(`${v.counters.failed} errors?`));
    assert.match(await text(w, '[data-testid="last-race-fixed"]'), /0 errors/);
    await w.screenshot('keepalive-race');
    assert.deepEqual(w.errors, []);
  });

  test(`keep-alive (${theme}): the fix closes idle sockets on the client before the server's deadline`, async () => {
    const v = views.fixed!;
    const w = await openWebview(browser, 'keepalive', { theme });
    await show(w, v);
    assert.equal(v.counters.failed, 0);
    assert.equal(await w.page.getByTestId('failures').count(), 0);
    assert.match(await text(w, '[data-testid="headline"]'), /^No request failed: 12 of 12 answered/);
    assert.match(await text(w, '[data-testid="story"]'), /The client closed \d+ idle sockets? itself, at least [\d,.]+ ms before the server's idle timer would have/);
    assert.ok(await w.page.locator('.lane[data-close="client-idle-timeout"]').count() >= 1);
    // The server's deadline it beat, drawn dimmed where the server would have closed.
    assert.ok(await w.page.locator('[data-deadline="ghost"]').count() >= 1);
    await w.screenshot('keepalive-race-fixed');
    assert.deepEqual(w.errors, []);
  });
}

test('keep-alive: maxSockets queueing shows the client\'s queue above four busy lanes', async () => {
  const v = views.queueing!;
  const w = await openWebview(browser, 'keepalive');
  await show(w, v);
  assert.equal(await w.page.locator('.lane').count(), 4);
  const max = Number(await w.page.getByTestId('queue').getAttribute('data-max'));
  assert.ok(max >= 20, `queue depth ${max}: 32 requests at once on 4 sockets should queue most of them`);
  assert.match(await text(w, '[data-testid="story"]'), /Requests waited [\d.]+ ms on average to get one of maxSockets 4 sockets/);
  await w.screenshot('keepalive-queueing');
});

test('keep-alive: a run in progress streams live, with Cancel and a timeline that waits for the end', async () => {
  const v = views.live!;
  assert.equal(v.run.status, 'running');
  const w = await openWebview(browser, 'keepalive');
  await show(w, v, { label: 'run Idle-timeout race (node)', fraction: v.run.fraction });
  assert.match(await text(w, 'section[aria-label="Sockets over time"] h3'), /\(live\)/);
  assert.match(await text(w, '[data-testid="headline"]'), /^Running Idle-timeout race: \d+ of 12 requests done/);
  assert.equal(await w.page.locator('.lane').count(), v.lanes.lanes.length);
  await w.takePosted();
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.waitForPosted((m) => m['type'] === 'cancel');
  // Preset buttons wait for the run; the scrubber is inert until it ends.
  assert.equal(await w.page.locator('.preset vscode-button[disabled]').count(), 5);
  assert.equal(await w.page.locator('footer[inert]').count(), 1);
  // The next patch (the run finished) brings the final view and frees the controls.
  await w.send({ type: 'patch', seq: 2, parts: views.race as unknown as Record<string, unknown> });
  await w.send({ type: 'busy', busy: null });
  assert.equal(await w.page.locator('footer[inert]').count(), 0);
  assert.match(await text(w, '[data-testid="headline"]'), /failed/);
  await w.screenshot('keepalive-live');
  assert.deepEqual(w.errors, []);
});

test('keep-alive: presets, client, settings form, fold and timeline post what the host accepts', async () => {
  const w = await openWebview(browser, 'keepalive');
  await show(w, views.fresh!);
  assert.match(await text(w, '[data-testid="headline"]'), /^No experiment yet/);
  await w.takePosted();

  await w.page.getByRole('button', { name: 'Run Idle-timeout race' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'run', preset: 'race', client: 'node' });
  await w.page.locator('[data-testid="client"] vscode-radio[aria-label="undici"]').click();
  await w.page.getByRole('button', { name: 'Run No keep-alive' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'run', preset: 'no-keepalive', client: 'undici' });

  // The form: a value out of the engine's bounds is named and blocks Apply; a good one is sent.
  await w.page.locator('[data-testid="settings"] summary').click();
  const timeout = w.page.locator('vscode-textfield[data-field="server.keepAliveTimeoutMs"] input');
  await timeout.fill('9999999');
  await w.page.locator('[data-testid="settings"] .error').getByText('keepAliveTimeout must be ≤ 600000').waitFor();
  // vscode-button marks itself disabled with the attribute (no aria-disabled), so read that.
  assert.equal(await w.page.getByRole('button', { name: 'Apply', exact: true }).evaluate((b) => b.hasAttribute('disabled')), true);
  await timeout.fill('1500');
  await w.page.locator('vscode-checkbox[data-field="client.retryIdempotent"]').click();
  await w.page.getByRole('button', { name: 'Apply and run' }).click();
  const configure = await postedIntent(w);
  assert.equal(configure.type, 'configure');
  const settings = (configure as Extract<KeepAliveIntent, { type: 'configure' }>).settings;
  assert.equal(settings.server.keepAliveTimeoutMs, 1500);
  assert.equal(settings.client.retryIdempotent, true);
  // The run goes out once the host has taken the settings.
  await w.send({ type: 'patch', seq: 2, parts: { config: { ...views.fresh!.config, settings, preset: 'custom' } } });
  assert.deepEqual(await postedIntent(w), { type: 'run' });
});

test('keep-alive: a failure can be zoomed to, folding turned off, and the scrubber seeks through recorded events', async () => {
  const w = await openWebview(browser, 'keepalive');
  await show(w, views.race!);
  // Zooming to a failure outlines its box and shows milliseconds around it, linearly.
  const row = w.page.locator('[data-testid="failures"] tbody tr').first();
  const req = Number(await row.getAttribute('data-req'));
  await row.getByRole('button', { name: `Zoom to request ${req} in the lanes` }).click();
  assert.match(await text(w, '[data-testid="zoom"]'), new RegExp(`around request #${req}`));
  assert.equal(await w.page.locator(`.req.selected[data-req="${req}"]`).count(), 1);
  assert.equal(await w.page.locator('.fold').count(), 0);
  await w.screenshot('keepalive-zoomed');
  await w.page.getByRole('button', { name: 'Whole run' }).click();
  assert.equal(await w.page.getByTestId('zoom').count(), 0);
  assert.ok(await w.page.locator('.fold').count() >= 1);
  await w.page.getByTestId('fold').click();
  await w.page.waitForFunction(() => document.querySelectorAll('.fold').length === 0);
  await w.takePosted();
  await w.page.getByRole('button', { name: 'Step back' }).click();
  const seek = await w.waitForPosted((m) => m['type'] === 'seek');
  assert.equal(seek['step'], views.race!.timeline.cursor - 1);
});

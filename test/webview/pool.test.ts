import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { poolModelFactory, type PoolModel } from '../../extension/engines/pool';
import { PRESET_NAMES, poolActionSchema, type PoolAction, type PoolView } from '../../extension/protocol/pool';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

/**
 * Views from real pool models on the embedded server, as a session would stream them: every
 * preset once, a pool whose idle connections the server closed, a queue, a leak.
 */
const views: { all?: PoolView; stale?: PoolView; queued?: PoolView; leak?: PoolView; fresh?: PoolView } = {};
let browser: Browser;

async function modelAfter(actions: PoolAction[]): Promise<PoolModel> {
  const m = poolModelFactory.create(poolModelFactory.defaults()) as PoolModel;
  for (const a of actions) await m.dispatch(a, noRunContext);
  return m;
}

before(async () => {
  views.fresh = (await modelAfter([])).view();
  views.all = (await modelAfter(PRESET_NAMES.filter((p) => p !== 'leak').map((preset) => ({ type: 'runPreset', preset })))).view();
  views.stale = (await modelAfter([
    { type: 'setWaitTimeout', seconds: 2, scope: 'global' },
    { type: 'runPreset', preset: 'pooled', queries: 8 },
    { type: 'borrow' },
    { type: 'wait', ms: 3000 },
  ])).view();
  views.queued = (await modelAfter([{ type: 'runPreset', preset: 'exhaustion' }, { type: 'borrow' }, { type: 'borrow' }, { type: 'borrow', waitMs: 150 }])).view();
  views.leak = (await modelAfter([{ type: 'runPreset', preset: 'leak' }])).view();
  browser = await launchChromium();
});
after(async () => { await browser?.close(); });

async function show(w: WebviewPage, view: PoolView, opts: { seq?: number; busy?: { label: string } | null } = {}): Promise<void> {
  await w.send({ type: 'snapshot', seq: opts.seq ?? 1, session: { id: 'p1', kind: 'pool', title: 'Connection Pool 1' }, parts: view as unknown as Record<string, unknown>, busy: opts.busy ?? null });
}

/** The next intent the webview posts; it must pass the schema the host checks webview intents with. */
async function postedIntent(w: WebviewPage): Promise<PoolAction> {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  const parsed = poolActionSchema.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return parsed.value;
}

const text = async (w: WebviewPage, selector: string): Promise<string> => ((await w.page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
const metric = (w: WebviewPage, label: string): Promise<string> => text(w, `[data-metric="${label}"] dd`);

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`pool (${theme}): every preset's numbers, side by side, as the engine counted them`, async () => {
    const v = views.all!;
    const w = await openWebview(browser, 'pool', { theme });
    await show(w, v);
    const by = v.results.byPreset;
    assert.match(await text(w, '[data-testid="last-per-query"]'), new RegExp(`^${Math.round(by['per-query']!.throughputQps).toLocaleString('en-US')} q/s`));
    assert.match(await text(w, '[data-testid="last-stale"]'), new RegExp(`^${by.stale!.failedQueries} of ${by.stale!.queries} queries failed`));
    assert.equal(await text(w, '[data-testid="failed-stale-keepalive"]'), `0 of ${by['stale-keepalive']!.queries}`);
    assert.equal(await text(w, '[data-testid="failed-stale-validate"]'), `0 of ${by['stale-validate']!.queries}`);
    const ratio = by.pooled!.throughputQps / by['per-query']!.throughputQps;
    assert.match(await text(w, '[data-testid="reuse-sentence"]'), new RegExp(`^Pooled ran ${ratio.toFixed(1)}× the queries per second`));
    assert.match(await text(w, '[data-testid="stale-sentence"]'), /^wait_timeout broke 4 of 16 queries .*keep-alive ping .* left 0 failed queries, and validation on borrow \(4 dead connections caught\) left 0 failed queries\.$/);
    // The last preset was the exhaustion: its verdict is the headline, and its counters are shown.
    assert.equal(await text(w, '[data-testid="headline"]'), by.exhaustion!.verdict);
    assert.equal(await metric(w, 'timeouts'), String(v.metrics.timeouts));
    assert.equal(await metric(w, 'created'), String(v.metrics.created));
    // The timeline: a wait band whose timed-out bars are the acquire timeouts.
    assert.equal(await w.page.locator('.wait[data-outcome="timeout"]').count(), by.exhaustion!.acquireTimeouts);
    assert.equal(await w.page.locator('.lane').count(), v.connections.cells.length);
    await w.screenshot('pool-presets');
    assert.deepEqual(w.errors, []);
  });

  test(`pool (${theme}): idle connections the server closed are hatched, named in the headline and missing from its list`, async () => {
    const v = views.stale!;
    const w = await openWebview(browser, 'pool', { theme });
    await show(w, v);
    const stale = v.connections.cells.filter((c) => c.state === 'idle' && c.onServer === false);
    assert.ok(stale.length >= 3, `the model should have stale connections: ${JSON.stringify(v.connections.cells)}`);
    assert.equal(await w.page.locator('.cell[data-stale="true"]').count(), stale.length);
    assert.match(await text(w, '[data-testid="headline"]'), new RegExp(`^${stale.length} idle connections in the pool were already closed by the server`));
    assert.equal(await w.page.locator('[data-testid="server"] tbody tr[data-thread]').count(), v.server.processes.length);
    // Your borrowed connection went too: listed as gone, badged, but not hatched (it is not idle).
    const gone = v.connections.cells.filter((c) => c.onServer === false);
    assert.ok(gone.some((c) => c.state === 'in-use'));
    assert.equal(await w.page.locator('[data-testid="gone"] .chip').count(), gone.length);
    assert.equal(await w.page.locator('.cell.gone').count(), gone.length - stale.length);
    assert.equal(await w.page.locator('.lane.stale').count(), stale.length);
    assert.equal(await text(w, '[data-var="wait_timeout"] dd'), '2 s');
    // Selecting a cell picks out its lane and its lease.
    const held = v.leases[0]!;
    await w.page.locator(`.cell[data-conn="${held.conn}"]`).click();
    assert.equal(await w.page.locator(`.lane.selected[data-conn="${held.conn}"]`).count(), 1);
    assert.equal(await w.page.locator(`tr.selected[data-lease="${held.lease}"]`).count(), 1);
    await w.screenshot('pool-stale');
    assert.deepEqual(w.errors, []);
  });
}

test('pool: a connection killed on the server well before wait_timeout is told apart from one that timed out', async () => {
  const m = await modelAfter([]);
  const thread = m.view().connections.cells[0]!.threadId!;
  await m.dispatch({ type: 'kill', threadId: thread }, noRunContext);
  const w = await openWebview(browser, 'pool');
  await show(w, m.view());
  assert.match(await text(w, '[data-testid="headline"]'), /^1 idle connection in the pool was already closed by the server \(#1\)/);
  assert.match(await text(w, '[data-testid="story"]'), /idle for less than wait_timeout \(28,800 seconds\): something else closed it \(a KILL/);
  assert.doesNotMatch(await text(w, '[data-testid="story"]'), /keep-alive ping more often/);
});

test('pool: a full pool queues the next borrower, with the time it has left', async () => {
  const v = views.queued!;
  const w = await openWebview(browser, 'pool');
  await show(w, v);
  assert.equal(v.waiters.queue.length, 1, JSON.stringify(v.waiters));
  const head = v.waiters.queue[0]!;
  assert.equal(await w.page.locator('[data-testid="queue"] li').count(), 1);
  assert.equal(await text(w, '[data-testid="times-out-in"]'), `${Math.round(head.timesOutInMs).toLocaleString('en-US')} ms left`);
  assert.match(await text(w, '[data-testid="headline"]'), /^1 borrower waiting: all 2 connections of the pool are taken/);
  assert.equal(await w.page.locator('.wait[data-outcome="waiting"]').count(), 1);
  await w.screenshot('pool-queued');
});

test('pool: a leak shows the connection, who borrowed it and the stack, and the lease comes back to you', async () => {
  const v = views.leak!;
  const w = await openWebview(browser, 'pool');
  await show(w, v);
  assert.equal(v.leaks.length, 1);
  const leak = v.leaks[0]!;
  assert.equal(await w.page.locator(`.cell.leaked[data-conn="${leak.conn}"]`).count(), 1);
  assert.match(await text(w, '[data-testid="leaks"] .culprit'), /exportMonthlyReport/);
  assert.match(await text(w, '[data-testid="headline"]'), /^1 leak reported after 1000 ms, borrowed in exportMonthlyReport/);
  assert.equal(await w.page.locator('.mark[data-mark="leak"]').count(), 1);
  await w.screenshot('pool-leak');
  await w.takePosted();
  await w.page.getByRole('button', { name: `Return lease ${v.leases[0]!.lease}` }).click();
  assert.deepEqual(await postedIntent(w), { type: 'release', lease: v.leases[0]!.lease });
});

test('pool: the controls post intents the host accepts, and MySQL only as a command (the host adds the password)', async () => {
  const v = views.leak!;
  const w = await openWebview(browser, 'pool');
  await show(w, v);
  await w.takePosted();
  await w.page.getByRole('button', { name: 'Run Pool exhaustion' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'runPreset', preset: 'exhaustion' });
  await w.page.getByTestId('borrow').click();
  assert.deepEqual(await postedIntent(w), { type: 'borrow' });
  await w.page.getByTestId('wait').click();
  assert.deepEqual(await postedIntent(w), { type: 'wait', ms: 3000 });
  const lease = v.leases[0]!.lease;
  await w.page.getByRole('button', { name: `Run the SQL on lease ${lease}` }).click();
  assert.deepEqual(await postedIntent(w), { type: 'query', lease });
  const thread = v.server.processes[0]!.row.id;
  await w.page.getByRole('button', { name: `Kill thread ${thread}` }).click();
  assert.deepEqual(await postedIntent(w), { type: 'kill', threadId: thread });
  await w.page.getByTestId('wait-session').click();
  assert.deepEqual(await postedIntent(w), { type: 'setWaitTimeout', seconds: 2, scope: 'session' });
  await w.page.getByTestId('use-mysql').click();
  assert.deepEqual(await w.waitForPosted((m) => m['type'] === 'command'), { type: 'command', command: 'useMysql' });
});

test('pool: the settings form applies several fields at once and refuses what the engine would', async () => {
  const v = views.fresh!;
  const w = await openWebview(browser, 'pool');
  await show(w, v);
  await w.takePosted();
  const field = (key: string) => w.page.locator(`[data-testid="pool-settings"] [data-field="${key}"] input`);
  const apply = w.page.getByTestId('pool-settings').getByRole('button', { name: 'Apply' });
  await field('minIdle').fill('6');
  assert.match(await text(w, '[data-testid="pool-settings-error"]'), /minIdle \(6\) is above maxSize \(4\)/);
  assert.equal(await apply.getAttribute('disabled'), '');
  await field('maxSize').fill('8');
  await field('maxIdle').fill('8');
  await field('initSql').fill('SET SESSION wait_timeout = 5; SET NAMES utf8mb4');
  await apply.click();
  assert.deepEqual(await postedIntent(w), {
    type: 'configure',
    pool: { ...v.config.pool, minIdle: 6, maxSize: 8, maxIdle: 8, initSql: ['SET SESSION wait_timeout = 5', 'SET NAMES utf8mb4'] },
  });
  await w.page.locator('[data-testid="server-settings"] [data-field="waitTimeoutS"] input').fill('abc');
  assert.match(await text(w, '[data-testid="server-settings-error"]'), /wait_timeout: enter a whole number/);
});

test('pool: "Run both" runs the pair one after the other, each once the last has finished', async () => {
  const m = await modelAfter([]);
  const w = await openWebview(browser, 'pool');
  await show(w, m.view());
  await w.takePosted();
  await w.page.locator('[data-group="reuse"]').getByRole('button', { name: 'Run both' }).click();
  const first = await postedIntent(w);
  assert.deepEqual(first, { type: 'runPreset', preset: 'per-query' });
  // The host reports busy, then the finished step: only then does the second go out.
  await w.send({ type: 'busy', busy: { label: 'run Connect per query' } });
  await m.dispatch(first, noRunContext);
  await w.send({ type: 'patch', seq: 2, parts: m.view() as unknown as Record<string, unknown> });
  assert.deepEqual(await w.takePosted(), [], 'nothing is sent while the first is still busy');
  await w.send({ type: 'busy', busy: null });
  assert.deepEqual(await postedIntent(w), { type: 'runPreset', preset: 'pooled' });
});

/**
 * The Explain Selection view in headless Chromium, fed with what the host would send: the real
 * recognisers and engines run on the sample workspace's code (explainService + explainState, the
 * host's own vscode-free halves). Every request the view posts must pass the host's schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { InspectorKind } from '../../extension/protocol';
import { explainRequest, type ExplainState } from '../../extension/protocol/explain';
import { explainFinding, measureHash, recogniseSelection } from '../../extension/host/explain/explainService';
import { explanationView, findingView, initialState, offerOf, sourceLabel } from '../../extension/host/explain/explainState';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

/** The inspectors the host registers today; the transactions inspector is not among them yet. */
const AVAILABLE: ReadonlySet<InspectorKind> = new Set(['hashtable', 'ring', 'keepalive', 'pool', 'idempotency']);
const SAMPLE = join(__dirname, '..', '..', 'sample-workspace');

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** Lines [from, to] (1-based) of a sample file, as a selection. */
function selection(file: string, from?: number, to?: number): { path: string; text: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } {
  const path = join(SAMPLE, file);
  const all = readFileSync(path, 'utf8').split('\n');
  const a = from ?? 1;
  const b = to ?? all.length;
  return { path, text: all.slice(a - 1, b).join('\n'), range: { start: { line: a - 1, character: 0 }, end: { line: b - 1, character: all[b - 1]!.length } } };
}

/** The state the host shows once the engines have measured every finding (keep-alive on real sockets too). */
async function explained(file: string, languageId: string, from?: number, to?: number): Promise<ExplainState> {
  const sel = selection(file, from, to);
  const { language, findings } = recogniseSelection(sel.text, languageId, sel.range.start);
  const state = initialState('explain', sourceLabel(sel.path, language, sel.range), '');
  const views = await Promise.all(findings.map(async (f) => ({
    ...findingView(f),
    explanation: explanationView(await explainFinding(f, f.concept === 'http-keepalive'), AVAILABLE),
    realTime: f.concept === 'http-keepalive' ? ('done' as const) : ('none' as const),
  })));
  return { ...state, status: 'done', progress: null, findings: views, nothingFound: findings.length === 0 };
}

async function hashed(code: string): Promise<ExplainState> {
  const m = await measureHash(code, 'typescript');
  const state = initialState('hash', 'hashes.ts · TypeScript · lines 1–6', '');
  return { ...state, status: 'done', progress: null, hash: { ...m.report, targets: [offerOf(m.targets.hashtable, AVAILABLE), offerOf(m.targets.ring, AVAILABLE)] } };
}

async function show(w: WebviewPage, state: ExplainState): Promise<void> {
  await w.send({ type: 'state', state } as never);
}

async function posted(w: WebviewPage): Promise<unknown> {
  const m = await w.waitForPosted((x) => x['type'] !== 'ready');
  const parsed = explainRequest.parse(m);
  assert.ok(parsed.ok, `the view posted a request the host would reject: ${JSON.stringify(m)}`);
  return m;
}

const FNV = readFileSync(join(SAMPLE, 'ts/src/shardRouter.ts'), 'utf8').split('\n').slice(3, 12).join('\n');
const shardRouter = explained('ts/src/shardRouter.ts', 'typescript');

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`explain (${theme}): a whole TypeScript file shows each building block with its numbers, risks and inspector`, async () => {
    const state = await shardRouter;
    const w = await openWebview(browser, 'explain', { theme, height: 1600 });
    await show(w, state);
    const cards = w.page.getByTestId('finding');
    assert.deepEqual(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-concept'))), ['hash-function', 'modulo-sharding', 'http-keepalive', 'connection-pool']);
    assert.match(await w.page.getByTestId('source').innerText(), /shardRouter\.ts · TypeScript · lines 1–\d+/);
    assert.match(await w.page.getByTestId('overview').innerText(), /4 building blocks recognised/);
    const modulo = w.page.locator('[data-concept="modulo-sharding"]');
    // The engines' own number for a fifth shard, as measured for this very code.
    const moved = state.findings[1]!.explanation!.measurements.find((m) => m.id === 'moved-on-add-modulo')!;
    assert.match(moved.display, /^(79|80|81)\.\d%$/);
    assert.equal(await modulo.locator('[data-measurement="moved-on-add-modulo"] .value').innerText(), moved.display);
    assert.ok(await modulo.locator('[data-measurement="moved-on-add-modulo"] .fill').count() === 1, 'a share is drawn as a bar');
    assert.match(await modulo.getByTestId('summary').innerText(), new RegExp(moved.display.replace('.', '\\.')));
    assert.equal(await modulo.locator('[data-risk="modulo-resharding"]').count(), 1);
    assert.match(await modulo.getByTestId('open').innerText(), /Open in Hash Ring/);
    const keepAlive = w.page.locator('[data-concept="http-keepalive"]');
    assert.match(await keepAlive.locator('[data-measurement="sockets-no-keepalive"] .value').innerText(), /^50$/);
    // The hash function's numbers for FNV-1a and Murmur3 side by side, one column per hash.
    const hash = w.page.locator('[data-concept="hash-function"] table.side-by-side');
    assert.deepEqual(await hash.locator('thead th.num').allInnerTexts(), ['FNV-1a (32-bit)', 'MurmurHash3 x86 32']);
    assert.equal(await hash.locator('[data-measurement="selected-chi-square-p"]').innerText(), '8.4e-4');
    await w.screenshot('explain-shard-router');
    assert.deepEqual(w.errors, []);
  });
}

test('explain: reveal and open post requests that name a finding, and pass the host\'s schema', async () => {
  const w = await openWebview(browser, 'explain');
  await show(w, await shardRouter);
  await w.takePosted();
  await w.page.locator('[data-concept="modulo-sharding"]').getByTestId('reveal').click();
  assert.deepEqual(await posted(w), { type: 'reveal', finding: 1 });
  await w.page.locator('[data-concept="connection-pool"]').getByTestId('open').click();
  assert.deepEqual(await posted(w), { type: 'open', finding: 3 });
  // Keyboard: the reveal link and the open button are reachable and work with Enter.
  await w.page.locator('[data-concept="hash-function"]').getByTestId('reveal').focus();
  await w.page.keyboard.press('Enter');
  assert.deepEqual(await posted(w), { type: 'reveal', finding: 0 });
});

test('explain: Java, Go and Python selections, and an inspector this build does not have', async () => {
  const java = await explained('java/src/main/java/shop/orders/SessionCache.java', 'java', 9, 24);
  assert.deepEqual(java.findings.map((f) => f.concept), ['hash-table', 'modulo-sharding']);
  const saga = await explained('java/src/main/java/shop/orders/OrderSaga.java', 'java');
  const w = await openWebview(browser, 'explain', { height: 1400 });
  await show(w, { ...java, findings: [...java.findings, ...saga.findings] });
  assert.match(await w.page.locator('[data-concept="hash-table"]').getByTestId('summary').innerText(), /16,384|16384/);
  const txn = w.page.locator('[data-concept="distributed-transaction"]');
  assert.equal(await txn.count(), saga.findings.filter((f) => f.concept === 'distributed-transaction').length);
  if (await txn.count() > 0) {
    assert.equal(await txn.first().getByTestId('open').count(), 0, 'no button for an inspector the build lacks');
    assert.match(await txn.first().innerText(), /not in this build yet/);
  }
  await w.screenshot('explain-java');
  const go = await explained('go/routing/client.go', 'go');
  const python = await explained('python/payments/dedupe.py', 'python');
  await show(w, { ...go, findings: [...go.findings, ...python.findings] });
  assert.ok(go.findings.some((f) => f.concept === 'http-keepalive'));
  assert.ok(python.findings.some((f) => f.concept === 'idempotency'));
  assert.equal(await w.page.getByTestId('finding').count(), go.findings.length + python.findings.length);
  assert.deepEqual(w.errors, []);
});

test('explain: a near miss recognises nothing and the view says what it looked for', async () => {
  const page = 'const offset = (page % pages) * pageSize;\nconst cache = new Map<string, string>();\n';
  const { findings } = recogniseSelection(page, 'typescript', { line: 0, character: 0 });
  assert.deepEqual(findings, []);
  const w = await openWebview(browser, 'explain');
  await show(w, { ...initialState('explain', 'paging.ts · TypeScript · lines 1–2', ''), status: 'done', progress: null, nothingFound: true });
  const nothing = w.page.getByTestId('nothing-found');
  assert.match(await nothing.innerText(), /Nothing recognised/);
  assert.equal(await nothing.locator('li').count(), 9);
  assert.match(await nothing.innerText(), /SET key value NX EX ttl/);
  await w.screenshot('explain-nothing');
});

test('explain: while the engines work, and when measuring failed', async () => {
  const state = await shardRouter;
  const w = await openWebview(browser, 'explain');
  await show(w, { ...state, status: 'working', progress: 'Measuring with the engines…', findings: state.findings.map((f, i) => (i === 0 ? f : { ...f, explanation: null, realTime: i === 2 ? 'running' : 'none' })) });
  assert.match(await w.page.getByTestId('progress').innerText(), /Measuring with the engines/);
  assert.match(await w.page.locator('[data-concept="modulo-sharding"]').innerText(), /Measuring with the engines…/);
  await show(w, { ...state, findings: state.findings.map((f, i) => (i === 2 ? { ...f, realTime: 'running' as const } : f)) });
  assert.match(await w.page.getByTestId('real-time').innerText(), /real loopback sockets/);
  await show(w, { ...state, status: 'failed', error: 'Explain Selection failed: Cannot finish: the Explain engine crashed: out of memory.' });
  assert.match(await w.page.getByTestId('error').innerText(), /the Explain engine crashed/);
  await show(w, { ...state, findings: state.findings.map((f, i) => (i === 0 ? { ...f, phrasing: { model: 'Test Model', text: 'FNV-1a spreads these keys unevenly; prefer Murmur3.' } } : f)) });
  assert.match(await w.page.getByTestId('phrasing').innerText(), /Phrased by Test Model from the measured numbers/);
});

test('hash: a function that cannot be measured says why, with no report to use', async () => {
  const error = await measureHash('function h(s) { return s.length > 3 ? "long" : 1; }', 'javascript').then(() => 'no error', (e: Error) => e.message);
  assert.match(error, /returned string \("long"\) for the key .* a hash must be an integer/);
  const w = await openWebview(browser, 'explain');
  await show(w, { ...initialState('hash', 'h.js · JavaScript · line 1', ''), status: 'failed', progress: null, error: `Use Selection as Hash Function failed: ${error}` });
  assert.match(await w.page.getByRole('heading', { level: 1 }).innerText(), /Use Selection as Hash Function/);
  assert.match(await w.page.getByTestId('error').innerText(), /a hash must be an integer/);
  assert.equal(await w.page.getByTestId('hash-report').count(), 0);
  await w.screenshot('explain-hash-error');
});

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`hash (${theme}): a selected FNV-1a beside FNV-1a and Murmur3, and buttons to use it`, async () => {
    const w = await openWebview(browser, 'explain', { theme });
    await show(w, await hashed(FNV));
    const table = w.page.getByTestId('hash-table');
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['On 20,000 keys', 'fnv1a32 (yours)', 'FNV-1a (32-bit)', 'MurmurHash3 x86 32']);
    // The same function as the engine's FNV-1a: the same numbers in both columns.
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    for (const r of rows) assert.equal(r[0], r[1]);
    assert.match(await w.page.getByTestId('headline').innerText(), /fnv1a32 falls short of a reference hash/);
    await w.screenshot('explain-hash');
    await w.takePosted();
    await w.page.getByTestId('use-ring').click();
    assert.deepEqual(await posted(w), { type: 'useHash', target: 'ring' });
    await w.page.getByTestId('use-hashtable').click();
    assert.deepEqual(await posted(w), { type: 'useHash', target: 'hashtable' });
    assert.deepEqual(w.errors, []);
  });
}

test('hash: a sum of characters is shown colliding and uneven, in the colours of a problem', async () => {
  const w = await openWebview(browser, 'explain');
  await show(w, await hashed('export function sumHash(key: string): number {\n  let h = 0;\n  for (const c of key) h += c.charCodeAt(0);\n  return h;\n}'));
  assert.match(await w.page.getByTestId('headline').innerText(), /sumHash falls short of a reference hash/);
  assert.match(await w.page.getByTestId('story').innerText(), /collide/);
  assert.ok(await w.page.locator('[data-testid="hash-table"] tbody td.mine.tone-bad').count() >= 2);
  await w.screenshot('explain-hash-weak');
});

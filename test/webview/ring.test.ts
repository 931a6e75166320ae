/**
 * The Hash Ring webview in headless Chromium, fed with the real ring model's view: a small ring in
 * SVG with a failed server, modulo's reshuffle, maglev's table, a 10,000-vnode ring with a million
 * keys on canvas, the comparison of every scheme, and the intents the controls post.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { ringFactory } from '../../extension/engines/ring';
import { ringIntentSchema, type MovementReport, type RingConfig, type RingIntent } from '../../extension/protocol/ring';
import { launchChromium } from '../harness/browser';
import { openWebview, type Theme, type WebviewPage } from './harness';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const servers = (n: number): RingConfig['servers'] => Array.from({ length: n }, (_, i) => ({ name: `s${i + 1}` }));

/** A real model's view after these intents, as the host streams it: the view parts, then a step's parts. */
function viewAfter(config: Partial<RingConfig>, intents: RingIntent[]): Record<string, unknown> {
  const m = ringFactory.create({ ...ringFactory.defaults(), ...config });
  for (const i of intents) m.dispatch(i, noRunContext);
  return JSON.parse(JSON.stringify(m.view())) as Record<string, unknown>;
}

async function show(w: WebviewPage, parts: Record<string, unknown>, seq = 1): Promise<void> {
  await w.send({ type: 'snapshot', seq, session: { id: 'r1', kind: 'ring', title: 'Hash Ring 1' }, parts, busy: null });
}

const postedIntent = async (w: WebviewPage): Promise<unknown> => {
  const m = await w.waitForPosted((x) => x['type'] === 'intent');
  const parsed = ringIntentSchema.parse(m['intent']);
  assert.ok(parsed.ok, `the webview posted an intent the host would reject: ${JSON.stringify(m)}`);
  return m['intent'];
};

/** Distinct colours over a sample of the canvas: a blank canvas has one or two. */
const canvasColours = (w: WebviewPage): Promise<number> =>
  w.page.locator('[data-testid="ring-canvas"] canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 53) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    return seen.size;
  });

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`ring (${theme}): a small ring in SVG; failing a server moves only its keys, and the dots say which`, async () => {
    const w = await openWebview(browser, 'ring', { theme });
    const parts = viewAfter({ servers: servers(5), vnodes: 12 }, [
      { type: 'insertKeys', count: 400 },
      { type: 'failServer', name: 's2' },
      { type: 'probeKey', key: 'user:42' },
    ]);
    const movement = parts['movement'] as MovementReport;
    assert.ok(movement.moved > 0 && movement.moved < 400);
    await show(w, parts);
    const svg = w.page.getByTestId('ring-svg');
    await svg.waitFor();
    assert.equal(await svg.locator('line[data-point]').count(), 60, 'one tick per virtual node');
    assert.equal(await svg.locator('circle[data-key]').count(), 400, 'one dot per key');
    const moved = svg.locator('circle[data-moved]');
    assert.equal(await moved.count(), movement.moved, 'the ringed dots are the keys the engine moved');
    const ownersOfMoved = new Set(await moved.evaluateAll((els) => els.map((e) => e.getAttribute('data-owner'))));
    assert.ok(!ownersOfMoved.has('s2'), 'no moved key is still on the failed server');
    assert.equal(await svg.locator('line[data-point="s2"][stroke-dasharray]').count(), 12, "the failed server's ticks are dashed");
    assert.match(await w.page.getByTestId('movement-story').innerText(), new RegExp(`fail s2: ${movement.moved} of 400 keys moved \\(\\d+\\.\\d%\\): only keys that had to move`));
    assert.match(await w.page.getByTestId('movement').innerText(), /Every moved key came from s2/);
    assert.equal(await w.page.getByTestId('moved-count').innerText(), String(movement.moved));
    assert.equal(await w.page.getByTestId('wrong-moves').innerText(), '0');
    assert.match(await w.page.getByTestId('centre').innerText(), /fail s2[\s\S]*moved · ideal 20\.0%[\s\S]*only s2's keys/);
    assert.match(await w.page.locator('[data-server="s2"]').innerText(), /failed[\s\S]*−\d+/);
    assert.equal(await w.page.getByTestId('probe-overlay').count(), 1);
    assert.equal(await w.page.locator('[data-testid="probe"] li:not([data-role="failed"])').count(), 3, 'the preference list finds three live servers');
    // Let the travelling keys land before the picture is taken.
    await w.page.waitForTimeout(1700);
    await w.screenshot('ring-small-fail');
    assert.deepEqual(w.errors, []);
  });
}

test('ring: adding a server under modulo reshuffles almost every key, and the view says so', async () => {
  const w = await openWebview(browser, 'ring');
  const parts = viewAfter({ scheme: 'modulo', servers: servers(4) }, [{ type: 'insertKeys', count: 1000 }, { type: 'addServer', name: 's5' }]);
  const movement = parts['movement'] as MovementReport;
  assert.ok(movement.fraction > 0.6, `modulo should move most keys, moved ${movement.fraction}`);
  // Count the travellers from inside the page: a loaded machine may not look before the trip ends.
  await w.page.evaluate(() => {
    const seen = window as unknown as { maxTravellers: number };
    seen.maxTravellers = 0;
    new MutationObserver(() => { seen.maxTravellers = Math.max(seen.maxTravellers, document.querySelectorAll('.traveller').length); })
      .observe(document.body, { subtree: true, childList: true });
  });
  await show(w, parts);
  await w.page.getByTestId('ring-svg').waitFor();
  assert.equal(await w.page.locator('[data-station]').count(), 5, 'modulo has stations, not arcs');
  assert.match(await w.page.getByTestId('movement-story').innerText(), /× the ideal 20\.0%/);
  assert.match(await w.page.getByTestId('centre').innerText(), /wrong moves/);
  // Keys in flight: the travellers are drawn between stations, then land.
  await w.page.waitForFunction(() => (window as unknown as { maxTravellers: number }).maxTravellers > 100, undefined, { timeout: 5000 });
  await w.screenshot('ring-modulo-add');
  await w.page.waitForFunction(() => document.querySelectorAll('.traveller').length === 0, undefined, { timeout: 10_000 });
  assert.match(await w.page.locator('[data-server="s5"]').innerText(), /\+\d+/, 'the new server shows the keys it received');
});

test("ring: maglev's table is the band, with its prime size in the caption", async () => {
  const w = await openWebview(browser, 'ring', { theme: 'light' });
  await show(w, viewAfter({ scheme: 'maglev', servers: servers(6) }, [{ type: 'insertKeys', count: 600 }, { type: 'failServer', name: 's4' }]));
  await w.page.getByTestId('ring-svg').waitFor();
  assert.match(await w.page.getByTestId('ring-caption').innerText(), /lookup table of 65,537 slots/);
  assert.ok((await w.page.locator('.arcs path').count()) > 6, 'the band has cells of several owners');
  await w.page.waitForTimeout(1700);
  await w.screenshot('ring-maglev');
});

test('ring: 10,000 vnodes and 1,000,000 keys draw on canvas from aggregates and stay interactive', async () => {
  const w = await openWebview(browser, 'ring');
  const parts = viewAfter({ servers: servers(100), vnodes: 100 }, [{ type: 'insertKeys', count: 1_000_000 }, { type: 'failServer', name: 's7' }]);
  const size = JSON.stringify(parts).length;
  assert.ok(size < 400_000, `the view stays small whatever the key count (${size} bytes)`);
  const t0 = Date.now();
  await show(w, parts);
  const canvas = w.page.getByTestId('ring-canvas').locator('canvas');
  await canvas.waitFor();
  const drawMs = Date.now() - t0;
  // Generous for a loaded CI machine; drawing every key instead of the bins takes minutes.
  assert.ok(drawMs < 8000, `the first picture took ${drawMs} ms`);
  assert.ok((await canvasColours(w)) > 20, 'the canvas shows arcs and key density in many colours');
  // Hovering answers within a frame or two: the bin's numbers come from the aggregates.
  const box = (await canvas.boundingBox())!;
  const h0 = Date.now();
  await canvas.hover({ position: { x: box.width / 2, y: box.height * 0.2 } });
  await w.page.getByTestId('ring-tip').waitFor({ timeout: 2000 });
  const hoverMs = Date.now() - h0;
  assert.match(await w.page.getByTestId('ring-tip').innerText(), /keys/);
  assert.ok(hoverMs < 2000, `hover took ${hoverMs} ms`);
  assert.equal(await w.page.locator('[data-testid="load"] .dist rect').count(), 99, 'a distribution bar per live server');
  await w.screenshot('ring-large');
  // The next membership change recolours the bins; the patch is applied in well under a second.
  const next = viewAfter({ servers: servers(100), vnodes: 100 }, [{ type: 'insertKeys', count: 1_000_000 }, { type: 'failServer', name: 's7' }, { type: 'recoverServer', name: 's7' }]);
  const p0 = Date.now();
  await w.send({ type: 'patch', seq: 2, parts: { layout: next['layout'], keys: next['keys'], load: next['load'], movement: next['movement'], summary: next['summary'], timeline: next['timeline'] } });
  await w.page.getByTestId('centre').getByText('recover s7').waitFor({ timeout: 3000 });
  await w.page.locator('.legend').getByText('keys that arrived with the last change').waitFor();
  const patchMs = Date.now() - p0;
  assert.ok(patchMs < 5000, `a patch of a million-key ring took ${patchMs} ms`);
  console.log(`large ring: first picture ${drawMs} ms, hover ${hoverMs} ms, patch ${patchMs} ms`);
  await w.page.waitForTimeout(800);
  await w.screenshot('ring-large-recover');
  assert.deepEqual(w.errors, []);
});

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`ring (${theme}): the comparison of every scheme, as a chart and a table`, async () => {
    const w = await openWebview(browser, 'ring', { theme });
    const parts = viewAfter({ servers: servers(5) }, [{ type: 'insertKeys', count: 20_000 }, { type: 'compareSchemes' }]);
    await show(w, parts);
    const cmp = w.page.getByTestId('comparison');
    await cmp.waitFor();
    assert.equal(await cmp.locator('tbody tr').count(), 7);
    const modulo = await cmp.locator('tr[data-scheme="modulo"]').innerText();
    const ring = await cmp.locator('tr[data-scheme="ring"]').innerText();
    const movedOnAdd = (row: string): number => Number(/(\d+\.\d)%/.exec(row)![1]);
    assert.ok(movedOnAdd(modulo) > 60 && movedOnAdd(ring) < 25, `modulo ${movedOnAdd(modulo)}% vs ring ${movedOnAdd(ring)}%`);
    assert.match(await w.page.getByTestId('comparison-story').innerText(), /hash mod N moves \d+\.\d% of the keys, the consistent ring \d+\.\d% \(ideal 16\.7%\)/);
    assert.ok((await cmp.locator('[data-testid="comparison-chart"] rect.bad').count()) >= 2, 'wrong moves are drawn for the schemes that make them');
    assert.equal(await w.page.getByTestId('comparison-stale').count(), 0);
    await w.screenshot('ring-comparison');
  });
}

test('ring: the controls and server buttons post intents that pass the host schema', async () => {
  const w = await openWebview(browser, 'ring');
  await show(w, viewAfter({ servers: servers(3) }, [{ type: 'insertKeys', count: 50 }]));
  await w.takePosted();
  await w.page.getByRole('button', { name: 'Add server' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'addServer', name: 's4' });
  await w.page.locator('[data-testid="keys-input"] input').fill('alice, bob');
  await w.page.getByRole('button', { name: 'Insert keys' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'insertKeyList', keys: ['alice', 'bob'] });
  await w.page.locator('[data-testid="keys-input"] input').fill('250,000');
  await w.page.getByRole('button', { name: 'Insert keys' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'insertKeys', count: 250_000 });
  await w.page.getByRole('button', { name: 'Fail s2' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'failServer', name: 's2' });
  await w.page.getByRole('button', { name: 'Remove s3' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'removeServer', name: 's3' });
  await w.page.locator('[data-testid="find-input"] input').fill('user:7');
  await w.page.keyboard.press('Enter');
  assert.deepEqual(await postedIntent(w), { type: 'probeKey', key: 'user:7' });
  await w.page.locator('[data-testid="vnodes-input"] input').fill('40');
  await w.page.keyboard.press('Enter');
  assert.deepEqual(await postedIntent(w), { type: 'setVnodes', vnodes: 40 });
  await w.page.getByTestId('scheme').getByRole('button', { name: 'modulo' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'setScheme', scheme: 'modulo' });
  await w.page.getByRole('combobox', { name: 'Hash' }).selectOption('fnv1a32');
  assert.deepEqual(await postedIntent(w), { type: 'setHash', hash: 'fnv1a32' });
  await w.page.getByRole('button', { name: 'Compare schemes' }).click();
  assert.deepEqual(await postedIntent(w), { type: 'compareSchemes' });
  // A name already in the list cannot be added.
  await w.page.locator('[data-testid="server-input"] input').fill('s1');
  assert.equal(await w.page.getByRole('button', { name: 'Add server' }).getAttribute('disabled'), '');
  // A key dot is a way to find that key.
  await w.page.locator('circle[data-key]').first().click({ force: true });
  const probe = (await postedIntent(w)) as { type: string; key: string };
  assert.equal(probe.type, 'probeKey');
  assert.match(probe.key, /^key:/);
});

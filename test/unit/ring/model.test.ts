import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ManualClock } from '../../../extension/engines/core/clock';
import { RunContext, UserError, noRunContext } from '../../../extension/engines/core/model';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { RingModel, ringFactory } from '../../../extension/engines/ring';
import { RING_LIMITS, RingConfig, RingIntent, RingView, ringIntentSchema } from '../../../extension/protocol/ring';

const config = (over: Partial<RingConfig> = {}): RingConfig => ({ ...ringFactory.defaults(), ...over });
const model = (over: Partial<RingConfig> = {}): RingModel => new RingModel(config(over), new ManualClock());
const run = (m: RingModel, ...intents: RingIntent[]): RingView => {
  for (const i of intents) m.dispatch(i, noRunContext);
  return m.view();
};
/** Compares two views part by part, so a failure names the part that differs. */
function assertSameView(actual: RingView, expected: RingView, what: string, except: string[] = []): void {
  for (const part of Object.keys(expected)) if (!except.includes(part)) assert.deepEqual((actual as Record<string, unknown>)[part], (expected as Record<string, unknown>)[part], `${what}: part "${part}"`);
}
const countOf = (v: RingView, name: string): number => v.load.counts[v.layout.servers.findIndex((s) => s.name === name)]!;

test('failing a server moves exactly its keys, each to a live server, and the report says so', () => {
  const m = model();
  const before = run(m, { type: 'insertKeys', count: 20_000, seed: 3 });
  const onS3 = countOf(before, 's3');
  const v = run(m, { type: 'failServer', name: 's3' });
  const r = v.movement!;
  assert.equal(r.change, 'fail');
  assert.equal(r.moved, onS3);
  assert.equal(r.wrongMoves, 0);
  assert.ok(Math.abs(r.ideal - 1 / 5) < 1e-12);
  let fromS3 = 0;
  for (let i = 0; i < r.matrix.length; i += 3) {
    assert.equal(r.names[r.matrix[i]!], 's3', 'every move starts on the failed server');
    assert.notEqual(r.names[r.matrix[i + 1]!], 's3');
    fromS3 += r.matrix[i + 2]!;
  }
  assert.equal(fromS3, onS3);
  assert.equal(countOf(v, 's3'), 0);
  assert.equal(v.layout.servers.find((s) => s.name === 's3')!.alive, false);
  assert.equal(v.keys.dots, undefined, 'no dots for 20,000 keys');
  assert.equal(v.keys.cells.filter((_, i) => i % 3 === 2).reduce((a, b) => a + b, 0), 20_000);
  // Recovery brings every key back.
  const back = run(m, { type: 'recoverServer', name: 's3' });
  assert.deepEqual(back.load.counts, before.load.counts);
  assert.equal(back.movement!.moved, onS3);
});

test('small key sets come as dots, with the moved ones flagged and named in the report', () => {
  const m = model({ scheme: 'rendezvous' });
  run(m, { type: 'insertKeys', count: 500, seed: 1 });
  const v = run(m, { type: 'addServer', name: 's6' });
  const dots = v.keys.dots!;
  assert.equal(dots.keys.length, 500);
  const flagged = dots.keys.filter((_, i) => dots.moved[i]);
  assert.equal(flagged.length, v.movement!.moved);
  assert.deepEqual(v.movement!.movedKeys!.map((k) => k.key), flagged);
  for (const k of v.movement!.movedKeys!) assert.equal(k.to, 's6');
  dots.owners.forEach((o, i) => assert.equal(dots.moved[i], v.layout.servers[o]!.name === 's6'));
});

test('seeking replays every step exactly, backwards and forwards', () => {
  const m = model();
  const intents: RingIntent[] = [
    { type: 'insertKeys', count: 3_000 },
    { type: 'addServer', name: 'big', weight: 3 },
    { type: 'failServer', name: 's1' },
    { type: 'setScheme', scheme: 'maglev' },
    { type: 'insertKeyList', keys: ['user:1', 'user:2'] },
    { type: 'setVnodes', vnodes: 40 },
    { type: 'setScheme', scheme: 'bounded' },
    { type: 'probeKey', key: 'user:1' },
    { type: 'removeServer', name: 's2' },
    { type: 'setWeight', name: 'big', weight: 1 },
    { type: 'insertKeys', count: 1_000 },
  ];
  const views = [m.view()];
  for (const i of intents) views.push(run(m, i));
  for (const n of [0, 5, 2, 11, 7, 1, 11, 3]) {
    m.seek(n);
    assertSameView(m.view(), views[n]!, `after seeking to ${n}`, ['timeline']);
  }
  const labels = m.view().timeline.labels;
  assert.match(labels[0]!, /^insert 3,000 keys \(seed \d+\)$/);
  assert.deepEqual(labels.slice(1, 4), ['add big (weight 3)', 'fail s1', 'scheme → maglev']);
});

test('an exported session rebuilds the same state, including measured comparisons and drawn seeds', () => {
  const m = model();
  run(m, { type: 'insertKeys', count: 2_000 }, { type: 'compareSchemes' }, { type: 'failServer', name: 's2' }, { type: 'insertKeys', count: 10 });
  m.seek(3);
  const text = JSON.stringify(m.exportSession());
  const file = parseSessionFile(text, { kind: 'ring', config: ringFactory.configSchema, step: ringFactory.stepSchema });
  const copy = ringFactory.fromSession(file) as RingModel;
  assertSameView(copy.view(), m.view(), 'imported, at step 3');
  m.seek(4);
  copy.seek(4);
  assertSameView(copy.view(), m.view(), 'imported, at step 4');
  // A step that cannot be replayed is reported as such.
  const broken = JSON.parse(text);
  broken.steps[2] = { type: 'failServer', name: 'nobody' };
  const bad = parseSessionFile(JSON.stringify(broken), { kind: 'ring', config: ringFactory.configSchema, step: ringFactory.stepSchema });
  assert.throws(() => ringFactory.fromSession(bad), (e: unknown) => e instanceof UserError && /step 3 \("fail s2"\) fails: There is no server "nobody"/.test(e.message));
});

test('a cancelled step changes nothing, not even the key generator', () => {
  const m = model();
  run(m, { type: 'insertKeys', count: 1_000 });
  let calls = 0;
  const cancelLater: RunContext = { progress() { calls++; }, get cancelled() { return calls > 0; } };
  assert.throws(() => m.dispatch({ type: 'insertKeys', count: 300_000 }, cancelLater), (e: unknown) => e instanceof UserError && /cancelled; nothing changed/.test(e.message));
  assert.equal(m.view().keys.total, 1_000);
  assert.equal(m.view().timeline.length, 1);
  const fresh = model();
  run(fresh, { type: 'insertKeys', count: 1_000 }, { type: 'insertKeys', count: 5 });
  run(m, { type: 'insertKeys', count: 5 });
  assert.deepEqual(m.view().timeline.labels, fresh.view().timeline.labels, 'the same seed was drawn');
  calls = 0;
  assert.throws(() => m.dispatch({ type: 'failServer', name: 's1' }, { progress() {}, cancelled: true }), /cancelled/);
  assert.equal(m.view().layout.servers[0]!.alive, true);
});

test('comparing schemes measures every scheme on the same keys; cancelling keeps the schemes already measured', () => {
  const m = model();
  const v = run(m, { type: 'insertKeys', count: 20_000, seed: 8 }, { type: 'compareSchemes' });
  const rows = Object.fromEntries(v.comparison!.rows.map((r) => [r.scheme, r]));
  assert.deepEqual(Object.keys(rows), ['modulo', 'ring', 'ketama', 'jump', 'rendezvous', 'maglev', 'bounded']);
  assert.ok(rows.modulo!.movedOnAdd > 0.75);
  for (const s of ['ring', 'jump', 'rendezvous'] as const) {
    assert.equal(rows[s]!.wrongOnAdd, 0, s);
    assert.equal(rows[s]!.wrongOnRemove, 0, s);
  }
  assert.ok(Math.abs(rows.ring!.idealOnAdd - 1 / 6) < 1e-12);
  assert.ok(rows.maglev!.maxOverMean < 1.05);
  assert.equal(rows.jump!.memoryBytes < rows.maglev!.memoryBytes, true);
  assert.equal(rows.ring!.lookupNs, 0, 'time comes from the injected clock');
  // Cancel once the third scheme starts: the first two are kept.
  let stop = false;
  const ctx: RunContext = { progress(_, message) { if (message === 'measuring ketama') stop = true; }, get cancelled() { return stop; } };
  m.dispatch({ type: 'compareSchemes' }, ctx);
  const partial = m.view().comparison!;
  assert.equal(partial.partial, true);
  assert.deepEqual(partial.rows.map((r) => r.scheme), ['modulo', 'ring']);
  assert.match(m.view().timeline.labels.at(-1)!, /cancelled part way/);
  assert.throws(() => model().dispatch({ type: 'compareSchemes' }, noRunContext), /Insert keys first/);
});

test('the probe shows the replica chain: a failed primary, the replica that serves, and who takes over', () => {
  const m = model({ replicas: 2 });
  run(m, { type: 'probeKey', key: 'user:42' });
  const primary = m.view().probe!.preference[0]!.server;
  const v = run(m, { type: 'failServer', name: primary });
  const p = v.probe!;
  assert.deepEqual(p.preference.map((e) => e.role), ['failed', 'replica', 'takeover']);
  assert.equal(p.owner, p.preference[1]!.server);
  assert.equal(p.hash, m.current.keyHash('user:42'));
});

test('views stay small with a million-point-scale session: aggregates, not data', () => {
  const servers = Array.from({ length: 100 }, (_, i) => ({ name: `node-${i}` }));
  const m = model({ servers, vnodes: 100 });
  const v = run(m, { type: 'insertKeys', count: 200_000, seed: 1 });
  assert.equal(v.layout.pointCount, 10_000);
  assert.equal(v.layout.points!.positions.length, 10_000);
  assert.equal(v.layout.arcs!.length, RING_LIMITS.angleBins);
  const size = JSON.stringify(v).length;
  assert.ok(size < 600_000, `view is ${size} bytes`);
  const dense = run(m, { type: 'setVnodes', vnodes: 250 });
  assert.equal(dense.layout.points, undefined, '25,000 points are sent as arcs only');
  assert.equal(dense.layout.pointCount, 25_000);
  // Rendezvous spreads every server over every angle: fewer, wider bins keep the cells bounded.
  const spread = run(m, { type: 'setScheme', scheme: 'rendezvous' });
  assert.ok(spread.keys.bins < RING_LIMITS.angleBins);
  assert.ok(spread.keys.cells.length / 3 <= 20_000, `${spread.keys.cells.length / 3} cells`);
  assert.equal(spread.keys.cells.filter((_, i) => i % 3 === 2).reduce((a, b) => a + b, 0), 200_000);
});

test('intents from a webview are checked before anything acts on them', () => {
  const bad: unknown[] = [
    { type: 'explode' },
    { type: 'insertKeys', count: -1 },
    { type: 'insertKeys', count: RING_LIMITS.maxKeys + 1 },
    { type: 'addServer', name: 'a,b' },
    { type: 'addServer', name: 'ok', extra: 1 },
    { type: 'setWeight', name: 's1', weight: 0 },
    { type: 'setVnodes', vnodes: 1.5 },
    { type: 'insertKeyList', keys: [] },
  ];
  for (const b of bad) assert.equal(ringIntentSchema.parse(b).ok, false, JSON.stringify(b));
  const m = model();
  run(m, { type: 'setScheme', scheme: 'ketama' });
  assert.throws(() => run(m, { type: 'setVnodes', vnodes: 150 }), /multiple of 4/);
  assert.throws(() => run(model({ vnodes: 150 }), { type: 'setScheme', scheme: 'ketama' }), /multiple of 4/);
  assert.throws(() => new RingModel(config({ scheme: 'ketama', vnodes: 10 })), /multiple of 4/);
});

test('the model runs in a worker thread behind ModelClient, with progress on long steps', async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/ring.js), into a scratch folder.
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-ring-')), 'ring.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/ring/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const client = await ModelClient.start(out, { kind: 'ring', config: config() });
  try {
    const fractions: number[] = [];
    await client.dispatch({ type: 'insertKeys', count: 300_000, seed: 4 }, (f) => fractions.push(f));
    assert.ok(fractions.length > 0, 'progress was reported');
    await client.dispatch({ type: 'failServer', name: 's2' });
    const movement = client.view.movement as RingView['movement'];
    assert.equal(movement!.total, 300_000);
    // ketama hashes with the engine's own MD5, which needs nothing from node:crypto.
    await client.dispatch({ type: 'setScheme', scheme: 'ketama' });
    assert.equal((client.view.layout as RingView['layout']).scheme, 'ketama');
    assert.equal((client.view.load as RingView['load']).total, 300_000);
    await assert.rejects(client.dispatch({ type: 'removeServer', name: 'zz' }), (e: unknown) => e instanceof UserError && /no server "zz"/.test(e.message));
    await assert.rejects(client.dispatch({ type: 'addServer', name: 'a,b' }), /Rejected Hash Ring operation/);
  } finally {
    await client.dispose();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeepAliveModel, assertRunFits, keepAliveFactory, presetSettings } from '../../../extension/engines/keepalive';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import type { RunContext } from '../../../extension/engines/core/model';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { KEEPALIVE_LIMITS } from '../../../extension/protocol/keepalive';
import type { KeepAliveView } from '../../../extension/protocol/keepalive';
import { assertNothingLeftOpen, liveHandles, settingsOf } from './experiment';

const viewOf = (m: KeepAliveModel): KeepAliveView => JSON.parse(JSON.stringify(m.view())) as KeepAliveView;

test('seek folds recorded events: back to any step and forward again gives the same view, without the network', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  await m.dispatch({ type: 'run', preset: 'no-keepalive', requests: 12 }, noRunContext);
  await m.dispatch({ type: 'run', preset: 'keepalive', requests: 12 }, noRunContext);
  const end = viewOf(m);
  const length = end.timeline.length;
  assert.equal(end.comparison.length, 2);
  assert.deepEqual(end.comparison.map((r) => [r.preset, r.counters.socketsOpened]), [['no-keepalive', 12], ['keepalive', 1]]);

  const before = liveHandles();
  m.seek(0);
  assert.equal(m.view().run.status, 'none');
  assert.equal(m.view().counters.requests, 0);
  // The first run's last step: the comparison holds one run and the view shows it whole.
  const firstEnd = m.view().timeline.labels.findIndex((l) => / run finished/.test(l)) + 1;
  m.seek(firstEnd);
  assert.equal(m.view().run.run, 1);
  assert.equal(m.view().counters.socketsOpened, 12);
  assert.equal(m.view().comparison.length, 1);
  // Midway through a run: fewer requests finished, status still running.
  m.seek(firstEnd + 10);
  assert.equal(m.view().run.status, 'running');
  assert.ok(m.view().counters.succeeded < 12);
  m.seek(length);
  assert.deepEqual(viewOf(m), end);
  await assertNothingLeftOpen(before);
  await m.dispose();
});

test('an exported session imports into the same view, and its steps pass the schemas', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  await m.dispatch({ type: 'run', preset: 'queueing', requests: 20 }, noRunContext);
  m.seek(m.view().timeline.length - 5);
  const text = JSON.stringify(m.exportSession());
  const file = parseSessionFile(text, { kind: keepAliveFactory.kind, config: keepAliveFactory.configSchema, step: keepAliveFactory.stepSchema });
  const copy = keepAliveFactory.fromSession(file) as KeepAliveModel;
  assert.deepEqual(viewOf(copy), viewOf(m));
  copy.seek(copy.view().timeline.length);
  m.seek(m.view().timeline.length);
  assert.deepEqual(viewOf(copy), viewOf(m));
  // A damaged step is refused with the path of the problem.
  const bad = JSON.parse(text) as { steps: { e: string; at?: unknown }[] };
  bad.steps[3]!.at = 'soon';
  assert.throws(() => parseSessionFile(JSON.stringify(bad), { kind: 'keepalive', config: keepAliveFactory.configSchema, step: keepAliveFactory.stepSchema }), /steps\[3\]\.at/);
  await m.dispose();
});

test('a running experiment reports progress and notifies subscribers as events arrive', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  let notes = 0;
  let liveSockets = 0;
  m.subscribe(() => {
    notes++;
    liveSockets = Math.max(liveSockets, m.view().counters.socketsOpened);
  });
  const fractions: number[] = [];
  await m.dispatch({ type: 'run', preset: 'keepalive', requests: 10 }, { progress: (f) => fractions.push(f), cancelled: false });
  assert.equal(notes, m.view().timeline.length);
  assert.equal(liveSockets, 1);
  assert.deepEqual(fractions, Array.from({ length: 10 }, (_, i) => (i + 1) / 10));
  await m.dispose();
});

test('cancel stops a run promptly, records it as cancelled, and closes every socket, server and timer', async () => {
  const before = liveHandles();
  const m = new KeepAliveModel(presetSettings('keepalive'));
  let cancelled = false;
  const ctx: RunContext = { progress() {}, get cancelled() { return cancelled; } };
  const t0 = performance.now();
  setTimeout(() => { cancelled = true; }, 300);
  // The race preset spends 3 s per idle gap; a cancel must not wait for them.
  await m.dispatch({ type: 'run', preset: 'race', requests: 200 }, ctx);
  const took = performance.now() - t0;
  const v = m.view();
  assert.equal(v.run.status, 'cancelled');
  assert.ok(took < 2_000, `took ${took} ms`);
  assert.ok(v.counters.requests < 200);
  assert.ok(v.lanes.lanes.every((l) => l.closedAt !== undefined), 'every socket has its close recorded');
  await m.dispose();
  await assertNothingLeftOpen(before);
});

test('dispose during a run cancels it and resolves once everything is closed', async () => {
  const before = liveHandles();
  const m = new KeepAliveModel(presetSettings('keepalive'));
  const running = m.dispatch({ type: 'run', preset: 'race', requests: 100 }, noRunContext);
  await new Promise((r) => setTimeout(r, 200));
  await m.dispose();
  await running;
  assert.equal(m.view().run.status, 'cancelled');
  await assertNothingLeftOpen(before);
  await assert.rejects(() => Promise.resolve(m.dispatch({ type: 'run', preset: 'keepalive' }, noRunContext)), UserError);
});

test('one run at a time; the timeline cannot be moved while a run goes on', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  const first = m.dispatch({ type: 'run', preset: 'keepalive', requests: 50 }, noRunContext);
  await assert.rejects(() => Promise.resolve(m.dispatch({ type: 'run', preset: 'keepalive' }, noRunContext)), /already running/);
  assert.throws(() => m.seek(0), /still running/);
  await first;
  await m.dispose();
});

test('configure replaces the settings for the next run and is a step of its own', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  const custom = settingsOf('keepalive', (s) => { s.workload.requests = 3; s.client.kind = 'undici'; s.client.maxSockets = 1; });
  await m.dispatch({ type: 'configure', settings: custom }, noRunContext);
  assert.equal(m.view().config.preset, 'custom');
  assert.deepEqual(m.view().config.settings, custom);
  await m.dispatch({ type: 'run' }, noRunContext);
  assert.equal(m.view().counters.requests, 3);
  assert.equal(m.view().comparison[0]!.client, 'undici');
  m.seek(1);
  assert.deepEqual(m.view().config.settings, custom);
  assert.equal(m.view().run.status, 'none');
  await m.dispose();
});

test('bad intents and settings are rejected with the path of the problem', () => {
  const bad: [unknown, RegExp][] = [
    [{ type: 'run', preset: 'fast' }, /preset: must be one of/],
    [{ type: 'run', requests: 0 }, /requests: must be ≥ 1/],
    [{ type: 'run', requests: KEEPALIVE_LIMITS.maxRequests + 1 }, /requests: must be ≤/],
    [{ type: 'explode' }, /type: must be one of/],
    [{ type: 'configure', settings: { ...presetSettings('race'), extra: 1 } }, /unexpected key "extra"/],
  ];
  for (const [intent, why] of bad) {
    const r = keepAliveFactory.intentSchema.parse(intent, 'intent');
    assert.equal(r.ok, false, JSON.stringify(intent));
    if (!r.ok) assert.match(r.error, why);
  }
  const offsets = settingsOf('race', (s) => { s.workload.edgeOffsetsMs = []; });
  assert.equal(keepAliveFactory.configSchema.parse(offsets).ok, false);
});

test('a run that would outlast the limit is refused before anything opens, saying what to change', async () => {
  const slow = settingsOf('keepalive', (s) => { s.workload.requests = 1_000; s.workload.gapMs = 1_000; });
  assert.throws(() => assertRunFits(slow), (e: Error) => e instanceof UserError && /about 16\.7 min/.test(e.message) && /Lower the request count/.test(e.message));
  const before = liveHandles();
  const m = new KeepAliveModel(slow);
  await assert.rejects(() => m.dispatch({ type: 'run' }, noRunContext), UserError);
  assert.equal(m.view().timeline.length, 0);
  assert.equal(m.view().run.status, 'none');
  await assertNothingLeftOpen(before);
});

test('the view stays bounded: lanes capped with the rest counted, failed lanes kept first', async () => {
  const m = new KeepAliveModel(presetSettings('keepalive'));
  await m.dispatch({ type: 'run', preset: 'no-keepalive', requests: 120 }, noRunContext);
  const lanes = m.view().lanes;
  assert.equal(lanes.total, 120);
  assert.equal(lanes.lanes.length, KEEPALIVE_LIMITS.maxLanesInView);
  assert.equal(lanes.hidden, 120 - KEEPALIVE_LIMITS.maxLanesInView);
  // Without failures the newest lanes are shown, in socket order.
  assert.deepEqual(lanes.lanes.map((l) => l.socket), Array.from({ length: KEEPALIVE_LIMITS.maxLanesInView }, (_, i) => 120 - KEEPALIVE_LIMITS.maxLanesInView + 1 + i));
  assert.ok(JSON.stringify(m.view()).length < 200_000);
  await m.dispose();
});

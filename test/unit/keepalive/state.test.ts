import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeepAliveModel, presetSettings } from '../../../extension/engines/keepalive';
import type { KeepAliveEvent } from '../../../extension/engines/keepalive';
import { latencyPercentiles } from '../../../extension/engines/keepalive/latency';
import { applyEvent, countersOf, initialState } from '../../../extension/engines/keepalive/state';
import { eventsOf } from './experiment';

test('percentiles by nearest rank: known answers', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(latencyPercentiles(hundred), { count: 100, p50: 50, p90: 90, p99: 99, mean: 50.5, max: 100 });
  assert.deepEqual(latencyPercentiles([7]), { count: 1, p50: 7, p90: 7, p99: 7, mean: 7, max: 7 });
  assert.deepEqual(latencyPercentiles([]), { count: 0, p50: 0, p90: 0, p99: 0, mean: 0, max: 0 });
});

test('percentiles are ordered and every one of them was measured', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }).map((x) => x / 1000), { minLength: 1, maxLength: 300 }), (xs) => {
    const p = latencyPercentiles(xs);
    assert.equal(p.count, xs.length);
    assert.ok(p.p50 <= p.p90 && p.p90 <= p.p99 && p.p99 <= p.max);
    for (const v of [p.p50, p.p90, p.p99, p.max]) assert.ok(xs.includes(v));
  }));
});

test('folding the race as recorded: a reused socket reset, the retry on a new socket, who closed and why', () => {
  const s = presetSettings('race-fixed');
  const events: KeepAliveEvent[] = [
    { e: 'run', run: 1, preset: 'race-fixed', settings: s },
    { e: 'issue', at: 0, req: 1 },
    { e: 'open', at: 1, socket: 1, port: 40001, connectMs: 0.5 },
    { e: 'send', at: 1, req: 1, socket: 1, reused: false, attempt: 1 },
    { e: 'arrive', at: 1.2, req: 1, socket: 1 },
    { e: 'serverIdle', at: 1.4, socket: 1, timeoutMs: 3000 },
    { e: 'response', at: 1.5, req: 1, socket: 1, status: 200, attempt: 1 },
    { e: 'issue', at: 3001.4, req: 2 },
    { e: 'send', at: 3001.5, req: 2, socket: 1, reused: true, attempt: 1 },
    { e: 'error', at: 3001.9, req: 2, socket: 1, attempt: 1, code: 'ECONNRESET', message: 'socket hang up', retry: true },
    { e: 'close', at: 3002, socket: 1, by: 'server', reason: 'server-idle-timeout' },
    { e: 'open', at: 3003, socket: 2, port: 40002, connectMs: 0.8 },
    { e: 'send', at: 3003, req: 2, socket: 2, reused: false, attempt: 2 },
    { e: 'arrive', at: 3003.1, req: 2, socket: 2 },
    { e: 'response', at: 3003.5, req: 2, socket: 2, status: 200, attempt: 2 },
    { e: 'end', at: 3004, outcome: 'finished' },
  ];
  const state = initialState(s);
  for (const ev of events) applyEvent(state, ev);
  const run = state.current!;
  const [l1, l2] = run.lanes;
  assert.deepEqual(l1!.requests.map((b) => [b.req, b.reused, b.arrived, b.status ?? b.error]), [[1, false, true, 200], [2, true, false, 'ECONNRESET']]);
  assert.deepEqual(l1!.idle, [{ from: 1.5, to: 3001.5 }]);
  assert.deepEqual(l1!.serverIdle, [{ at: 1.4, deadline: 3001.4 }]);
  assert.deepEqual([l1!.closedAt, l1!.closedBy, l1!.closeReason], [3002, 'server', 'server-idle-timeout']);
  assert.equal(l2!.openedAt, 3002.2);
  assert.deepEqual(l2!.requests.map((b) => [b.req, b.attempt, b.status]), [[2, 2, 200]]);
  const c = countersOf(run);
  assert.deepEqual([c.requests, c.succeeded, c.failed, c.retries, c.socketsOpened], [2, 2, 0, 1, 2]);
  assert.deepEqual(c.errorsByCode, {});
  assert.deepEqual(c.attemptErrorsByCode, { ECONNRESET: 1 });
  assert.equal(c.reuseRatio, 0.333);
  assert.deepEqual(c.closesByCause, { 'server:server-idle-timeout': 1 });
  assert.deepEqual(c.latencyMs, { count: 2, p50: 1.5, p90: 2.1, p99: 2.1, mean: 1.8, max: 2.1 });
  assert.equal(state.history.length, 1);
});

test('any sequence of seeks lands on the state a fresh fold of that many steps gives', async () => {
  const recorded = await eventsOf(presetSettings('queueing', 'node'));
  const steps: KeepAliveEvent[] = [{ e: 'run', run: 1, preset: 'queueing', settings: presetSettings('queueing') }, ...recorded];
  const model = new KeepAliveModel(presetSettings('keepalive'));
  model.replay(steps, steps.length);
  const freshView = (n: number): string => {
    const fresh = new KeepAliveModel(presetSettings('keepalive'));
    fresh.replay(steps.slice(0, n), n);
    const { timeline: _t, ...rest } = fresh.view();
    return JSON.stringify(rest);
  };
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: steps.length }), { minLength: 1, maxLength: 8 }), (seeks) => {
    for (const n of seeks) model.seek(n);
    const { timeline: _t, ...rest } = model.view();
    assert.equal(JSON.stringify(rest), freshView(seeks[seeks.length - 1]!));
  }), { numRuns: 40 });
});

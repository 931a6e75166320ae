import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNothingLeftOpen, eventsOf, liveHandles, runWith, settingsOf } from './experiment';

const N = 25;

for (const client of ['node', 'undici'] as const) {
  test(`${client}: sequential requests with keep-alive share one socket, and the server saw one connection`, async () => {
    const before = liveHandles();
    // undici's Pool opens a second connection for back-to-back requests when it may (connections > 1), so one socket means one allowed.
    const view = await runWith(settingsOf('keepalive', (s) => { s.workload.requests = N; s.client.maxSockets = 1; }, client));
    const c = view.counters;
    assert.equal(view.run.status, 'finished');
    assert.equal(c.succeeded, N);
    assert.equal(c.socketsOpened, 1);
    assert.equal(c.serverConnections, 1);
    assert.equal(c.reuseRatio, Math.round(((N - 1) / N) * 1000) / 1000);
    assert.equal(view.lanes.lanes.length, 1);
    const lane = view.lanes.lanes[0]!;
    assert.deepEqual(lane.requests.map((b) => b.req), Array.from({ length: N }, (_, i) => i + 1));
    assert.ok(lane.requests.every((b) => b.arrived && b.status === 200));
    assert.deepEqual(c.closesByCause, { 'client:run-ended': 1 });
    await assertNothingLeftOpen(before);
  });

  test(`${client}: without keep-alive every request opens its own socket`, async () => {
    const before = liveHandles();
    const view = await runWith(settingsOf('no-keepalive', (s) => { s.workload.requests = N; }, client));
    const c = view.counters;
    assert.equal(c.succeeded, N);
    assert.equal(c.socketsOpened, N);
    assert.equal(c.serverConnections, N);
    assert.equal(c.reuseRatio, 0);
    assert.ok(view.lanes.lanes.every((l) => l.requests.length === 1 && l.closedAt !== undefined));
    // Connection: close: whichever end acted first, no socket outlived its request.
    const closes = Object.entries(c.closesByCause);
    assert.ok(closes.every(([cause]) => /no-keepalive|connection-close|not-kept/.test(cause)), JSON.stringify(c.closesByCause));
    await assertNothingLeftOpen(before);
  });
}

test('node: maxSockets 4 with 32 concurrent requests opens 4 sockets and makes the rest queue', async () => {
  const before = liveHandles();
  const view = await runWith(settingsOf('queueing', (s) => { s.workload.requests = 48; }));
  const c = view.counters;
  assert.equal(c.succeeded, 48);
  assert.equal(c.socketsOpened, 4);
  assert.equal(c.serverConnections, 4);
  // 48 requests through 4 sockets at 20 ms each: most of them waited several responses' worth.
  assert.ok(c.meanWaitMs > 40, `mean wait ${c.meanWaitMs} ms`);
  // Request 48 is issued with 31 others outstanding and 4 in service: it waits at least 6 whole 20 ms responses.
  const last = view.lanes.lanes.flatMap((l) => l.requests).find((b) => b.req === 48)!;
  assert.ok(last.start - last.issuedAt >= 120, `request 48 waited ${last.start - last.issuedAt} ms`);
  // Never more than one request at a time on a socket (no pipelining in node:http).
  for (const lane of view.lanes.lanes) {
    for (let i = 1; i < lane.requests.length; i++) assert.ok(lane.requests[i]!.start >= lane.requests[i - 1]!.end!, `socket ${lane.socket} overlapped`);
  }
  await assertNothingLeftOpen(before);
});

test('the server\'s idle timer is read from its socket: keepAliveTimeout plus Node\'s own buffer', async () => {
  const view = await runWith(settingsOf('keepalive', (s) => { s.workload.requests = 2; s.server.keepAliveTimeoutMs = 2_345; }));
  const observed = view.config.observedServerIdleMs;
  // Node arms keepAliveTimeout plus a buffer of its own (1 s on Node 20); the engine reports what it armed.
  assert.ok(observed !== undefined && observed >= 2_345, `observed ${observed}`);
  assert.equal(view.counters.socketsOpened, 1);
  const lane = view.lanes.lanes[0]!;
  assert.equal(lane.serverIdle.length, 2);
  assert.ok(lane.serverIdle.every((d) => Math.abs(d.deadline - d.at - observed) < 1e-6));
  assert.deepEqual(view.counters.closesByCause, { 'client:run-ended': 1 });
});

test('node: the agent honours "Keep-Alive: timeout=2" (minus its 1 s margin) only to shorten an idle timeout it already has', async () => {
  const clientIdles = async (idleTimeoutMs: number): Promise<unknown[]> => {
    const events = await eventsOf(settingsOf('keepalive', (s) => { s.workload.requests = 2; s.server.keepAliveTimeoutMs = 2_345; s.client.idleTimeoutMs = idleTimeoutMs; }));
    return events.filter((e) => e.e === 'clientIdle').map((e) => e.e === 'clientIdle' && { timeoutMs: e.timeoutMs, fromHint: e.fromHint });
  };
  assert.deepEqual(await clientIdles(1_500), [{ timeoutMs: 1_000, fromHint: true }, { timeoutMs: 1_000, fromHint: true }]);
  assert.deepEqual(await clientIdles(800), [{ timeoutMs: 800, fromHint: false }, { timeoutMs: 800, fromHint: false }]);
  // No agent timeout: Node keeps the socket with no idle timer at all, whatever the server announced.
  assert.deepEqual(await clientIdles(0), []);
});

test('node: a Keep-Alive hint of 1 s leaves Node\'s agent nothing to keep, so every request opens a socket', async () => {
  const view = await runWith(settingsOf('keepalive', (s) => { s.workload.requests = 3; s.server.keepAliveTimeoutMs = 1_234; }));
  assert.equal(view.counters.socketsOpened, 3);
  assert.equal(view.counters.reuseRatio, 0);
  assert.deepEqual(view.counters.closesByCause, { 'client:client-not-kept': 3 });
  assert.match(view.lanes.lanes[0]!.closeDetail ?? '', /timeout=1/);
});

test('node: bursts of 5 with gaps open 5 sockets once and reuse them for every later burst', async () => {
  const before = liveHandles();
  const view = await runWith(settingsOf('keepalive', (s) => {
    s.workload = { ...s.workload, pattern: 'bursts', requests: 15, burstSize: 5, gapMs: 30 };
  }));
  const c = view.counters;
  assert.equal(c.succeeded, 15);
  assert.equal(c.socketsOpened, 5);
  assert.equal(c.reuseRatio, Math.round((10 / 15) * 1000) / 1000);
  // Each socket carried one request per burst, and sat idle through each gap.
  for (const lane of view.lanes.lanes) {
    assert.equal(lane.requests.length, 3);
    assert.ok(lane.idle.filter((p) => p.to !== undefined && p.to - p.from >= 25).length >= 2, JSON.stringify(lane.idle));
  }
  await assertNothingLeftOpen(before);
});

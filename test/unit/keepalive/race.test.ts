import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeepAliveView } from '../../../extension/protocol/keepalive';
import { assertNothingLeftOpen, liveHandles, runWith, settingsOf } from './experiment';

// Each idle-edge lane is a client with one socket: a burst of 2, then a request aimed at the moment
// the server's idle timer fires (offset 0 first: the same turn of the event loop as the close).
// Without a Keep-Alive hint the server's timeout can be short (200 ms + Node's buffer) to keep tests quick;
// the fix needs a hint of at least 2 s, since Node's agent subtracts 1 s from it.
const QUICK_SERVER_MS = 200;
const racingRequests = (lanes: number, edgesPerLane: number): number => lanes * (2 * edgesPerLane + 1);

function raceFailures(view: KeepAliveView): number {
  return (view.counters.errorsByCode['ECONNRESET'] ?? 0) + (view.counters.errorsByCode['EPIPE'] ?? 0);
}

test('race: a reused socket meets the server\'s idle close → ECONNRESET within a bounded number of runs', async () => {
  const before = liveHandles();
  let view: KeepAliveView | undefined;
  // Offset 0 makes the first run fail on its own; the bound is there for a machine that stalls a whole turn.
  for (let run = 1; run <= 3; run++) {
    view = await runWith(settingsOf('race', (s) => { s.workload.requests = racingRequests(4, 1); s.server.keepAliveTimeoutMs = QUICK_SERVER_MS; }));
    if (raceFailures(view) > 0) break;
  }
  const c = view!.counters;
  assert.ok(raceFailures(view!) >= 1, `no reset in 3 runs: ${JSON.stringify(c.errorsByCode)}`);
  // The failure is the race and nothing else: a reused socket, closed by the server's idle timer, and the
  // request never reached the server.
  const failed = view!.lanes.lanes.flatMap((l) => l.requests.filter((b) => b.error).map((b) => ({ b, l })));
  assert.ok(failed.length >= 1);
  for (const { b, l } of failed) {
    assert.equal(b.reused, true);
    assert.equal(b.arrived, false, `request #${b.req} should have died on the wire`);
    assert.equal(l.closedBy, 'server');
    assert.equal(l.closeReason, 'server-idle-timeout');
    // The request was written within a few ms of the server's deadline on that socket.
    const deadline = l.serverIdle[l.serverIdle.length - 1]!.deadline;
    assert.ok(Math.abs(b.start - deadline) < 50, `sent at ${b.start}, server deadline ${deadline}`);
  }
  assert.equal(c.retries, 0);
  await assertNothingLeftOpen(before);
});

test('race-fixed: the same timing over many requests produces no error at all, and sockets are still reused', async () => {
  const before = liveHandles();
  const view = await runWith(settingsOf('race-fixed', (s) => {
    s.workload.concurrency = 32;
    s.workload.requests = racingRequests(32, 1);
  }));
  const c = view.counters;
  assert.equal(view.run.status, 'finished');
  assert.equal(c.requests, 96);
  assert.equal(c.failed, 0, JSON.stringify(c.errorsByCode));
  assert.deepEqual(c.attemptErrorsByCode, {}, 'not even a retried failure on the wire');
  assert.equal(c.retries, 0);
  // The client dropped its idle sockets (1 s, from the server's hint) before the server's 3 s timer…
  assert.ok((c.closesByCause['client:client-idle-timeout'] ?? 0) >= 32, JSON.stringify(c.closesByCause));
  assert.equal(c.closesByCause['server:server-idle-timeout'] ?? 0, 0);
  // …and still reused them inside each burst.
  assert.ok(c.reuseRatio > 0.3, `reuse ${c.reuseRatio}`);
  await assertNothingLeftOpen(before);
});

test('retrying alone hides the race for GET, but a POST is not idempotent and is never retried', async () => {
  const before = liveHandles();
  const onlyRetry = (method: 'GET' | 'POST') => settingsOf('race', (s) => {
    s.client.retryIdempotent = true;
    s.workload.method = method;
    s.workload.requests = racingRequests(4, 1);
    s.workload.edgeOffsetsMs = [0];
    s.server.keepAliveTimeoutMs = QUICK_SERVER_MS;
  });
  // Two experiments at once: each has its own server, sockets and record.
  const [get, post] = await Promise.all([runWith(onlyRetry('GET')), runWith(onlyRetry('POST'))]);
  assert.ok(get.counters.retries >= 1, `GET retries ${get.counters.retries}`);
  assert.equal(get.counters.failed, 0, JSON.stringify(get.counters.errorsByCode));
  assert.ok((get.counters.attemptErrorsByCode['ECONNRESET'] ?? 0) >= 1, 'the wire still saw the reset');
  assert.equal(post.counters.retries, 0);
  assert.ok(post.counters.failed >= 1, `POST failures ${post.counters.failed}`);
  // A retried request is one request with two attempts: its second box is on a new socket.
  const retried = get.lanes.lanes.flatMap((l) => l.requests).filter((b) => b.attempt === 2);
  assert.ok(retried.length >= 1 && retried.every((b) => !b.reused && b.status === 200));
  await assertNothingLeftOpen(before);
});

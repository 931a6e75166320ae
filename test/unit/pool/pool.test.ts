import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../extension/engines/core/model';
import type { Lease } from '../../../extension/engines/pool/pool';
import { checkPoolConfig, defaultPoolConfig } from '../../../extension/engines/pool/poolConfig';
import { PoolRig, errorOf } from './rig';

test('minIdle connections open in the background and show as server threads', () => {
  const r = new PoolRig({ minIdle: 2, maxSize: 4 }, { connectMs: 2 });
  r.advance(0);
  assert.equal(r.pool.metrics().connecting, 2);
  r.advance(10);
  const m = r.pool.metrics();
  assert.equal(m.idle, 2);
  assert.equal(m.created, 2);
  assert.deepEqual(r.serverThreads().sort(), r.pool.inspect().slots.map((s) => s.threadId).sort());
});

test('a borrow takes an idle connection without connecting; with none idle it opens one, up to maxSize', () => {
  const r = new PoolRig({ minIdle: 1, maxSize: 2 });
  r.advance(10);
  const a = r.borrow();
  assert.equal(r.pool.metrics().created, 1, 'the idle connection was reused');
  assert.equal(r.ofType('borrow')[0]!.waitedMs, 0);
  const b = r.borrow();
  assert.notEqual(a.connectionId, b.connectionId);
  assert.equal(r.pool.metrics().created, 2);
  const c = r.request();
  r.advance(100);
  assert.equal(c.result, undefined, 'the third borrower waits: the pool is at maxSize');
  assert.equal(r.pool.metrics().waiting, 1);
  assert.equal(r.pool.metrics().total, 2);
});

test('the most recently returned idle connection is handed out first', () => {
  const r = new PoolRig({ minIdle: 0, maxSize: 3 });
  const [a, b, c] = [r.borrow(), r.borrow(), r.borrow()];
  r.giveBack(a);
  r.advance(5);
  r.giveBack(c);
  r.advance(5);
  r.giveBack(b);
  assert.equal(r.borrow().connectionId, b.connectionId);
  assert.equal(r.borrow().connectionId, c.connectionId);
});

test('waiters are served first come, first served as connections come back', () => {
  const r = new PoolRig({ maxSize: 1, acquireTimeoutMs: 60_000 });
  const holder = r.borrow('holder');
  const queued = ['w1', 'w2', 'w3'].map((n) => r.request(n));
  const waits = r.ofType('wait').filter((e) => e.borrower !== 'holder');
  assert.deepEqual(waits.map((e) => [e.borrower, e.position]), [['w1', 1], ['w2', 2], ['w3', 3]]);
  let lease: Lease = holder;
  for (const q of queued) {
    r.giveBack(lease);
    assert.ok(q.result?.ok, 'the head of the queue got the connection');
    lease = q.result.value;
  }
  assert.deepEqual(r.ofType('borrow').map((e) => e.borrower), ['holder', 'w1', 'w2', 'w3']);
  assert.equal(r.pool.metrics().created, 1);
});

test('a waiter still queued at acquireTimeoutMs gets POOL_ACQUIRE_TIMEOUT, exactly on time', () => {
  const r = new PoolRig({ maxSize: 1, acquireTimeoutMs: 500 });
  r.borrow();
  const t0 = r.now;
  const w = r.request('late');
  r.advance(499);
  assert.equal(w.result, undefined);
  r.advance(1);
  const e = errorOf(w.result);
  assert.equal(e.code, 'POOL_ACQUIRE_TIMEOUT');
  assert.match(e.message, /1 of max 1 in use/);
  assert.equal(r.ofType('timeout')[0]!.t, t0 + 500);
  assert.equal(r.pool.metrics().timeouts, 1);
  assert.equal(r.pool.metrics().waiting, 0);
});

test('idle connections above minIdle close after idleTimeoutMs; minIdle ones stay', () => {
  const r = new PoolRig({ minIdle: 1, maxSize: 3, idleTimeoutMs: 1000 });
  const [a, b, c] = [r.borrow(), r.borrow(), r.borrow()];
  for (const l of [a, b, c]) r.giveBack(l);
  const returned = r.now;
  r.advance(999);
  assert.equal(r.pool.metrics().idle, 3);
  r.advance(1);
  r.advance(0);
  const evicted = r.ofType('evict');
  assert.equal(evicted.length, 2);
  assert.ok(evicted.every((e) => e.reason === 'idle-timeout' && e.t === returned + 1000));
  r.advance(10_000);
  assert.equal(r.pool.metrics().idle, 1);
  assert.equal(r.serverThreads().length, 1);
});

test('a borrowed connection past maxLifetimeMs is not taken away: it retires when returned', () => {
  const r = new PoolRig({ minIdle: 0, maxSize: 1, maxLifetimeMs: 5000, idleTimeoutMs: 0 });
  const held = r.borrow();
  r.advance(6000);
  assert.equal(r.ofType('evict').length, 0);
  r.giveBack(held);
  assert.deepEqual(r.ofType('evict').map((e) => [e.conn, e.reason]), [[held.connectionId, 'max-lifetime']]);
});

test('an idle connection retires exactly at maxLifetimeMs and minIdle opens a replacement', () => {
  const r = new PoolRig({ minIdle: 1, maxSize: 2, maxLifetimeMs: 5000, idleTimeoutMs: 0 });
  r.advance(10);
  const first = r.pool.inspect().slots[0]!;
  r.advance(5000);
  assert.deepEqual(r.ofType('evict').map((e) => [e.conn, e.reason, e.t]), [[first.id, 'max-lifetime', first.createdAt + 5000]]);
  r.advance(10);
  assert.equal(r.pool.metrics().idle, 1);
  assert.notEqual(r.pool.inspect().slots[0]!.id, first.id);
});

test('stale: the server closes idle connections at wait_timeout and the next query fails; the pool discards the broken connection', () => {
  const r = new PoolRig({ minIdle: 1, maxSize: 1, idleTimeoutMs: 0 }, { waitTimeoutS: 2 });
  r.advance(10);
  r.advance(2500);
  assert.equal(r.serverThreads().length, 0, 'the server closed it');
  assert.equal(r.pool.metrics().idle, 1, 'the pool does not know yet');
  const lease = r.borrow();
  const e = errorOf(r.query(lease));
  assert.equal(e.code, 'PROTOCOL_CONNECTION_LOST');
  r.giveBack(lease);
  assert.equal(r.ofType('evict').at(-1)!.reason, 'broken');
  r.advance(10);
  const fresh = r.borrow();
  assert.ok(r.query(fresh).ok);
  assert.equal(r.pool.metrics().failedQueries, 1);
});

test('keep-alive pings reset the server idle clock: no connection goes stale', () => {
  const r = new PoolRig({ minIdle: 2, maxSize: 2, idleTimeoutMs: 0, keepaliveMs: 1000 }, { waitTimeoutS: 2 });
  r.advance(20_000);
  assert.equal(r.serverThreads().length, 2);
  assert.ok(r.pool.metrics().pings >= 2 * 19, `${r.pool.metrics().pings} pings`);
  const lease = r.borrow();
  assert.ok(r.query(lease).ok);
  assert.equal(r.pool.metrics().created, 2);
});

test('validation on borrow discards a dead connection and hands out a fresh one: no failed query', () => {
  const r = new PoolRig({ minIdle: 2, maxSize: 2, idleTimeoutMs: 0, validateOnBorrow: true }, { waitTimeoutS: 2 });
  r.advance(3000);
  const lease = r.borrow();
  assert.ok(r.query(lease).ok);
  const m = r.pool.metrics();
  assert.equal(m.failedQueries, 0);
  assert.ok(m.validationFailures >= 1);
  assert.ok(r.ofType('evict').every((e) => e.reason === 'validation-failed'));
  assert.deepEqual(r.ofType('validate-failed').map((e) => e.code), Array(m.validationFailures).fill('PROTOCOL_CONNECTION_LOST'));
});

test('validations that end out of order still serve borrowers first come, first served', () => {
  // Seed 5 draws a slower validation for the first borrower's connection than for the second's.
  const r = new PoolRig({ maxSize: 2, validateOnBorrow: true }, { jitter: 0.3 }, 5);
  r.request('first');
  r.request('second');
  r.advance(10);
  const validations = r.ofType('validate').map((e) => e.conn);
  const borrows = r.ofType('borrow');
  assert.deepEqual(borrows.map((e) => e.borrower), ['first', 'second']);
  assert.notEqual(borrows[0]!.conn, validations[0], 'the first borrower got the connection validated first, not the one validated for it');
});

test('a connection KILLed server-side fails its next query', () => {
  const r = new PoolRig({ minIdle: 1, maxSize: 1 });
  r.advance(10);
  const thread = r.pool.inspect().slots[0]!.threadId!;
  assert.ok(r.rt.server.kill(thread).ok);
  const lease = r.borrow();
  assert.equal(errorOf(r.query(lease)).code, 'PROTOCOL_CONNECTION_LOST');
});

function forgetfulReportHandler(r: PoolRig): Lease {
  return r.borrow('report handler');
}

test('a connection held past leakThresholdMs is reported once, with the stack that borrowed it', () => {
  const r = new PoolRig({ maxSize: 2, leakThresholdMs: 1000 });
  const lease = forgetfulReportHandler(r);
  const at = r.now;
  r.advance(999);
  assert.equal(r.ofType('leak').length, 0);
  r.advance(1);
  const [leak] = r.ofType('leak');
  assert.ok(leak);
  assert.equal(leak.t, at + 1000);
  assert.equal(leak.borrower, 'report handler');
  assert.match(leak.stack, /forgetfulReportHandler/);
  assert.doesNotMatch(leak.stack.split('\n')[0]!, /Pool\.acquire/, 'the stack starts at the borrower, not inside the pool');
  assert.ok(r.pool.inspect().slots.find((s) => s.id === lease.connectionId)!.leaked);
  r.advance(10_000);
  r.giveBack(lease);
  assert.equal(r.ofType('leak').length, 1);
  assert.equal(r.pool.metrics().leaks, 1);
});

test('maxUses 1 is connect per request: no connection is reused, even by a waiting borrower', () => {
  const r = new PoolRig({ minIdle: 0, maxIdle: 0, maxUses: 1, maxSize: 1, acquireTimeoutMs: 60_000 });
  const first = r.borrow();
  const waiting = r.request();
  r.giveBack(first);
  r.advance(10);
  assert.ok(waiting.result?.ok);
  assert.notEqual(waiting.result.value.connectionId, first.connectionId);
  assert.equal(r.pool.metrics().evictions['max-uses'], 1);
});

test('maxIdle 0: a connection returned while nobody waits is closed', () => {
  const r = new PoolRig({ minIdle: 0, maxIdle: 0, maxSize: 2 });
  for (let i = 0; i < 5; i++) {
    const l = r.borrow();
    assert.ok(r.query(l).ok);
    r.giveBack(l);
  }
  const m = r.pool.metrics();
  assert.equal(m.created, 5);
  assert.equal(m.destroyed, 5);
  assert.equal(m.evictions['max-idle'], 5);
  assert.equal(r.serverThreads().length, 0);
});

test('refused connections (max_connections) back off and the timed-out waiter is told why', () => {
  const r = new PoolRig({ maxSize: 3, acquireTimeoutMs: 1000 }, { maxConnections: 1 });
  r.borrow();
  const w = r.request();
  r.advance(1000);
  const e = errorOf(w.result);
  assert.equal(e.code, 'POOL_ACQUIRE_TIMEOUT');
  assert.match(e.message, /Too many connections \(ER_CON_COUNT_ERROR\)/);
  const failures = r.ofType('connect-failed');
  // 100, 200, 400 ms backoff: four attempts in the first second, not a busy loop.
  assert.ok(failures.length >= 3 && failures.length <= 5, `${failures.length} attempts`);
  assert.ok(failures.every((f) => f.code === 'ER_CON_COUNT_ERROR'));
});

test('shutdown rejects waiters, revokes leases and closes every connection on the server', () => {
  const r = new PoolRig({ minIdle: 2, maxSize: 2 });
  r.advance(10);
  const held = r.borrow();
  r.borrow();
  const w = r.request();
  let done = false;
  r.pool.shutdown(() => { done = true; });
  r.advance(10);
  assert.ok(done);
  assert.equal(errorOf(w.result).code, 'POOL_CLOSED');
  assert.throws(() => held.release(), /shut down/);
  assert.equal(r.serverThreads().length, 0);
  assert.equal(r.pool.metrics().total, 0);
  const late = r.request();
  r.advance(1);
  assert.equal(errorOf(late.result).code, 'POOL_CLOSED');
});

test('reconfigure: a lower maxSize closes the surplus idle connections', () => {
  const r = new PoolRig({ minIdle: 4, maxIdle: 4, maxSize: 4 });
  r.advance(10);
  r.pool.reconfigure({ ...r.pool.settings, minIdle: 1, maxIdle: 2, maxSize: 2 });
  r.advance(10);
  assert.equal(r.pool.metrics().total, 2);
  assert.equal(r.serverThreads().length, 2);
});

test('inconsistent settings are refused with a message naming the conflict', () => {
  assert.throws(() => checkPoolConfig({ ...defaultPoolConfig, minIdle: 5, maxSize: 4 }), (e: unknown) => e instanceof UserError && /minIdle \(5\) is above maxSize \(4\)/.test(e.message));
  assert.throws(() => checkPoolConfig({ ...defaultPoolConfig, maxIdle: 1, minIdle: 2 }), /minIdle \(2\) is above maxIdle \(1\)/);
  assert.throws(() => checkPoolConfig({ ...defaultPoolConfig, keepaliveMs: 5000, maxLifetimeMs: 5000 }), /keepaliveMs/);
});

type Op = { kind: 'acquire' } | { kind: 'release'; pick: number } | { kind: 'query'; pick: number } | { kind: 'advance'; ms: number } | { kind: 'kill'; pick: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'acquire' }),
  fc.nat(20).map<Op>((pick) => ({ kind: 'release', pick })),
  fc.nat(20).map<Op>((pick) => ({ kind: 'query', pick })),
  fc.integer({ min: 0, max: 3000 }).map<Op>((ms) => ({ kind: 'advance', ms })),
  fc.nat(20).map<Op>((pick) => ({ kind: 'kill', pick })),
);

function runOps(ops: Op[], cfg: { maxSize: number; minIdle: number; validate: boolean; keepalive: boolean }, seed: number): PoolRig {
  const r = new PoolRig(
    { maxSize: cfg.maxSize, minIdle: cfg.minIdle, maxIdle: cfg.maxSize, acquireTimeoutMs: 1500, idleTimeoutMs: 4000, maxLifetimeMs: 20_000, keepaliveMs: cfg.keepalive ? 1000 : 0, validateOnBorrow: cfg.validate, leakThresholdMs: 5000 },
    { waitTimeoutS: 3, jitter: 0.3 },
    seed,
  );
  const leases: Lease[] = [];
  const querying = new Set<Lease>();
  for (const op of ops) {
    if (op.kind === 'acquire') r.pool.acquire('prop', (res) => { if (res.ok) leases.push(res.value); });
    else if (op.kind === 'advance') r.advance(op.ms);
    else if (op.kind === 'kill') {
      const threads = r.serverThreads();
      if (threads.length) r.rt.server.kill(threads[op.pick % threads.length]!);
    } else {
      const live = leases.filter((l) => l.active);
      const l = live[op.pick % Math.max(1, live.length)];
      if (!l) continue;
      if (op.kind === 'release') l.release();
      else if (!querying.has(l)) {
        querying.add(l);
        l.query('SELECT 1', () => querying.delete(l));
      }
    }
    r.advance(0);
    const m = r.pool.metrics();
    assert.ok(m.total <= cfg.maxSize, `total ${m.total} > maxSize ${cfg.maxSize}`);
    // A lease returned mid-query still holds its connection until the query ends.
    const holding = leases.filter((l) => l.active || querying.has(l)).length;
    assert.equal(m.active, holding, 'every lease holds one in-use connection');
    assert.ok(r.serverThreads().length <= cfg.maxSize + m.connecting + 1);
    const view = r.pool.inspect();
    if (view.slots.some((s) => s.state === 'idle')) assert.equal(view.waiters.filter((w) => w.validating === null).length, 0, 'nobody waits while a connection idles');
  }
  return r;
}

test('property: maxSize holds, leases match in-use connections, waiters are answered once and in FIFO order', () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { maxLength: 60 }),
      fc.record({ maxSize: fc.integer({ min: 1, max: 4 }), minIdle: fc.integer({ min: 0, max: 1 }), validate: fc.boolean(), keepalive: fc.boolean() }),
      fc.nat(),
      (ops, cfg, seed) => {
        const r = runOps(ops, cfg, seed);
        const answered = [...r.ofType('borrow').map((e) => e.waiter), ...r.ofType('timeout').map((e) => e.waiter)];
        assert.equal(new Set(answered).size, answered.length, 'no waiter answered twice');
        // Served waiters that queued were served in queue order.
        const queuedIds = new Set(r.ofType('wait').map((e) => e.waiter));
        const served = r.ofType('borrow').map((e) => e.waiter).filter((id) => queuedIds.has(id));
        assert.deepEqual(served, [...served].sort((a, b) => a - b));
        const m = r.pool.metrics();
        assert.equal(m.acquired, r.ofType('borrow').length);
        assert.equal(m.created - m.destroyed, r.pool.inspect().slots.filter((s) => s.state !== 'connecting').length);
      },
    ),
    { numRuns: 150 },
  );
});

test('the same seed and operations give the same events: runs are deterministic', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 40 }), fc.nat(), (ops, seed) => {
      const cfg = { maxSize: 3, minIdle: 1, validate: true, keepalive: true };
      // One call site for both runs: leak reports carry the borrower's stack, columns included.
      const [a, b] = [1, 2].map(() => runOps(ops, cfg, seed).events);
      assert.deepEqual(a, b);
    }),
    { numRuns: 40 },
  );
});

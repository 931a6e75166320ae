import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import { Prng } from '../../../extension/engines/core/prng';
import { KeySet, Router, balanceOf, ketamaDigestCounts, maglevTableSize, movementReport } from '../../../extension/engines/ring';
import type { SchemeName } from '../../../extension/protocol/ring';
import { SCHEME_NAMES } from '../../../extension/protocol/ring';

const KEYS = KeySet.empty.with({ kind: 'generated', seed: 42, count: 3_000 });
const KEY_LIST = KEYS.slice(0, KEYS.size);
const names = (n: number, prefix = 's'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function owners(r: Router, keys = KEYS): (string | undefined)[] {
  const o = r.assign(keys, noRunContext)!;
  return Array.from(o, (i) => r.servers[i]?.name);
}

function report(before: Router, after: Router, keys = KEYS) {
  return movementReport(
    { change: 'add', label: 'change' },
    { servers: before.servers, owners: before.assign(keys, noRunContext)! },
    { servers: after.servers, owners: after.assign(keys, noRunContext)! },
  );
}

const serverCount = fc.integer({ min: 2, max: 24 });

test('monotone on add: ring, rendezvous, jump and ketama (at unchanged point counts) move keys only onto the new server', () => {
  fc.assert(
    fc.property(fc.constantFrom<SchemeName>('ring', 'rendezvous', 'jump', 'ketama'), serverCount, fc.integer({ min: 1, max: 200 }), (scheme, n, vnodes) => {
      if (scheme === 'ketama' && ketamaDigestCounts(new Array(n).fill(1))[0] !== ketamaDigestCounts(new Array(n + 1).fill(1))[0]) return;
      const before = Router.build(scheme, names(n), { vnodes: scheme === 'ketama' ? 160 : vnodes });
      const after = before.add('new');
      const a = owners(before);
      const b = owners(after);
      a.forEach((o, i) => assert.ok(b[i] === o || b[i] === 'new', `${scheme}: ${KEY_LIST[i]} moved ${o} → ${b[i]}`));
    }),
    { numRuns: 60 },
  );
});

test('monotone on remove: only the removed server\'s keys move (jump: the last server, the only one it can drop)', () => {
  fc.assert(
    fc.property(fc.constantFrom<SchemeName>('ring', 'rendezvous', 'jump', 'ketama'), serverCount, fc.nat(), (scheme, n, pick) => {
      if (scheme === 'ketama' && ketamaDigestCounts(new Array(n).fill(1))[0] !== ketamaDigestCounts(new Array(n - 1).fill(1))[0]) return;
      const victim = scheme === 'jump' ? `s${n - 1}` : `s${pick % n}`;
      const before = Router.build(scheme, names(n));
      const after = before.remove(victim);
      const a = owners(before);
      const b = owners(after);
      a.forEach((o, i) => { if (o !== victim) assert.equal(b[i], o, `${scheme}: ${KEY_LIST[i]} moved off ${o}`); });
    }),
    { numRuns: 60 },
  );
});

test('a failed server\'s keys go to the next live server in the key\'s preference order; nobody else\'s move', () => {
  fc.assert(
    fc.property(fc.constantFrom<SchemeName>('modulo', 'ring', 'ketama', 'jump', 'rendezvous'), serverCount, fc.nat(), (scheme, n, pick) => {
      const victim = `s${pick % n}`;
      const before = Router.build(scheme, names(n));
      const after = before.fail(victim);
      const a = owners(before);
      const b = owners(after);
      KEY_LIST.forEach((k, i) => {
        if (a[i] !== victim) assert.equal(b[i], a[i]);
        else assert.equal(b[i], before.replicas(k, 2)[1], `${scheme}: ${k} should go to its first replica`);
      });
    }),
    { numRuns: 60 },
  );
});

test('recovering a failed server restores every owner exactly, in every scheme', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SCHEME_NAMES), serverCount, fc.nat(), (scheme, n, pick) => {
      const base = Router.build(scheme, names(n));
      const failed = base.fail(`s${pick % n}`);
      assert.ok(!owners(failed).includes(`s${pick % n}`), 'a failed server serves nothing');
      assert.deepEqual(owners(failed.recover(`s${pick % n}`)), owners(base));
    }),
    { numRuns: 40 },
  );
});

test('the name-based schemes route alike whatever the order of the server list', () => {
  fc.assert(
    fc.property(fc.constantFrom<SchemeName>('ring', 'ketama', 'rendezvous', 'maglev', 'bounded'), serverCount, fc.integer(), (scheme, n, seed) => {
      const list = names(n);
      const shuffled = new Prng(seed).shuffle([...list]);
      assert.deepEqual(owners(Router.build(scheme, shuffled)), owners(Router.build(scheme, list)));
    }),
    { numRuns: 40 },
  );
});

test('replicas are distinct live servers, the owner first; when the owner fails the first replica takes over', () => {
  for (const scheme of SCHEME_NAMES) {
    const r = Router.build(scheme, names(6));
    for (const k of KEY_LIST.slice(0, 200)) {
      const reps = r.replicas(k, 3);
      assert.equal(reps.length, 3);
      assert.equal(new Set(reps).size, 3, `${scheme}: ${reps}`);
      assert.equal(reps[0], r.owner(k));
      if (scheme !== 'bounded' && scheme !== 'maglev') assert.equal(r.fail(reps[0]!).owner(k), reps[1], scheme);
    }
  }
});

test('modulo moves about N/(N+1) of the keys when a server is added; the ring about 1/(N+1), and never a wrong move', () => {
  const keys = KeySet.empty.with({ kind: 'generated', seed: 5, count: 40_000 });
  const mod = report(Router.build('modulo', names(10)), Router.build('modulo', names(11)), keys);
  assert.ok(Math.abs(mod.fraction - 10 / 11) < 0.02, `modulo moved ${mod.fraction}`);
  assert.ok(mod.wrongMoves > 0.8 * keys.size);
  const ring = report(Router.build('ring', names(10)), Router.build('ring', names(10)).add('s10'), keys);
  assert.ok(Math.abs(ring.ideal - 1 / 11) < 1e-12);
  assert.ok(ring.fraction > 0.06 && ring.fraction < 0.12, `ring moved ${ring.fraction}`);
  assert.equal(ring.wrongMoves, 0);
  // The matrix has one column: every moved key went to the new server.
  for (let i = 0; i < ring.matrix.length; i += 3) assert.equal(ring.names[ring.matrix[i + 1]!], 's10');
});

test('the ideal fraction is the shift of weight shares: 1/(N+1) to add, 1/N to remove or fail, |Δshare| for a weight', () => {
  const r = Router.build('ring', names(4));
  assert.ok(Math.abs(report(r, r.add('x')).ideal - 1 / 5) < 1e-12);
  assert.ok(Math.abs(report(r, r.remove('s1')).ideal - 1 / 4) < 1e-12);
  assert.ok(Math.abs(report(r, r.fail('s1')).ideal - 1 / 4) < 1e-12);
  assert.ok(Math.abs(report(r, r.setWeight('s0', 2)).ideal - (2 / 5 - 1 / 4)) < 1e-12);
  assert.equal(report(r, r.withOptions({ vnodes: 50 })).ideal, 0);
});

test('virtual nodes even out the load, and a server of weight 2 takes about twice the keys', () => {
  const keys = KeySet.empty.with({ kind: 'generated', seed: 9, count: 100_000 });
  const cv = (vnodes: number): number => {
    const r = Router.build('ring', names(10), { vnodes });
    return balanceOf({ servers: r.servers, owners: r.assign(keys, noRunContext)! }).cv;
  };
  assert.ok(cv(1) > 3 * cv(160), `cv with 1 vnode ${cv(1)}, with 160 ${cv(160)}`);
  const weighted = Router.build('ring', [{ name: 'big', weight: 2 }, 'a', 'b', 'c']);
  const b = balanceOf({ servers: weighted.servers, owners: weighted.assign(keys, noRunContext)! });
  assert.ok(Math.abs(b.counts[0]! / keys.size - 0.4) < 0.04, `big holds ${b.counts[0]}`);
  for (const scheme of ['rendezvous', 'maglev', 'ketama', 'bounded'] as const) {
    const w = Router.build(scheme, [{ name: 'big', weight: 2 }, 'a', 'b', 'c']);
    const share = balanceOf({ servers: w.servers, owners: w.assign(keys, noRunContext)! }).counts[0]! / keys.size;
    assert.ok(Math.abs(share - 0.4) < 0.05, `${scheme}: big holds ${share}`);
  }
});

test('maglev: a prime table, ⌊M/N⌋ or ⌈M/N⌉ slots per backend, near-ideal moves with a few wrong ones', () => {
  assert.equal(maglevTableSize(10), 65537);
  assert.equal(maglevTableSize(1000), 100003);
  const r = Router.build('maglev', names(7));
  const slots = r.scheme.layout().pointsPerServer;
  const m = 65537;
  for (const c of slots) assert.ok(c === Math.floor(m / 7) || c === Math.ceil(m / 7), `slots ${c}`);
  const keys = KeySet.empty.with({ kind: 'generated', seed: 2, count: 40_000 });
  const removed = report(r, r.remove('s3'), keys);
  assert.ok(removed.fraction < removed.ideal * 1.3, `maglev moved ${removed.fraction}, ideal ${removed.ideal}`);
  assert.ok(removed.wrongMoves > 0, 'maglev is not strictly monotone');
});

test('bounded loads: no server above ⌈(1+ε)·m·w/W⌉, and tight bounds move keys between surviving servers', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 12 }), fc.constantFrom(0.01, 0.05, 0.25, 1), fc.integer({ min: 1, max: 3 }), (n, epsilon, w) => {
      const servers = names(n).map((name, i) => ({ name, weight: i === 0 ? w : 1 }));
      const r = Router.build('bounded', servers, { epsilon, vnodes: 20 });
      const b = balanceOf({ servers: r.servers, owners: r.assign(KEYS, noRunContext)! });
      const total = n - 1 + w;
      b.counts.forEach((c, i) => assert.ok(c <= Math.ceil(((1 + epsilon) * KEYS.size * servers[i]!.weight) / total), `server ${i}: ${c}`));
    }),
    { numRuns: 40 },
  );
  const tight = Router.build('bounded', names(8), { epsilon: 0.02 });
  assert.ok(report(tight, tight.add('s8')).wrongMoves > 0);
});

test('router operations say what is wrong and what to do', () => {
  const r = Router.build('ring', ['a', 'b']);
  const cases: [() => unknown, RegExp][] = [
    [() => r.add('a'), /already in the list/],
    [() => r.remove('zz'), /no server "zz".*Servers: a, b/],
    [() => r.fail('a').fail('a'), /already failed/],
    [() => r.recover('a'), /not failed/],
    [() => r.setWeight('a', 0), /weight is a number from 0.01/],
    [() => r.add(' padded'), /no commas and no leading or trailing spaces/],
    [() => r.add('x,y'), /no commas/],
    [() => Router.build('ring', ['a', 'a']), /listed twice/],
    [() => Router.build('ketama', ['a'], { vnodes: 150 }), /multiple of 4/],
    [() => Router.build('ring', names(10), { vnodes: 2000, hash: 'fnv1a32' }).add('big', 1000), /handles up to 2,000,000/],
    [() => r.replicas('k', 0), /replica count/],
  ];
  for (const [f, message] of cases) assert.throws(f, (e: unknown) => e instanceof UserError && message.test(e.message), String(message));
});

test('with every server failed, keys have no owner rather than a wrong one', () => {
  for (const scheme of SCHEME_NAMES) {
    const r = Router.build(scheme, ['a', 'b']).fail('a').fail('b');
    assert.equal(r.owner('k'), undefined, scheme);
    assert.deepEqual(r.replicas('k', 2), []);
    assert.ok(owners(r).every((o) => o === undefined));
  }
});

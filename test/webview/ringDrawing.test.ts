/**
 * The ring drawing's arithmetic against the engine that routes the keys: the arcs the webview
 * draws give every hash to the server the scheme gives it, moved keys start and end their trip at
 * the points that served them, and the sentences read the movement report right.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { noRunContext } from '../../extension/engines/core/model';
import { RingModel, ringFactory } from '../../extension/engines/ring';
import type { RingConfig, RingIntent, RingView } from '../../extension/protocol/ring';
import { arcsOf, servingTurn, turnsOf } from '../../webview/ring/geometry';
import { turnAt } from '../../webview/ring/moveAnimation.svelte';
import { comparisonStory, movementStory, onlyThatServer } from '../../webview/ring/story';

function model(config: Partial<RingConfig>, intents: RingIntent[]): { m: RingModel; v: RingView } {
  const m = ringFactory.create({ ...ringFactory.defaults(), ...config }) as RingModel;
  for (const i of intents) m.dispatch(i, noRunContext);
  return { m, v: m.view() };
}

/** The owner of the drawn arc that holds `turn`; arcs run (t0, t1]. */
function arcOwner(arcs: ReturnType<typeof arcsOf>, turn: number): number | undefined {
  return arcs.find((a) => (turn > a.t0 && turn <= a.t1) || (turn - 1 > a.t0 && turn - 1 <= a.t1))?.owner;
}

for (const scheme of ['ring', 'ketama'] as const) {
  test(`the drawn arcs route every hash as ${scheme} does, failed servers' arcs handed on`, () => {
    const { m, v } = model({ scheme, servers: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name })), vnodes: 8 }, [
      { type: 'failServer', name: 'c' },
      { type: 'failServer', name: 'e' },
    ]);
    const arcs = arcsOf(v.layout);
    const covered = arcs.reduce((s, a) => s + (a.t1 - a.t0), 0);
    assert.ok(Math.abs(covered - 1) < 1e-9, `the arcs cover the circle once (${covered})`);
    const failed = new Set([v.layout.servers.findIndex((s) => s.name === 'c'), v.layout.servers.findIndex((s) => s.name === 'e')]);
    assert.ok(arcs.every((a) => !failed.has(a.owner)), 'no arc is drawn for a failed server');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (h) => {
        assert.equal(arcOwner(arcs, turnsOf(h)), m.current.scheme.owner(h));
      }),
      { numRuns: 2000 },
    );
  });
}

test("a moved key's trip runs from the failed server's point clockwise to the next live one", () => {
  const { v } = model({ servers: ['a', 'b', 'c', 'd'].map((name) => ({ name })), vnodes: 6 }, [
    { type: 'insertKeys', count: 300 },
    { type: 'failServer', name: 'b' },
  ]);
  const dots = v.keys.dots!;
  const b = v.layout.servers.findIndex((s) => s.name === 'b');
  let checked = 0;
  dots.keys.forEach((_, i) => {
    if (!dots.moved[i]) return;
    const h = dots.hashes[i]!;
    const from = servingTurn(v.layout, b, h)!;
    const to = servingTurn(v.layout, dots.owners[i]!, h)!;
    // b's point was the first point at or after the key; the new owner's is the first live one after it.
    const positions = v.layout.points!.positions;
    const first = positions.find((p) => p >= h) ?? positions[0]!;
    assert.equal(from % 1, turnsOf(first));
    assert.ok(to >= from, 'the new point is clockwise of the old one');
    const trip = { key: '', hash: h, fromColor: 0, toColor: 0, kind: 'circle' as const, from, to };
    assert.equal(turnAt(trip, 0), from);
    assert.ok(Math.abs((turnAt(trip, 1) - to) % 1) < 1e-12);
    checked++;
  });
  assert.equal(checked, v.movement!.moved);
});

test('the sentences: a failure moves only that server\'s keys; modulo makes wrong moves; the comparison names both', () => {
  const fail = model({ servers: ['a', 'b', 'c'].map((name) => ({ name })) }, [{ type: 'insertKeys', count: 3000 }, { type: 'failServer', name: 'b' }]).v.movement!;
  assert.ok(onlyThatServer(fail));
  assert.match(movementStory(fail)[0]!.text, /^fail b: [\d,]+ of 3,000 keys moved \(\d+\.\d%\): only keys that had to move \(an even split would move 33\.3%\)\.$/);
  assert.equal(movementStory(fail)[1]!.text, 'Every moved key came from b; the other servers kept theirs.');

  const add = model({ scheme: 'modulo', servers: ['a', 'b', 'c'].map((name) => ({ name })) }, [{ type: 'insertKeys', count: 3000 }, { type: 'addServer', name: 'd' }]).v.movement!;
  assert.ok(!onlyThatServer(add));
  const [head, wrong] = movementStory(add);
  assert.match(head!.text, /: \d\.\d× the ideal 25\.0%\.$/);
  assert.equal(head!.tone, 'bad');
  assert.match(wrong!.text, /^[\d,]+ keys \(\d+\.\d%\) moved between servers that were live before and after/);

  const cmp = model({ servers: ['a', 'b', 'c', 'd'].map((name) => ({ name })) }, [{ type: 'insertKeys', count: 4000 }, { type: 'compareSchemes' }]).v.comparison!;
  assert.match(comparisonStory(cmp)[0]!.text, /^Adding a server to 4: hash mod N moves \d+\.\d% of the keys, the consistent ring \d+\.\d% \(ideal 20\.0%\)\.$/);
});

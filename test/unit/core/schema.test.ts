import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arr, bool, int, json, lit, num, obj, optional, str, tagged } from '../../../extension/engines/core/schema';

const point = obj({ x: num(), y: num(), label: optional(str({ max: 5 })) });

test('obj accepts exactly its keys and reports the path of the first problem', () => {
  assert.deepEqual(point.parse({ x: 1, y: 2 }), { ok: true, value: { x: 1, y: 2 } });
  assert.deepEqual(point.parse({ x: 1, y: 2, label: 'a' }), { ok: true, value: { x: 1, y: 2, label: 'a' } });
  assert.deepEqual(point.parse({ x: 1, y: 2, z: 3 }), { ok: false, error: 'value: unexpected key "z"' });
  assert.deepEqual(point.parse({ x: 1 }, 'p'), { ok: false, error: 'p.y: expected a finite number, got undefined' });
  assert.deepEqual(point.parse({ x: 1, y: 2, label: 'toolong' }), { ok: false, error: 'label: must have at most 5 characters' });
  assert.equal(point.parse(new (class { x = 1; y = 2; })()).ok, false);
});

test('tagged unions pick the variant by tag', () => {
  const s = tagged('op', { add: obj({ n: int({ min: 0 }) }), clear: obj({}) });
  assert.deepEqual(s.parse({ op: 'add', n: 3 }), { ok: true, value: { op: 'add', n: 3 } });
  assert.deepEqual(s.parse({ op: 'clear' }), { ok: true, value: { op: 'clear' } });
  assert.deepEqual(s.parse({ op: 'add', n: -1 }), { ok: false, error: 'n: must be ≥ 0' });
  assert.deepEqual(s.parse({ op: 'toString' }), { ok: false, error: 'op: must be one of "add", "clear"' });
});

test('scalars, literals, arrays and json bounds', () => {
  assert.equal(bool().parse('true').ok, false);
  assert.equal(lit('a', 'b').parse('c').ok, false);
  assert.equal(num().parse(Infinity).ok, false);
  assert.equal(int().parse(1.5).ok, false);
  assert.equal(arr(int(), { max: 2 }).parse([1, 2, 3]).ok, false);
  assert.deepEqual(arr(int()).parse([1, 'x']), { ok: false, error: '[1]: expected a finite number, got string' });
  assert.equal(json({ maxDepth: 3 }).parse({ a: { b: { c: { d: 1 } } } }).ok, false);
  assert.equal(json().parse({ a: [1, 'x', null, true] }).ok, true);
  assert.equal(json().parse({ a: () => 1 }).ok, false);
});

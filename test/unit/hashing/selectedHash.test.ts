import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../extension/engines/core/model';
import { hashString } from '../../../extension/engines/hashing';
import { SelectedHash } from '../../../extension/engines/hashing/selectedHash';
import { selectedHashSource } from '../../../extension/engines/hashing/selectedHashSource';
import { FNV_SOURCE, sourceOf } from './selectedHashFixtures';

const ALLOWED = { runSelectedCode: true };
const FAST = { timeoutMs: 300 };

const source = sourceOf;

function fails(script: string, message: RegExp, keys = ['a', 'b']): number {
  const t0 = performance.now();
  assert.throws(() => SelectedHash.load(source(script), ALLOWED, FAST).many(keys), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
  return performance.now() - t0;
}

test('a selected FNV-1a hashes ASCII keys exactly as the engine does, in batches and one by one', () => {
  const h = SelectedHash.load(FNV_SOURCE, ALLOWED);
  const keys = Array.from({ length: 40_000 }, (_, i) => `user:${i}`);
  const batch = h.many(keys);
  assert.equal(batch.length, keys.length);
  keys.forEach((k, i) => assert.equal(batch[i], hashString('fnv1a32', k), k));
  assert.equal(h.hash('foobar'), 0xbf9cf968);
  assert.equal(h.hash(''), 0x811c9dc5);
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 40 }), { maxLength: 50 }), (ks) => {
    assert.deepEqual([...h.many(ks)], ks.map((k) => h.hash(k)));
    assert.deepEqual([...h.many(ks)], ks.map((k) => hashString('fnv1a32', k)));
  }), { numRuns: 50 });
});

test('keys of any text cross into the sandbox intact: surrogate pairs, NUL, empty keys', () => {
  const h = SelectedHash.load(source('function h(s) { let x = s.length; for (let i = 0; i < s.length; i++) x = Math.imul(x, 31) + s.charCodeAt(i) | 0; return x; }'), ALLOWED);
  const reference = (s: string): number => { let x = s.length; for (let i = 0; i < s.length; i++) x = (Math.imul(x, 31) + s.charCodeAt(i)) | 0; return x >>> 0; };
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 30 }), (ks) => {
    assert.deepEqual([...h.many(ks)], ks.map(reference));
  }), { numRuns: 100 });
  assert.deepEqual([...h.many(['', '\u0000', '😀', 'é'])], ['', '\u0000', '😀', 'é'].map(reference));
});

test('results are reduced to unsigned 32 bits; bigints are accepted', () => {
  assert.deepEqual([...SelectedHash.load(source('function h(s) { return s.length - 1; }'), ALLOWED).many(['ab', ''])], [1, 0xffffffff]);
  assert.deepEqual([...SelectedHash.load(source('function h(s) { return BigInt(s.length) + 2n ** 32n; }'), ALLOWED).many(['abc'])], [3]);
  assert.deepEqual([...SelectedHash.load(source('function h(s) { return 2 ** 40 + 7; }'), ALLOWED).many(['x'])], [7]);
});

test('a session alone never runs code: without the host\'s permission the hash refuses to load', () => {
  assert.throws(() => SelectedHash.load(FNV_SOURCE, {}), (e: unknown) => e instanceof UserError && /runs only when you allow it/.test(e.message) && /Use Selection as Hash Function/.test(e.message));
  assert.throws(() => SelectedHash.load(source('globalThis.ran = true; function h() { return 1; }'), { runSelectedCode: false }), /allow it/);
});

test('a hash that loops, throws or returns a non-integer fails with a clear error, within the time limit', () => {
  const ms = fails('function h(s) { while (true) {} }', /did not return within 300 ms while hashing 2 keys \(from "a"\)/);
  assert.ok(ms < 5000, `took ${ms} ms`);
  fails('function h(s) { for (;;) { try { while (true) {} } catch {} } }', /did not return within/);
  fails('function h(s) { if (s === "b") throw new Error("no b"); return 1; }', /threw an error for the key "b": no b/);
  fails('function h(s) { return s + "!"; }', /returned string \("a!"\) for the key "a", but a hash must be an integer/);
  fails('function h(s) { return 1.5; }', /returned the number 1.5/);
  fails('function h(s) { return NaN; }', /returned the number NaN/);
  fails('function h(s) { return null; }', /returned null/);
  fails('async function h(s) { return 1; }', /a Promise .* integer returned synchronously/);
  fails('function h(s) { return Math.random() * 2 ** 32 >>> 0; }', /Math.random\(\) is not available/);
  fails('function h(s) { return Date.now(); }', /Date is not available/);
  fails('function h(s) { return require("crypto"); }', /require is not defined.*no modules/);
  fails('function h(s) { return process.pid; }', /process is not defined/);
  fails('function h(s) { return eval("1"); }', /threw an error.*(Code generation|EvalError)/);
  fails('function h(s) { return h(s); }', /threw an error for the key "a": Maximum call stack/);
});

test('code at the top level that loops or throws is reported when the hash is defined', () => {
  assert.throws(() => SelectedHash.load(source('while (true) {}\nfunction h() { return 1; }'), ALLOWED, FAST), /did not finish defining itself within 300 ms/);
  assert.throws(() => SelectedHash.load(source('throw new Error("top");\nfunction h() { return 1; }'), ALLOWED, FAST), /could not be defined: top/);
  assert.throws(() => SelectedHash.load(source('const h = 42;'), ALLOWED, FAST), /does not define a function \(h is number\)/);
  assert.throws(() => SelectedHash.load(source('function h( {'), ALLOWED, FAST), /could not be defined/);
});

test('the selection may shadow the builtins the sandbox hoists, and sees none of the engine\'s globals', () => {
  const h = SelectedHash.load(source('const Math = { imul: (a, b) => 7 }; function h(s) { return Math.imul(1, 2) + typeof setTimeout.length; }'), ALLOWED, FAST);
  assert.throws(() => h.many(['x']), /setTimeout is not defined/);
  const shadow = SelectedHash.load(source('const Math = { imul: () => 7 }; function h(s) { return Math.imul(1, 2); }'), ALLOWED, FAST);
  assert.deepEqual([...shadow.many(['x'])], [7]);
});

test('a failed batch leaves the hash usable, and memoised keys are not recomputed', () => {
  const h = SelectedHash.load(source('let calls = 0; function h(s) { calls++; if (s === "bad") throw new Error("bad key"); return s === "calls" ? calls : s.length; }'), ALLOWED, FAST);
  assert.throws(() => h.many(['ok', 'bad']), /bad key/);
  assert.deepEqual([...h.many(['abc'])], [3]);
  h.prime(['x', 'yy', 'zzz']);
  assert.ok(h.has('yy'));
  assert.equal(h.hash('yy'), 2);
  const before = h.hash('calls');
  assert.equal(h.hash('calls'), before, 'a memoised key is not hashed again');
});

test('the source schema bounds what a session file may carry', () => {
  assert.ok(selectedHashSource.parse(FNV_SOURCE).ok);
  assert.ok(!selectedHashSource.parse({ ...FNV_SOURCE, script: 'x'.repeat(100_001) }).ok);
  assert.ok(!selectedHashSource.parse({ ...FNV_SOURCE, entry: '' }).ok);
  assert.ok(!selectedHashSource.parse({ name: 'h', script: 1, entry: 'h' }).ok);
});

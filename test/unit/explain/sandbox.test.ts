import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../extension/engines/core/model';
import { hashString } from '../../../extension/engines/hashing';
import { hashInSandbox, measureSelectedHash, prepareUserFunction } from '../../../extension/explain';

const FAST = { timeoutMs: 400, memoryMb: 32 };
const KEYS = ['user:1', 'user:2', 'κλειδί', ''];

const run = (code: string, keys: string[] = KEYS, limits = FAST): Promise<Uint32Array> => hashInSandbox(prepareUserFunction(code, 'typescript'), keys, limits);

async function rejects(code: string, message: RegExp, limits = FAST): Promise<number> {
  const t0 = performance.now();
  await assert.rejects(run(code, KEYS, limits), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
  return performance.now() - t0;
}

const FNV = `function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return h >>> 0;
}`;

test('a selected FNV-1a hashes ASCII keys exactly as the engine does, and reads as good as FNV-1a', async () => {
  const out = await run(FNV, ['a', 'foobar', 'user:42']);
  assert.deepEqual([...out], ['a', 'foobar', 'user:42'].map((k) => hashString('fnv1a32', k)));
  const r = await measureSelectedHash(FNV, 'typescript', { timeoutMs: 2000, memoryMb: 64 });
  const ref = r.references.find((x) => x.label.startsWith('FNV-1a'))!;
  assert.equal(r.selected.collisions, ref.collisions);
  assert.equal(r.selected.chiSquare, ref.chiSquare);
  assert.ok(!/collide/.test(r.verdict), r.verdict);
});

test('a sum-of-characters hash is reported as colliding and uneven, against FNV-1a and Murmur3', async () => {
  const r = await measureSelectedHash('const sumHash = (s: string) => { let h = 0; for (const c of s) h += c.charCodeAt(0); return h; };', 'typescript');
  assert.equal(r.name, 'sumHash');
  assert.ok(r.selected.collisionRate > 0.5, `collision rate ${r.selected.collisionRate}`);
  assert.ok(r.selected.chiSquarePValue < 1e-6);
  assert.ok(r.selected.avalanche.worstBias > 0.3);
  assert.match(r.verdict, /collide/);
  assert.match(r.verdict, /unevenly/);
  assert.match(r.verdict, /MurmurHash3/);
});

test('methods, arrows and bigint results are accepted; results are reduced to unsigned 32 bits', async () => {
  assert.deepEqual([...await run('hash(key: string): number { return key.length - 1; }', ['ab', ''])], [1, 0xffffffff]);
  assert.deepEqual([...await run('(s) => s.length * 2', ['abc'])], [6]);
  assert.deepEqual([...await run('function h(s) { return BigInt(s.length) + 2n ** 32n; }', ['abc'])], [3]);
});

test('an endless loop is stopped at the time limit with a clear error', async () => {
  const ms = await rejects('function h(s) { while (true) {} }', /did not return within the sandbox's time limit/);
  assert.ok(ms < 8000, `took ${ms} ms`);
  await rejects('function h(s) { return s.length; }\nwhile (true) {}', /top level loops/);
  // A loop that catches everything still cannot catch the termination.
  await rejects('function h(s) { for (;;) { try { while (true) {} } catch {} } }', /time limit/);
});

test('throwing, returning a non-number, a fraction, NaN, a Promise or nothing are clear errors', async () => {
  await rejects('function h(s) { if (s === "user:2") throw new Error("boom"); return 1; }', /threw an error for the key "user:2": boom/);
  await rejects('function h(s) { return s.toUpperCase(); }', /returned string \("USER:1"\) for the key "user:1", but a hash must be an integer/);
  await rejects('function h(s) { return s.length / 4; }', /returned the number 1\.5 for the key "user:1"/);
  await rejects('function h(s) { return NaN; }', /returned the number NaN/);
  await rejects('async function h(s) { return 1; }', /returned a Promise .*synchronously/);
  await rejects('function h(s) { }', /returned undefined/);
  await rejects('function h(s) { throw { message: { toString() { while (true) {} } } }; }', /time limit|did not finish/);
});

test('running out of memory is stopped by the worker\'s limit', async () => {
  await rejects('function h(s) { const a = []; for (;;) a.push(new Array(100000).fill(s)); }', /ran out of memory: it used more than the sandbox's 32 MB/, { timeoutMs: 10_000, memoryMb: 32 });
});

test('no modules, no Node or host objects, no eval: the sandbox exposes only the language', async () => {
  await assert.rejects(async () => prepareUserFunction('import { createHash } from "crypto";\nfunction h(s) { return 1; }', 'typescript'), /loads a module .*no module access/);
  await assert.rejects(async () => prepareUserFunction('function h(s) { return require("fs").statSync(s).size; }', 'javascript'), /loads a module/);
  await rejects('function h(s) { return process.pid; }', /process is not defined\. The sandbox has no modules and no Node or browser APIs/);
  await rejects('function h(s) { return (function () {}).constructor("return process")().pid; }', /Code generation from strings disallowed/);
  await rejects('function h(s) { return this.constructor.constructor("return process")().pid; }', /Code generation from strings disallowed|Cannot read properties/);
  await rejects('function h(s) { return eval("1"); }', /Code generation from strings disallowed/);
  await rejects('function h(s) { return Buffer.byteLength(s); }', /Buffer is not defined/);
  await rejects('function h(s) { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return 1; }', /Wasm code generation disallowed/);
  // Nothing of the worker's realm is visible as a global either.
  const out = await run('function h(s) { const seen = [typeof process, typeof require, typeof Buffer, typeof setTimeout, typeof fetch, typeof globalThis.process]; return seen.every((t) => t === "undefined") ? 7 : 0; }', ['x']);
  assert.deepEqual([...out], [7]);
});

test('selections without a usable function, or that do not parse, are refused before anything runs', () => {
  assert.throws(() => prepareUserFunction('const x = 5;', 'typescript'), /holds no function/);
  assert.throws(() => prepareUserFunction('   ', 'typescript'), /selection is empty/);
  assert.throws(() => prepareUserFunction('function h(s) { return (; }', 'typescript'), /does not parse as TypeScript \(line 1\): Expression expected\. Select/);
});

test('only JS and TS selections can be run', async () => {
  await assert.rejects(measureSelectedHash('def h(s): return 1', 'python'), /runs JavaScript and TypeScript only; this selection is python/);
});

/**
 * The code of the worker thread that runs a selected function. It is a string, started with
 * `new Worker(source, { eval: true })`, so it needs no file of its own in any bundle (extension
 * host, CLI, tests). Inside the worker the selection runs in a `vm` context:
 * - created from a null-prototype object, so no object of the worker's realm is reachable from it,
 *   and inputs cross as one JSON string (a primitive);
 * - with code generation from strings off (no eval, no new Function) and no WebAssembly;
 * - without require, process, timers or any Node API: only the language's own globals;
 * - with a time limit on every script it runs (vm's timeout terminates even `while (true) {}`),
 *   and the worker itself has a memory limit (resourceLimits), set by the caller.
 * Results leave as one string (a primitive again), so no getter of the selection runs outside the
 * time limit. This is a guard against mistakes and accidents in trusted code, not a security
 * boundary for hostile code: the host runs it only in a trusted workspace.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');

const PRELUDE = "const __dsiParse = JSON.parse, __dsiStringify = JSON.stringify, __dsiString = String, __dsiBigUint = BigInt.asUintN;" +
  "var exports = {}, module = { exports }; var console = { log() {}, info() {}, warn() {}, error() {}, debug() {} };";

function runner(entry) {
  return "(() => {" +
    "const describe = (e) => { try { return __dsiString(e !== null && typeof e === 'object' && 'message' in e ? e.message : e).slice(0, 300); } catch { return 'an exception that could not be shown'; } };" +
    "const show = (v) => { try { return typeof v === 'string' ? __dsiStringify(v).slice(0, 80) : __dsiString(v).slice(0, 80); } catch { return 'a value that could not be shown'; } };" +
    "let f; try { f = (" + entry + "); } catch (e) { return 'E' + __dsiStringify({ kind: 'no-function', message: describe(e) }); }" +
    "if (typeof f !== 'function') return 'E' + __dsiStringify({ kind: 'no-function', message: 'it is ' + typeof f });" +
    "const keys = __dsiParse(__dsiKeys); const out = new Array(keys.length);" +
    "for (let i = 0; i < keys.length; i++) {" +
    "  let v; try { v = f(keys[i]); } catch (e) { return 'E' + __dsiStringify({ kind: 'threw', index: i, message: describe(e) }); }" +
    "  if (typeof v === 'bigint') v = Number(__dsiBigUint(32, v));" +
    "  else if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v)) {" +
    "    const type = v === null ? 'null' : typeof v === 'object' && typeof v.then === 'function' ? 'a Promise' : typeof v;" +
    "    return 'E' + __dsiStringify({ kind: 'not-number', index: i, type, value: show(v) }); }" +
    "  out[i] = v >>> 0; }" +
    "return 'O' + out.join(','); })()";
}

function fail(error) {
  parentPort.postMessage({ ok: false, error });
}

try {
  const context = vm.createContext(Object.create(null), {
    name: 'DS Inspector selection sandbox',
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  context.__dsiKeys = workerData.keysJson;
  const limit = { timeout: workerData.timeoutMs, displayErrors: false, breakOnSigint: false };
  new vm.Script(PRELUDE, { filename: 'dsi-prelude.js' }).runInContext(context, limit);
  let stage = 'define';
  try {
    new vm.Script(workerData.script, { filename: 'selection.js' }).runInContext(context, limit);
    stage = 'run';
    const out = new vm.Script(runner(workerData.entry), { filename: 'dsi-runner.js' }).runInContext(context, limit);
    if (typeof out !== 'string') fail({ kind: 'internal', message: 'the runner returned ' + typeof out });
    else if (out[0] === 'O') parentPort.postMessage({ ok: true, hashes: out.slice(1) });
    else fail(JSON.parse(out.slice(1)));
  } catch (e) {
    const code = e && typeof e === 'object' ? e.code : undefined;
    if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') fail({ kind: 'timeout', stage });
    else fail({ kind: stage === 'define' ? 'define-failed' : 'internal', message: String(e && e.message !== undefined ? e.message : e).slice(0, 300), name: e && e.name });
  }
} catch (e) {
  fail({ kind: 'internal', message: String(e && e.message) });
}
`;

/**
 * Runs a hash function from the user's code inside an engine, in batches, in a `vm` context:
 * - the context has only the language's own globals: no require, no process, no timers, no
 *   modules; code generation from strings (eval, new Function) and WebAssembly are off;
 * - Math.random and Date throw, so a hash cannot depend on chance or time and a session replays
 *   exactly;
 * - every run has a time limit (vm's timeout stops even `while (true) {}`); keys go in as one
 *   string with offsets and hashes come out in a typed array of the context's own, so only
 *   primitives and the context's objects cross, and no code of the selection runs outside the
 *   time limit.
 * A run costs the watchdog's start-up (tens of microseconds), so keys are hashed a batch at a time:
 * `many` for key sets, `prime` to prepare keys an engine is about to hash one by one. Hashes are
 * memoised (a bounded map), so the engines' per-key calls on prepared keys cost a lookup.
 *
 * Like the Explain sandbox, this guards against mistakes in code the user chose to run, not against
 * hostile code: the host grants `runSelectedCode` only in a trusted workspace.
 */
import vm from 'node:vm';
import { type ModelOptions, UserError } from '../core/model';
import type { ExternalHash } from './index';
import type { SelectedHashSource } from './selectedHashSource';

export interface SelectedHashLimits {
  /** Time for defining the function, and for each batch of keys. */
  timeoutMs: number;
}

export const DEFAULT_SELECTED_HASH_LIMITS: SelectedHashLimits = { timeoutMs: 2000 };

/** Keys per run inside the context: at the default limit, a hash may spend 120 µs per key. */
const BATCH = 16_384;
/** Memoised hashes; past this the memo starts afresh (engines prime what they are about to use). */
const MEMO_LIMIT = 1 << 16;

const NOT_ALLOWED = (name: string): string =>
  `This session hashes keys with ${name}, a function from a code selection stored in the session itself. ` +
  'Code stored in a session runs only when you allow it: open the function in an editor of a trusted workspace, select it and run ' +
  '"DS Inspector: Use Selection as Hash Function".';

/** Builtins the selection sees as closure variables: looking them up on a vm context's global is many times slower. */
const HOISTED = ['Math', 'String', 'Number', 'BigInt', 'JSON', 'Array', 'Uint8Array', 'Uint16Array', 'Uint32Array', 'Int32Array', 'Float64Array', 'Object', 'Error'];

const PRELUDE = `'use strict';
Math.random = function random() { throw new Error('Math.random() is not available to a hash function: it must give the same number for the same key every time'); };
const __dsiNoDate = () => { throw new Error('Date is not available to a hash function: it must not depend on the time'); };
globalThis.Date = Object.assign(function Date() { __dsiNoDate(); }, { now: __dsiNoDate, parse: __dsiNoDate, UTC: __dsiNoDate });
var __dsiExports = {};
var __dsiConsole = { log() {}, info() {}, warn() {}, error() {}, debug() {} };`;

function defineScript(source: SelectedHashSource): string {
  // The selection runs in a function of its own, nested in the one that hoists the builtins, so
  // its declarations may shadow them and its "use strict" stays a directive.
  return `var __dsiSelected = (function (${HOISTED.join(', ')}) {
  return (function (exports, module, console) {
${source.script}
;return (${source.entry});
  })(__dsiExports, { exports: __dsiExports }, __dsiConsole);
})(${HOISTED.join(', ')});`;
}

/** Answers '' when every key hashed, else what went wrong as JSON (see RunFailure). */
const RUNNER = `var __dsiRunner = (function (f, String, Number, BigInt, Uint32Array, JSON) {
  const offsets = new Uint32Array(${BATCH + 1}), out = new Uint32Array(${BATCH});
  const describe = (e) => { try { return String(e !== null && typeof e === 'object' && 'message' in e ? e.message : e).slice(0, 300); } catch { return 'an exception that could not be shown'; } };
  const show = (v) => { try { return (typeof v === 'string' ? JSON.stringify(v) : String(v)).slice(0, 80); } catch { return 'a value that could not be shown'; } };
  const typeName = (v) => v === null ? 'null' : typeof v === 'object' && typeof v.then === 'function' ? 'a Promise' : typeof v;
  return {
    offsets, out,
    run(all, n) {
      for (let i = 0; i < n; i++) {
        let v;
        try { v = f(all.slice(offsets[i], offsets[i + 1])); } catch (e) { return JSON.stringify({ kind: 'threw', index: i, message: describe(e) }); }
        if (typeof v === 'number' && Number.isInteger(v)) out[i] = v >>> 0;
        else if (typeof v === 'bigint') out[i] = Number(BigInt.asUintN(32, v));
        else return JSON.stringify({ kind: 'not-number', index: i, type: typeName(v), value: show(v) });
      }
      return '';
    },
  };
})(__dsiSelected, String, Number, BigInt, Uint32Array, JSON);`;

type RunFailure = { kind: 'threw'; index: number; message: string } | { kind: 'not-number'; index: number; type: string; value: string };

export class SelectedHash implements ExternalHash {
  readonly label: string;
  /** One key's hash: memoised, else a run of one key (prefer `prime` or `many` for many keys). */
  readonly hash: (key: string) => number;
  private readonly context: vm.Context;
  private readonly runScript = new vm.Script('__dsiRunner.run(__dsiKeys, __dsiCount)', { filename: 'dsi-runner.js' });
  private readonly offsets: Uint32Array;
  private readonly out: Uint32Array;
  private memo = new Map<string, number>();

  private constructor(readonly source: SelectedHashSource, private readonly limits: SelectedHashLimits) {
    this.label = source.name;
    this.context = vm.createContext(Object.create(null), {
      name: `DS Inspector hash ${source.name}`,
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    const run = (code: string, filename: string): unknown => new vm.Script(code, { filename }).runInContext(this.context, { timeout: limits.timeoutMs, displayErrors: false });
    run(PRELUDE, 'dsi-prelude.js');
    try {
      run(defineScript(source), 'selection.js');
    } catch (e) {
      throw new UserError(timedOut(e)
        ? `${this.who} did not finish defining itself within ${limits.timeoutMs} ms: code at the top level of the selection loops. Select only the function.`
        : `${this.who} could not be defined: ${errorText(e)}. Select one self-contained function that takes a key and returns a number.`);
    }
    const kind = run('typeof __dsiSelected', 'dsi-check.js');
    if (kind !== 'function') throw new UserError(`The selection stored in this session does not define a function (${source.entry} is ${String(kind)}).`);
    run(RUNNER, 'dsi-runner-setup.js');
    // Views of the context's own buffers: the engine writes offsets and reads hashes directly.
    this.offsets = new Uint32Array((run('__dsiRunner.offsets.buffer', 'dsi-buffers.js') as ArrayBuffer));
    this.out = new Uint32Array((run('__dsiRunner.out.buffer', 'dsi-buffers.js') as ArrayBuffer));
    this.hash = (key) => this.memo.get(key) ?? this.one(key);
  }

  /**
   * Loads a selected hash for a model. Refuses unless the host allowed code from the editor
   * (`options.runSelectedCode`), so a session file alone never runs code.
   */
  static load(source: SelectedHashSource, options: ModelOptions, limits: SelectedHashLimits = DEFAULT_SELECTED_HASH_LIMITS): SelectedHash {
    if (!options.runSelectedCode) throw new UserError(NOT_ALLOWED(source.name));
    return new SelectedHash(source, limits);
  }

  private get who(): string {
    return this.source.name === 'anonymous function' ? 'The selected hash function' : `The selected hash function ${this.source.name}`;
  }

  /** Every key's hash, in order, a batch per run. */
  many(keys: readonly string[]): Uint32Array {
    const result = new Uint32Array(keys.length);
    for (let from = 0; from < keys.length; from += BATCH) this.runBatch(keys, from, Math.min(keys.length, from + BATCH), result);
    return result;
  }

  /** Hashes keys ahead of the engine asking for them one at a time. */
  prime(keys: readonly string[]): void {
    const fresh = keys.filter((k) => !this.memo.has(k));
    if (fresh.length === 0) return;
    const hashes = this.many(fresh);
    if (this.memo.size + fresh.length > MEMO_LIMIT) this.memo = new Map();
    // Keys beyond what the memo holds are the last ones primed: the engine asks for them first.
    for (let i = Math.max(0, fresh.length - MEMO_LIMIT); i < fresh.length; i++) this.memo.set(fresh[i]!, hashes[i]!);
  }

  has(key: string): boolean {
    return this.memo.has(key);
  }

  private one(key: string): number {
    const h = this.many([key])[0]!;
    if (this.memo.size >= MEMO_LIMIT) this.memo = new Map();
    this.memo.set(key, h);
    return h;
  }

  private runBatch(keys: readonly string[], from: number, to: number, result: Uint32Array): void {
    const n = to - from;
    let at = 0;
    for (let i = 0; i < n; i++) {
      this.offsets[i] = at;
      at += keys[from + i]!.length;
    }
    this.offsets[n] = at;
    const ctx = this.context as Record<string, unknown>;
    ctx['__dsiKeys'] = keys.slice(from, to).join('');
    ctx['__dsiCount'] = n;
    let answer: unknown;
    try {
      answer = this.runScript.runInContext(this.context, { timeout: this.limits.timeoutMs, displayErrors: false });
    } catch (e) {
      if (timedOut(e))
        throw new UserError(`${this.who} did not return within ${this.limits.timeoutMs} ms while hashing ${n.toLocaleString('en-US')} keys (from ${JSON.stringify(keys[from])}): it loops forever on some key, or is far too slow for a hash. Check its loop conditions.`);
      throw new UserError(`${this.who} failed: ${errorText(e)}.`);
    } finally {
      ctx['__dsiKeys'] = '';
    }
    if (answer !== '') throw new UserError(this.describeFailure(String(answer), keys, from));
    result.set(this.out.subarray(0, n), from);
  }

  private describeFailure(answer: string, keys: readonly string[], from: number): string {
    const f = JSON.parse(answer) as RunFailure;
    const key = JSON.stringify(keys[from + f.index] ?? '');
    if (f.kind === 'threw') {
      const hint = /is not defined/.test(f.message) ? ' The sandbox has no modules and no Node or browser APIs: the function must compute the hash itself, or the selection must include the helpers it calls.' : '';
      return `${this.who} threw an error for the key ${key}: ${f.message}.${hint}`;
    }
    return `${this.who} returned ${f.type === 'number' ? `the number ${f.value}` : `${f.type} (${f.value})`} for the key ${key}, but a hash must be an integer${f.type === 'a Promise' ? ' returned synchronously' : ''}. Make it return a whole number, e.g. \`return h >>> 0\`.`;
  }
}

function timedOut(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function errorText(e: unknown): string {
  const message = typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  return message.replace(/\.$/, '').slice(0, 300);
}

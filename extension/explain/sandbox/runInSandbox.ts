/**
 * Runs a prepared function over a list of keys in a fresh worker thread with a memory limit, a time
 * limit per script inside it, and a wall-clock limit around the whole run, after which the worker
 * is terminated. Every way it can go wrong ends in a UserError that says what the function did.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../../engines/core/model';
import { SANDBOX_WORKER_SOURCE } from './sandboxWorker';
import type { PreparedFunction } from './userFunction';

export interface SandboxLimits {
  /** Time for defining the function and for hashing all keys, each. */
  timeoutMs: number;
  /** Heap of the worker (V8 old generation). */
  memoryMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 2000, memoryMb: 64 };

/** How long a worker may take to start and tear down, on top of the time limit (a loaded machine is slow). */
const STARTUP_GRACE_MS = 5000;

type WorkerError =
  | { kind: 'timeout'; stage: 'define' | 'run' }
  | { kind: 'threw'; index: number; message: string }
  | { kind: 'not-number'; index: number; type: string; value: string }
  | { kind: 'no-function' | 'define-failed' | 'internal'; message: string; name?: string };

type WorkerReply = { ok: true; hashes: string } | { ok: false; error: WorkerError };

export async function hashInSandbox(fn: PreparedFunction, keys: readonly string[], limits: SandboxLimits = DEFAULT_LIMITS): Promise<Uint32Array> {
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: { script: fn.script, entry: fn.entry, keysJson: JSON.stringify(keys), timeoutMs: limits.timeoutMs },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.round(limits.memoryMb / 4)), codeRangeSizeMb: 16, stackSizeMb: 4 },
    env: {},
    argv: [],
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  const name = fn.name === 'anonymous function' ? 'The selected function' : `The selected function ${fn.name}`;
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const wall = setTimeout(() => {
        reject(new UserError(`${name} did not finish within ${limits.timeoutMs} ms per step (the worker running it was stopped). Check it for loops that never end on some keys.`));
      }, 2 * limits.timeoutMs + STARTUP_GRACE_MS);
      worker.once('message', (m: WorkerReply) => { clearTimeout(wall); resolve(m); });
      worker.once('error', (e: Error & { code?: string }) => {
        clearTimeout(wall);
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
          reject(new UserError(`${name} ran out of memory: it used more than the sandbox's ${limits.memoryMb} MB. A hash function should allocate little per key; check for growing arrays or strings.`));
        else reject(new UserError(`${name} crashed the sandbox (${e.message}).`));
      });
      worker.once('exit', (code) => {
        clearTimeout(wall);
        reject(new UserError(`${name} stopped the sandbox before it answered (exit code ${code}).`));
      });
    });
    if (!reply.ok) throw new UserError(describeFailure(name, reply.error, keys));
    const parts = reply.hashes === '' ? [] : reply.hashes.split(',');
    if (parts.length !== keys.length) throw new UserError(`${name} returned ${parts.length} hashes for ${keys.length} keys; the sandbox could not read its results.`);
    return Uint32Array.from(parts, Number);
  } finally {
    await worker.terminate();
  }
}

function describeFailure(name: string, e: WorkerError, keys: readonly string[]): string {
  const key = (i: number): string => JSON.stringify(keys[i] ?? '');
  switch (e.kind) {
    case 'timeout':
      return e.stage === 'define'
        ? `The selection did not finish defining its function within the time limit: code at its top level loops. Select only the function.`
        : `${name} did not return within the sandbox's time limit while hashing ${keys.length.toLocaleString('en-US')} keys: it loops forever on some key, or is far too slow for a hash. Check its loop conditions.`;
    case 'threw':
      return `${name} threw an error for the key ${key(e.index)}: ${e.message}.${/is not defined/.test(e.message) ? ' The sandbox has no modules and no Node or browser APIs (require, process, Buffer, fetch…): the function must compute the hash itself, or include the helpers it calls in the selection.' : /Code generation from strings/.test(e.message) ? ' The sandbox forbids eval and new Function.' : ''}`;
    case 'not-number':
      return `${name} returned ${e.type === 'number' ? `the number ${e.value}` : `${e.type} (${e.value})`} for the key ${key(e.index)}, but a hash must be an integer${e.type === 'a Promise' ? ' returned synchronously (not an async function)' : ''}. Make it return a whole number, e.g. \`return h >>> 0\`.`;
    case 'no-function':
      return `The selection did not produce a function to call (${e.message}). Select one function that takes a key and returns a number.`;
    case 'define-failed':
      return `The selection failed while defining its function: ${e.message}.${/is not defined/.test(e.message) ? ' The sandbox has no modules and no Node or browser APIs.' : ''}`;
    case 'internal':
      return `The sandbox failed to run ${name.replace(/^The selected function ?/, '') || 'the selection'}: ${e.message}.`;
  }
}

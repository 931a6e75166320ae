/**
 * The two idempotency checks, as decisions over the store's replies, and the strong check as a
 * real-world call (`executeOnce`) for code that talks to a real store in real time.
 *
 * Weak: `SET key 1 NX PX ttl` before the work. The first delivery sets it, duplicates inside the
 * window are dropped, one arriving after the TTL slips through; and if the worker dies after
 * setting the key, the message is lost (every retry is dropped as a "duplicate").
 *
 * Strong: a record with a state. The first caller takes a lease (`in_progress`) and runs the work;
 * duplicates wait while it is in progress and then get the stored result; the same key with another
 * payload is refused; a holder that dies leaves a lease that expires so a retry can proceed; and
 * completion only counts for the lease holder, so a holder whose lease ran out is fenced off.
 */
import { createHash, randomUUID } from 'node:crypto';
import { UserError } from '../core/model';
import type { BeginReply, IdempotencyStore, RecordState } from './store';

/** The idempotency key: the scenario plus the message id (the same id means something else in another scenario). */
export function idempotencyKey(scenario: string, messageId: string): string {
  return `${scenario}:${messageId}`;
}

/** Where a check keeps a key; weak keys and strong records never share a key, so switching checks mid-run is safe. */
export function storeKey(namespace: string, check: 'weak' | 'strong', key: string): string {
  return `${namespace}${check}:${key}`;
}

/** A short, stable fingerprint of a payload: SHA-256 of its canonical JSON (object keys sorted). */
export function fingerprint(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** What a consumer does with a delivery, given the store's answer. */
export type Verdict =
  | { act: 'execute' }
  /** Weak: the key is already set, so this is taken for a duplicate. */
  | { act: 'drop' }
  /** Strong: already done; answer with the stored outcome. */
  | { act: 'replay'; state: Exclude<RecordState, 'in_progress'>; result: string }
  /** Strong: someone holds the lease; ask again later. */
  | { act: 'wait'; retryInMs: number }
  /** Strong: the key was used for another payload. */
  | { act: 'reject'; message: string };

export function weakVerdict(firstSeen: boolean): Verdict {
  return firstSeen ? { act: 'execute' } : { act: 'drop' };
}

export function strongVerdict(key: string, fp: string, reply: BeginReply, pollMs: number): Exclude<Verdict, { act: 'drop' }> {
  switch (reply.status) {
    case 'acquired':
      return { act: 'execute' };
    case 'succeeded':
    case 'failed':
      return { act: 'replay', state: reply.status, result: reply.result };
    case 'in_progress':
      // Never poll past the lease's end: that is when a retry may take over.
      return { act: 'wait', retryInMs: Math.max(1, Math.min(pollMs, reply.ttlMs + 1)) };
    case 'conflict':
      return { act: 'reject', message: conflictMessage(key, fp, reply.fingerprint) };
  }
}

export function conflictMessage(key: string, fp: string, first: string): string {
  return `Idempotency key ${key} was first used with a different payload (fingerprint ${first}, now ${fp}). A retry must resend exactly the same request; a new request needs a new key.`;
}

export class IdempotencyConflictError extends UserError {}
export class LeaseLostError extends UserError {}

export interface ExecuteOnceOptions {
  /** The idempotency key as the store sees it. */
  key: string;
  payload: unknown;
  /** How long the caller may hold the key while working before a retry may take over (ms). */
  leaseMs: number;
  /** How long the stored result is kept for duplicates (ms). */
  ttlMs: number;
  /** How often a waiting duplicate asks again (ms). */
  pollMs?: number;
  /** Give up waiting for an in-progress holder after this long (ms). */
  maxWaitMs?: number;
  /** Identifies this caller as the lease holder; unique per call by default. */
  owner?: string;
}

export interface ExecuteOnceResult {
  /** `executed`: this call ran the effect; `replayed`: it got the stored outcome of the call that did. */
  outcome: 'executed' | 'replayed';
  state: 'succeeded' | 'failed';
  result: string;
}

/**
 * Runs `effect` at most once per key across every caller sharing the store. A caller that finds
 * the work in progress waits for it and returns its stored result. If `effect` throws, the failure
 * is stored (duplicates get it too) and rethrown.
 */
export async function executeOnce(store: IdempotencyStore, opts: ExecuteOnceOptions, effect: () => Promise<string>): Promise<ExecuteOnceResult> {
  const fp = fingerprint(opts.payload);
  const owner = opts.owner ?? randomUUID();
  const pollMs = opts.pollMs ?? 10;
  const deadline = Date.now() + (opts.maxWaitMs ?? 30_000);
  for (;;) {
    const verdict = strongVerdict(opts.key, fp, await store.begin(opts.key, fp, owner, opts.leaseMs), pollMs);
    switch (verdict.act) {
      case 'execute':
        return runAsHolder(store, opts, owner, effect);
      case 'replay':
        return { outcome: 'replayed', state: verdict.state, result: verdict.result };
      case 'reject':
        throw new IdempotencyConflictError(verdict.message);
      case 'wait':
        if (Date.now() + verdict.retryInMs > deadline)
          throw new UserError(`Idempotency key ${opts.key} is still in progress after ${opts.maxWaitMs ?? 30_000} ms; the holder is slow or stuck. Retry later: its lease expires within ${opts.leaseMs} ms of its start.`);
        await new Promise((r) => setTimeout(r, verdict.retryInMs));
        break;
    }
  }
}

async function runAsHolder(store: IdempotencyStore, opts: ExecuteOnceOptions, owner: string, effect: () => Promise<string>): Promise<ExecuteOnceResult> {
  let state: 'succeeded' | 'failed' = 'succeeded';
  let result: string;
  let failure: unknown;
  try {
    result = await effect();
  } catch (e) {
    state = 'failed';
    failure = e;
    result = e instanceof Error ? e.message : String(e);
  }
  if ((await store.complete(opts.key, owner, state, result, opts.ttlMs)) === 'lost')
    throw new LeaseLostError(
      `The work for idempotency key ${opts.key} outlived its ${opts.leaseMs} ms lease, so another caller may have run it too and this outcome was not stored. Make the lease longer than the slowest run.`,
    );
  if (failure !== undefined) throw failure;
  return { outcome: 'executed', state, result };
}

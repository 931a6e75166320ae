/**
 * Drivers run a simulation generator by answering what it asks: store operations, and before each
 * event a tick ("go on?"). Three answer sources:
 * - the in-memory keyspace, synchronously (a deterministic step, redone by running it again);
 * - a real store, asynchronously, pacing ticks to real time so the server's own expiry keeps step
 *   with the simulation clock (the replies are recorded);
 * - a recording, synchronously (how a step that talked to Redis is redone without Redis).
 *
 * Every driver stops the run at the first tick after a store failure, after cancellation, or after
 * a recorded number of ticks, so a stopped step replays to exactly the same point.
 */
import type { MemoryKeyspace } from './memoryStore';
import type { SimReply, SimRun, StoreReply, StoreRequest } from './simulation';
import type { IdempotencyStore } from './store';

const GO: SimReply = { op: 'go' };
const STOP: SimReply = { op: 'stop' };

export interface DriveResult<R> {
  value: R;
  /** Ticks answered "go"; when `stopped`, redoing the step stops after this many. */
  ticks: number;
  stopped: boolean;
  /** The first store failure, if any. */
  error?: string;
}

/** When to stop: the shared rule of every driver. */
class Gate {
  ticks = 0;
  stopped = false;
  error: string | undefined;
  constructor(private readonly opts: { stopAfterTicks?: number; cancelled?: () => boolean }) {}

  /** Answers a tick, counting it. */
  tick(): SimReply {
    if (this.stopped || this.error !== undefined || (this.opts.stopAfterTicks !== undefined && this.ticks >= this.opts.stopAfterTicks) || this.opts.cancelled?.()) {
      this.stopped = true;
      return STOP;
    }
    this.ticks++;
    return GO;
  }

  /** Notes a reply, remembering the first failure. */
  saw(reply: StoreReply): StoreReply {
    if (reply.op === 'error') this.error ??= reply.message;
    return reply;
  }

  result<R>(value: R): DriveResult<R> {
    return { value, ticks: this.ticks, stopped: this.stopped, ...(this.error !== undefined ? { error: this.error } : {}) };
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** How often (in events) a synchronous run reports progress. */
const PROGRESS_EVERY = 4096;

function driveSync<R>(run: SimRun<R>, answer: (req: StoreRequest) => StoreReply, gate: Gate, onProgress?: (simTime: number) => void): DriveResult<R> {
  let r = run.next();
  while (!r.done) {
    const req = r.value;
    if (req.op !== 'tick') r = run.next(gate.saw(answer(req)));
    else {
      if (onProgress && gate.ticks % PROGRESS_EVERY === 0) onProgress(req.t);
      r = run.next(gate.tick());
    }
  }
  return gate.result(r.value);
}

export function applyToKeyspace(ks: MemoryKeyspace, req: StoreRequest): StoreReply {
  try {
    switch (req.op) {
      case 'setNx':
        return { op: 'setNx', ok: ks.setNx(req.key, req.value, req.ttlMs) };
      case 'begin':
        return { op: 'begin', reply: ks.begin(req.key, req.fp, req.owner, req.leaseMs) };
      case 'complete':
        return { op: 'complete', reply: ks.complete(req.key, req.owner, req.outcome, req.result, req.ttlMs) };
    }
  } catch (e) {
    return { op: 'error', message: messageOf(e) };
  }
}

async function applyToStore(store: IdempotencyStore, req: StoreRequest): Promise<StoreReply> {
  try {
    switch (req.op) {
      case 'setNx':
        return { op: 'setNx', ok: await store.setNx(req.key, req.value, req.ttlMs) };
      case 'begin':
        return { op: 'begin', reply: await store.begin(req.key, req.fp, req.owner, req.leaseMs) };
      case 'complete':
        return { op: 'complete', reply: await store.complete(req.key, req.owner, req.outcome, req.result, req.ttlMs) };
    }
  } catch (e) {
    return { op: 'error', message: messageOf(e) };
  }
}

/** Runs against the in-memory keyspace. */
export function driveMemory<R>(
  run: SimRun<R>,
  ks: MemoryKeyspace,
  opts: { stopAfterTicks?: number; cancelled?: () => boolean; onProgress?: (simTime: number) => void } = {},
): DriveResult<R> {
  return driveSync(run, (req) => applyToKeyspace(ks, req), new Gate(opts), opts.onProgress);
}

/** Redoes a run from recorded replies; a recording that does not fit the run is an error. */
export function driveRecorded<R>(run: SimRun<R>, replies: readonly StoreReply[], stopAfterTicks: number | undefined): DriveResult<R> {
  let i = 0;
  const answer = (req: StoreRequest): StoreReply => {
    const reply = replies[i++];
    if (!reply) throw new Error(`The recording ends before the run does (it asked for a "${req.op}" after ${replies.length} replies).`);
    return reply;
  };
  const result = driveSync(run, answer, new Gate(stopAfterTicks === undefined ? {} : { stopAfterTicks }));
  if (i !== replies.length) throw new Error(`The run used ${i} of ${replies.length} recorded replies; the recording does not match it.`);
  return result;
}

export interface LiveOptions {
  /** The simulation clock; with pacing, ticks wait until real time has caught up with it. */
  simNow: () => number;
  pace: boolean;
  cancelled: () => boolean;
  /** Called at most every few ms with the simulation time reached. */
  onProgress?: (simTime: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs against a real store, recording every reply. */
export async function driveLive<R>(run: SimRun<R>, store: IdempotencyStore, opts: LiveOptions): Promise<DriveResult<R> & { replies: StoreReply[] }> {
  const gate = new Gate({ cancelled: opts.cancelled });
  const replies: StoreReply[] = [];
  const simStart = opts.simNow();
  const realStart = performance.now();
  // Sleeps until real time reaches simulation time t, in short slices so a cancel is seen promptly.
  const catchUp = async (t: number): Promise<void> => {
    for (let wait = realStart + (t - simStart) - performance.now(); wait > 1 && !opts.cancelled(); wait = realStart + (t - simStart) - performance.now())
      await sleep(Math.min(wait, 100));
  };
  let lastProgress = 0;
  let r = run.next();
  while (!r.done) {
    const req = r.value;
    if (req.op === 'tick') {
      if (opts.pace) await catchUp(req.t);
      if (opts.onProgress && performance.now() - lastProgress > 50) {
        lastProgress = performance.now();
        opts.onProgress(req.t);
      }
      r = run.next(gate.tick());
    } else {
      const reply = gate.saw(await applyToStore(store, req));
      replies.push(reply);
      r = run.next(reply);
    }
  }
  // Time that passed with nothing scheduled (an idle advance) must pass for the server too.
  if (opts.pace && !gate.stopped) await catchUp(opts.simNow());
  return { ...gate.result(r.value), replies };
}

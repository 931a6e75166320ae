/**
 * The delivery simulation: a producer, a broker that delivers at least once, and a consumer whose
 * worker threads run each message's effect behind an idempotency check. Everything happens on the
 * simulation clock, in (time, scheduling order), with every random choice from one seeded PRNG.
 *
 * The simulation never calls a store itself. It is a generator that yields each store operation
 * (and, before each event, a tick) and is resumed with the answer; a driver (drivers.ts) answers
 * from the in-memory keyspace synchronously, from Redis asynchronously (pacing the ticks to real
 * time so Redis's own expiry agrees with the simulation), or from replies recorded earlier. So one
 * piece of logic runs live against either store and replays exactly from a recording.
 *
 * Modelling choices, stated once:
 * - The ack deadline counts from when a worker picks a delivery up (a pull consumer), not from
 *   when it was queued, so a long queue alone does not trigger redeliveries.
 * - A crash happens while processing, before the effect commits; the message is not acked and the
 *   broker redelivers it after the ack timeout.
 * - With the strong check, the effect and the record's completion commit together (as when the
 *   ledger and the idempotency record share one transaction): a worker whose lease ran out is
 *   fenced off and its effect does not commit.
 * - A store failure fails closed: the delivery in hand is not executed and not acked, it goes back
 *   to the head of its worker's queue, and the driver stops the run at the next event.
 * - Changing workers or dispatch is a stop-the-world rebalance: queued deliveries are taken back,
 *   workers finish what they are running, then everything is re-dispatched in arrival order, so
 *   key-hash dispatch keeps per-key order across the change.
 */
import { Prng, type PrngState } from '../core/prng';
import { UserError } from '../core/model';
import type {
  CountersPart,
  DispatchMode,
  LabSettings,
  LaneItem,
  LaneItemKind,
  Partitioner,
  Scenario,
} from '../../protocol/idempotency';
import { fingerprint, idempotencyKey, storeKey, strongVerdict } from './checks';
import { activeWorkers, partitionOf } from './dispatch';
import { heapPop, heapPush, type QueuedEvent } from './eventQueue';
import { KeySkew, keyName } from './keySkew';
import type { BeginReply, CompleteReply } from './store';

/** Time from the broker accepting a message to a worker's queue. */
export const BROKER_LATENCY_MS = 1;
/** How often a worker waiting on an in-progress record asks again. */
export const POLL_MS = 20;
/** How long a crashed worker takes to come back. */
export const RESTART_MS = 50;
/** Lane items kept for the view. */
export const LANE_WINDOW = 300;

export type StoreRequest =
  | { op: 'setNx'; key: string; value: string; ttlMs: number }
  | { op: 'begin'; key: string; fp: string; owner: string; leaseMs: number }
  | { op: 'complete'; key: string; owner: string; outcome: 'succeeded'; result: string; ttlMs: number };

export type StoreReply =
  | { op: 'setNx'; ok: boolean }
  | { op: 'begin'; reply: BeginReply }
  | { op: 'complete'; reply: CompleteReply }
  | { op: 'error'; message: string };

/** Before each event the simulation asks whether to go on (a paced driver waits for real time here). */
export type SimRequest = StoreRequest | { op: 'tick'; t: number };
export type SimReply = StoreReply | { op: 'go' } | { op: 'stop' };
export type SimRun<R = void> = Generator<SimRequest, R, SimReply>;

type Copy = 'original' | 'duplicate' | 'resent' | 'redelivery';

interface Message {
  id: number;
  key: string;
  /** Place in its key's order, as produced. */
  seq: number;
  scenario: Scenario;
  amount: number;
  executions: number;
  acked: boolean;
  dead: boolean;
  /** The delivery the broker's redelivery timer follows (the original, then each redelivery). */
  latest: number;
  deliveries: number;
}

interface Delivery {
  id: number;
  msg: number;
  copy: Copy;
  /** Resends may carry a changed payload. */
  amount: number;
  /** Global order in which the consumer received deliveries (set on arrival). */
  rx: number;
  delayed: boolean;
}

interface Job {
  d: Delivery;
  /** checking: awaiting the store's answer (never outlasts the event that asked); waiting: polling an in-progress record. */
  phase: 'checking' | 'service' | 'waiting' | 'restarting';
  /** The check in force when the job was picked up; a change mid-job applies to the next one. */
  check: LabSettings['check'];
  pickedAt: number;
  serviceStart: number;
  crash: boolean;
  waited: boolean;
}

interface Worker {
  /** FIFO of deliveries: queue[head…] are waiting (a head index, since shifting a long array is O(n)). */
  queue: Delivery[];
  head: number;
  job: Job | null;
  processed: number;
  busyMs: number;
}

type SimEvent = QueuedEvent &
  (
    | { kind: 'produce'; left: number; scenario: Scenario }
    | { kind: 'deliver'; d: Delivery }
    | { kind: 'finish' | 'poll' | 'restart'; w: number; d: number }
    | { kind: 'ackTimeout'; d: number; msg: number }
  );

type EventBody = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 't' | 'n'> : never) : never;

interface KeyOrder {
  nextSeq: number;
  /** Highest produced seq, and highest receive order, among first runs so far. */
  maxSeq: number;
  maxRx: number;
}

export interface Account {
  charged: number;
  expected: number;
  overcharged: number;
  pending: number;
  doubleCharges: number;
}

export type SimCounters = Omit<CountersPart, 'lost' | 'inFlight'>;

export interface Assignment {
  workers: number;
  dispatch: DispatchMode;
  partitioner: Partitioner;
}

/** The whole simulation state: plain data, so a snapshot is a structured clone. */
export interface SimState {
  now: number;
  eventSeq: number;
  nextDelivery: number;
  nextRx: number;
  rng: PrngState;
  settings: LabSettings;
  /** Prefix of every store key this run writes. */
  namespace: string;
  events: SimEvent[];
  messages: Message[];
  keys: Map<string, KeyOrder>;
  workers: Worker[];
  /** The worker assignment in force (settings hold the wanted one while a rebalance waits). */
  active: Assignment;
  rebalancing: boolean;
  parked: Delivery[];
  roundRobin: number;
  counters: SimCounters;
  accounts: Map<string, Account>;
  notifications: { sent: number; expected: number; repeated: number };
  lanes: LaneItem[];
  firstProducedAt: number | null;
  lastEffectAt: number | null;
  /** The first store failure of the current run; the driver stops the run when it sees it. */
  storeError: string | null;
}

const zeroCounters = (): SimCounters => ({
  produced: 0, delivered: 0, duplicatesDelivered: 0, redeliveries: 0, duplicatesDropped: 0, duplicatesSlipped: 0,
  effects: 0, orderViolations: 0, violationsByDispatch: 0, violationsByBroker: 0, waits: 0, crashes: 0, fenced: 0,
  conflicts: 0, deadLettered: 0, abandoned: 0, acksLost: 0, storeErrors: 0,
});

const assignmentOf = (s: LabSettings): Assignment => ({ workers: activeWorkers(s.dispatch, s.workers), dispatch: s.dispatch, partitioner: s.partitioner });

const newWorker = (): Worker => ({ queue: [], head: 0, job: null, processed: 0, busyMs: 0 });

export const queuedCount = (w: Worker): number => w.queue.length - w.head;

function takeNext(w: Worker): Delivery {
  const d = w.queue[w.head++]!;
  if (w.head > 1024 && 2 * w.head > w.queue.length) {
    w.queue = w.queue.slice(w.head);
    w.head = 0;
  }
  return d;
}

function putBack(w: Worker, d: Delivery): void {
  if (w.head > 0) w.queue[--w.head] = d;
  else w.queue.unshift(d);
}

/** Empties the queue into `into`, in order. */
function drainInto(w: Worker, into: Delivery[]): void {
  for (let i = w.head; i < w.queue.length; i++) into.push(w.queue[i]!);
  w.queue = [];
  w.head = 0;
}

export const messageName = (id: number): string => `m${id}`;

export function initialSimState(seed: number, settings: LabSettings, namespace = ''): SimState {
  const active = assignmentOf(settings);
  return {
    now: 0, eventSeq: 0, nextDelivery: 1, nextRx: 0, rng: new Prng(seed).state(),
    settings: structuredClone(settings), namespace, events: [], messages: [], keys: new Map(),
    workers: Array.from({ length: active.workers }, newWorker), active, rebalancing: false, parked: [], roundRobin: 0,
    counters: zeroCounters(), accounts: new Map(), notifications: { sent: 0, expected: 0, repeated: 0 }, lanes: [],
    firstProducedAt: null, lastEffectAt: null, storeError: null,
  };
}

export class DeliverySim {
  private readonly rng: Prng;
  private skew: KeySkew | undefined;

  constructor(readonly state: SimState) {
    this.rng = new Prng(state.rng);
  }

  /** The state with the PRNG's position written back; clone it for a snapshot. */
  sync(): SimState {
    this.state.rng = this.rng.state();
    return this.state;
  }

  get now(): number {
    return this.state.now;
  }

  /** True when nothing is scheduled: every message is settled or waiting for time to pass. */
  get quiet(): boolean {
    return this.state.events.length === 0;
  }

  // ─────────────── intents ───────────────

  /** The producer starts sending `count` messages now, one every produceIntervalMs. */
  produce(count: number, scenario: Scenario): void {
    this.schedule({ kind: 'produce', left: count, scenario }, this.state.now);
  }

  /** The producer sends message `name` (default: the newest) again, optionally with a changed payload. */
  resend(name: string | undefined, changePayload: boolean): string {
    const msgs = this.state.messages;
    if (msgs.length === 0) throw new UserError('There is no message to send again yet. Send messages first.');
    const id = name === undefined ? msgs.length : Number(name.slice(1));
    const m = msgs[id - 1];
    if (!m) throw new UserError(`There is no message ${name}; messages run from m1 to m${msgs.length}.`);
    const d = this.newDelivery(m, 'resent', changePayload ? m.amount + 1 : m.amount);
    this.lane('producer', m, d, 'resent', this.state.now, this.state.now);
    this.schedule({ kind: 'deliver', d }, this.state.now + BROKER_LATENCY_MS);
    return messageName(m.id);
  }

  /**
   * Applies the wanted workers/dispatch: queued deliveries (and workers waiting on a record) are
   * taken back at once; the new assignment starts when no worker is mid-service.
   */
  *reassign(): SimRun {
    const s = this.state;
    s.rebalancing = true;
    for (const w of s.workers) {
      drainInto(w, s.parked);
      if (w.job?.phase === 'waiting') {
        s.parked.push(w.job.d);
        w.job = null;
      }
    }
    yield* this.maybeRebalance();
  }

  /**
   * Drops everything in flight (queued, running, scheduled deliveries and redelivery timers) and
   * settles unfinished messages as dead: used when the store is switched, since the records of the
   * old store are not in the new one. Returns how many messages were abandoned.
   */
  abandonInFlight(): number {
    const s = this.state;
    // A sorted array is a valid heap.
    s.events = s.events.filter((e) => e.kind === 'produce').sort((a, b) => a.t - b.t || a.n - b.n);
    s.parked = [];
    for (const w of s.workers) {
      drainInto(w, []);
      w.job = null;
    }
    let n = 0;
    for (const m of s.messages) if (!m.acked && !m.dead) { m.dead = true; n++; }
    s.counters.abandoned += n;
    s.rebalancing = false;
    this.resizeWorkers();
    return n;
  }

  /** Runs events due up to `until` (Infinity: until nothing is left), then moves the clock to `until`. */
  *run(until: number): SimRun<'done' | 'stopped'> {
    const s = this.state;
    s.storeError = null;
    // Pick up what a stopped run left: queued deliveries, or a rebalance that can now complete.
    for (let w = 0; w < s.workers.length; w++) yield* this.startNext(w);
    yield* this.maybeRebalance();
    for (;;) {
      const e = s.events[0];
      if (!e || e.t > until) break;
      if (this.stale(e)) { heapPop(s.events); continue; }
      const go = yield { op: 'tick', t: e.t };
      if (go.op === 'stop') return 'stopped';
      heapPop(s.events);
      s.now = Math.max(s.now, e.t);
      yield* this.handle(e);
    }
    if (Number.isFinite(until)) s.now = Math.max(s.now, until);
    return 'done';
  }

  // ─────────────── events ───────────────

  private schedule(e: EventBody, t: number): void {
    const ev = e as SimEvent;
    ev.t = t;
    ev.n = this.state.eventSeq++;
    heapPush(this.state.events, ev);
  }

  /** An event that no longer matters (its job was abandoned, its message settled) is dropped without a tick. */
  private stale(e: SimEvent): boolean {
    switch (e.kind) {
      case 'produce':
      case 'deliver':
        return false;
      case 'ackTimeout': {
        const m = this.state.messages[e.msg - 1]!;
        return m.acked || m.dead || m.latest !== e.d;
      }
      default: {
        const job = this.state.workers[e.w]?.job;
        const phase = e.kind === 'finish' ? 'service' : e.kind === 'poll' ? 'waiting' : 'restarting';
        return !job || job.d.id !== e.d || job.phase !== phase;
      }
    }
  }

  private *handle(e: SimEvent): SimRun {
    switch (e.kind) {
      case 'produce':
        return this.produceOne(e.left, e.scenario);
      case 'deliver':
        return yield* this.deliver(e.d);
      case 'finish':
        return yield* this.finish(e.w);
      case 'poll':
        return yield* this.check(e.w);
      case 'restart':
        this.state.workers[e.w]!.job = null;
        yield* this.startNext(e.w);
        return yield* this.maybeRebalance();
      case 'ackTimeout':
        return this.ackTimeout(e.msg);
    }
  }

  private produceOne(left: number, scenario: Scenario): void {
    const s = this.state;
    const set = s.settings;
    if (!this.skew || this.skew.keys !== set.keys || this.skew.skew !== set.skew) this.skew = new KeySkew(set.keys, set.skew);
    const key = keyName(this.skew.sample(this.rng));
    const order = this.keyOrder(key);
    const m: Message = {
      id: s.messages.length + 1, key, seq: order.nextSeq++, scenario, amount: 1 + this.rng.int(100),
      executions: 0, acked: false, dead: false, latest: 0, deliveries: 0,
    };
    s.messages.push(m);
    s.counters.produced++;
    s.firstProducedAt ??= s.now;
    if (scenario === 'payment') {
      const a = this.account(key);
      a.expected += m.amount;
      a.pending += m.amount;
    } else {
      s.notifications.expected++;
    }
    const f = set.faults;
    const original = this.newDelivery(m, 'original', m.amount);
    m.latest = original.id;
    this.lane('producer', m, original, 'produced', s.now, s.now);
    if (this.rng.chance(f.reorderRate) && f.maxDelayMs > 0) {
      original.delayed = true;
      this.schedule({ kind: 'deliver', d: original }, s.now + BROKER_LATENCY_MS + 1 + this.rng.int(f.maxDelayMs));
    } else {
      this.schedule({ kind: 'deliver', d: original }, s.now + BROKER_LATENCY_MS);
    }
    if (this.rng.chance(f.duplicateRate))
      this.schedule({ kind: 'deliver', d: this.newDelivery(m, 'duplicate', m.amount) }, s.now + BROKER_LATENCY_MS + 1 + this.rng.int(f.maxDelayMs + 1));
    if (left > 1) this.schedule({ kind: 'produce', left: left - 1, scenario }, s.now + set.produceIntervalMs);
  }

  private *deliver(d: Delivery): SimRun {
    const s = this.state;
    const m = s.messages[d.msg - 1]!;
    s.counters.delivered++;
    if (++m.deliveries > 1) s.counters.duplicatesDelivered++;
    if (d.copy === 'redelivery') s.counters.redeliveries++;
    if (d.copy === 'duplicate' || d.delayed) this.lane('broker', m, d, d.delayed ? 'delayed' : 'duplicate', s.now, s.now);
    d.rx = s.nextRx++;
    if (s.rebalancing) {
      s.parked.push(d);
      return;
    }
    const w = this.route(m.key);
    s.workers[w]!.queue.push(d);
    yield* this.startNext(w);
  }

  private route(key: string): number {
    const a = this.state.active;
    switch (a.dispatch) {
      case 'single':
        return 0;
      case 'roundrobin':
        return this.state.roundRobin++ % a.workers;
      case 'keyhash':
        return partitionOf(a.partitioner, key, a.workers);
    }
  }

  private *startNext(w: number): SimRun {
    const s = this.state;
    const worker = s.workers[w]!;
    if (s.rebalancing || s.storeError !== null || worker.job || queuedCount(worker) === 0) return;
    const d = takeNext(worker);
    worker.job = { d, phase: 'checking', check: s.settings.check, pickedAt: s.now, serviceStart: s.now, crash: false, waited: false };
    this.schedule({ kind: 'ackTimeout', d: d.id, msg: d.msg }, s.now + s.settings.faults.ackTimeoutMs);
    yield* this.check(w);
  }

  /** Runs the job's idempotency check and acts on the verdict. */
  private *check(w: number): SimRun {
    const s = this.state;
    const job = s.workers[w]!.job!;
    const m = s.messages[job.d.msg - 1]!;
    const key = idempotencyKey(m.scenario, messageName(m.id));
    const owner = `d${job.d.id}`;
    if (job.check === 'off') return this.serve(w);
    if (job.check === 'weak') {
      const r = yield* this.call({ op: 'setNx', key: storeKey(s.namespace, 'weak', key), value: owner, ttlMs: s.settings.ttlMs });
      if (!r) return this.failClosed(w);
      return r.ok ? this.serve(w) : yield* this.settle(w, 'dropped');
    }
    const fp = fingerprint({ scenario: m.scenario, account: m.key, amount: job.d.amount });
    const r = yield* this.call({ op: 'begin', key: storeKey(s.namespace, 'strong', key), fp, owner, leaseMs: s.settings.leaseMs });
    if (!r) return this.failClosed(w);
    const v = strongVerdict(key, fp, r.reply, POLL_MS);
    switch (v.act) {
      case 'execute':
        return this.serve(w);
      case 'replay':
        return yield* this.settle(w, 'replayed');
      case 'wait':
        s.counters.waits++;
        if (!job.waited) this.lane(`w${w}`, m, job.d, 'waiting', s.now, s.now);
        job.waited = true;
        job.phase = 'waiting';
        this.schedule({ kind: 'poll', w, d: job.d.id }, s.now + v.retryInMs);
        return;
      case 'reject':
        return yield* this.reject(w);
    }
  }

  /** Sends one store operation; undefined when the store failed (the failure is recorded). */
  private *call<R extends StoreRequest>(req: R): Generator<SimRequest, Extract<StoreReply, { op: R['op'] }> | undefined, SimReply> {
    const r = yield req;
    if (r.op === 'error') {
      this.state.counters.storeErrors++;
      this.state.storeError ??= r.message;
      return undefined;
    }
    if (r.op !== req.op) throw new Error(`The store answered a "${req.op}" with a "${r.op}" reply; a recorded session does not match this run.`);
    return r as Extract<StoreReply, { op: R['op'] }>;
  }

  private serve(w: number): void {
    const s = this.state;
    const job = s.workers[w]!.job!;
    const { serviceMs, serviceJitter, faults } = s.settings;
    job.phase = 'service';
    job.serviceStart = s.now;
    job.crash = this.rng.chance(faults.crashRate);
    const ms = Math.max(1, Math.round(serviceMs * (1 + serviceJitter * (2 * this.rng.next() - 1))));
    this.schedule({ kind: 'finish', w, d: job.d.id }, s.now + ms);
  }

  private *finish(w: number): SimRun {
    const s = this.state;
    const worker = s.workers[w]!;
    const job = worker.job!;
    const m = s.messages[job.d.msg - 1]!;
    worker.busyMs += s.now - job.serviceStart;
    if (job.crash) {
      s.counters.crashes++;
      this.lane(`w${w}`, m, job.d, 'crashed', job.serviceStart, s.now);
      job.phase = 'restarting';
      this.schedule({ kind: 'restart', w, d: job.d.id }, s.now + RESTART_MS);
      return yield* this.maybeRebalance();
    }
    if (job.check === 'strong') {
      const key = storeKey(s.namespace, 'strong', idempotencyKey(m.scenario, messageName(m.id)));
      const r = yield* this.call({ op: 'complete', key, owner: `d${job.d.id}`, outcome: 'succeeded', result: resultOf(m, job.d), ttlMs: s.settings.ttlMs });
      if (!r) return this.failClosed(w);
      if (r.reply === 'lost') {
        s.counters.fenced++;
        this.ack(m, this.lane(`w${w}`, m, job.d, 'fenced', job.serviceStart, s.now));
        return yield* this.done(w);
      }
    }
    this.ack(m, this.execute(w, job, m));
    yield* this.done(w);
  }

  /** The effect: book the payment (or send the text), and check the key's order on its first run. */
  private execute(w: number, job: Job, m: Message): LaneItem {
    const s = this.state;
    const c = s.counters;
    const item = this.lane(`w${w}`, m, job.d, 'executed', job.serviceStart, s.now);
    m.executions++;
    c.effects++;
    s.lastEffectAt = s.now;
    const again = m.executions > 1;
    if (again) {
      c.duplicatesSlipped++;
      item.slipped = true;
    } else {
      const order = this.keyOrder(m.key);
      if (m.seq < order.maxSeq) {
        c.orderViolations++;
        item.violation = job.d.rx < order.maxRx ? 'dispatch' : 'broker';
        if (item.violation === 'dispatch') c.violationsByDispatch++;
        else c.violationsByBroker++;
      }
      order.maxSeq = Math.max(order.maxSeq, m.seq);
      order.maxRx = Math.max(order.maxRx, job.d.rx);
    }
    if (m.scenario === 'payment') {
      const a = this.account(m.key);
      a.charged += job.d.amount;
      if (again) {
        a.overcharged += job.d.amount;
        a.doubleCharges++;
      } else {
        a.pending -= m.amount;
      }
    } else {
      s.notifications.sent++;
      if (again) s.notifications.repeated++;
    }
    return item;
  }

  /** The worker acks the message; the ack may be lost, and then the broker redelivers after the timeout. */
  private ack(m: Message, item: LaneItem): void {
    if (this.rng.chance(this.state.settings.faults.ackLossRate)) {
      this.state.counters.acksLost++;
      item.ackLost = true;
    } else {
      m.acked = true;
    }
  }

  private *settle(w: number, kind: 'dropped' | 'replayed'): SimRun {
    const s = this.state;
    const job = s.workers[w]!.job!;
    const m = s.messages[job.d.msg - 1]!;
    s.counters.duplicatesDropped++;
    this.ack(m, this.lane(`w${w}`, m, job.d, kind, job.pickedAt, s.now));
    yield* this.done(w);
  }

  /** Same key, another payload: the consumer refuses it and acks it, so it is not redelivered forever. */
  private *reject(w: number): SimRun {
    const s = this.state;
    const job = s.workers[w]!.job!;
    const m = s.messages[job.d.msg - 1]!;
    s.counters.conflicts++;
    this.lane(`w${w}`, m, job.d, 'rejected', job.pickedAt, s.now);
    if (m.latest === job.d.id) m.acked = true;
    yield* this.done(w);
  }

  /** The store failed: the delivery was not executed and is not acked; it waits at the head of the queue. */
  private failClosed(w: number): void {
    const s = this.state;
    const worker = s.workers[w]!;
    const job = worker.job!;
    this.lane(`w${w}`, s.messages[job.d.msg - 1]!, job.d, 'storeError', job.pickedAt, s.now);
    putBack(worker, job.d);
    worker.job = null;
  }

  private *done(w: number): SimRun {
    const worker = this.state.workers[w]!;
    worker.processed++;
    worker.job = null;
    yield* this.startNext(w);
    yield* this.maybeRebalance();
  }

  private ackTimeout(msgId: number): void {
    const s = this.state;
    const m = s.messages[msgId - 1]!;
    if (m.deliveries >= s.settings.faults.maxDeliveries) {
      m.dead = true;
      s.counters.deadLettered++;
      this.lane('broker', m, undefined, 'deadLettered', s.now, s.now);
      return;
    }
    const d = this.newDelivery(m, 'redelivery', m.amount);
    m.latest = d.id;
    this.lane('broker', m, d, 'redelivery', s.now, s.now);
    this.schedule({ kind: 'deliver', d }, s.now + BROKER_LATENCY_MS);
  }

  private *maybeRebalance(): SimRun {
    const s = this.state;
    if (!s.rebalancing || s.workers.some((w) => w.job?.phase === 'service' || w.job?.phase === 'checking')) return;
    s.rebalancing = false;
    this.resizeWorkers();
    const parked = s.parked.sort((a, b) => a.rx - b.rx);
    s.parked = [];
    for (const d of parked) s.workers[this.route(s.messages[d.msg - 1]!.key)]!.queue.push(d);
    for (let w = 0; w < s.workers.length; w++) yield* this.startNext(w);
  }

  private resizeWorkers(): void {
    const s = this.state;
    s.active = assignmentOf(s.settings);
    s.roundRobin = 0;
    const n = s.active.workers;
    s.workers = Array.from({ length: n }, (_, i) => s.workers[i] ?? newWorker());
  }

  // ─────────────── bookkeeping ───────────────

  private newDelivery(m: Message, copy: Copy, amount: number): Delivery {
    return { id: this.state.nextDelivery++, msg: m.id, copy, amount, rx: -1, delayed: false };
  }

  private keyOrder(key: string): KeyOrder {
    let o = this.state.keys.get(key);
    if (!o) this.state.keys.set(key, (o = { nextSeq: 0, maxSeq: -1, maxRx: -1 }));
    return o;
  }

  private account(key: string): Account {
    let a = this.state.accounts.get(key);
    if (!a) this.state.accounts.set(key, (a = { charged: 0, expected: 0, overcharged: 0, pending: 0, doubleCharges: 0 }));
    return a;
  }

  private lane(lane: string, m: Message, d: Delivery | undefined, kind: LaneItemKind, t0: number, t1: number): LaneItem {
    const item: LaneItem = { lane, msg: messageName(m.id), key: m.key, seq: m.seq, t0, t1, kind };
    if (d && d.copy !== 'original') item.copy = d.copy;
    const lanes = this.state.lanes;
    lanes.push(item);
    if (lanes.length >= 2 * LANE_WINDOW) lanes.splice(0, lanes.length - LANE_WINDOW);
    return item;
  }
}

function resultOf(m: Message, d: Delivery): string {
  return m.scenario === 'payment' ? `charged ${d.amount} to ${m.key}` : `texted ${m.key}`;
}

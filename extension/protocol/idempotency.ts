/**
 * The Idempotency & Ordering inspector's protocol: its settings, the intents a webview (or a
 * command) may send, and the view parts the model renders. Imported by the engine, the host and
 * the webview; nothing here runs engine code.
 *
 * The lab: a producer sends messages (payments or text notifications, each for one account key),
 * a broker delivers them at least once (duplicates, reordering, redelivery after an ack timeout),
 * and a consumer with N worker threads runs each message's effect after an idempotency check. The
 * view shows the stream as lanes, the store as a table, the ledger that makes double charges
 * visible, counters, and the throughput/ordering trade-off of the dispatch modes.
 */
import { Infer, Schema, bool, int, lit, num, obj, optional, str, tagged } from '../engines/core/schema';
import { HASH_NAMES } from '../engines/hashing';

export const IDEMPOTENCY_KIND = 'idempotency';

export const CHECK_MODES = ['off', 'weak', 'strong'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

/** single: one consumer thread; roundrobin: the next worker in turn; keyhash: `hash(key) % N`, one lane per key. */
export const DISPATCH_MODES = ['single', 'roundrobin', 'keyhash'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

/** The hash behind key-hash dispatch: Kafka's default partitioner (murmur2), or one of the shared hashes. */
export const PARTITIONERS = ['kafka', ...HASH_NAMES] as const;
export type Partitioner = (typeof PARTITIONERS)[number];

export const SCENARIOS = ['payment', 'notification'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const MAX_WORKERS = 64;
export const MAX_SEND = 200_000;

const rate = num({ min: 0, max: 1 });
const ms = (max: number): Schema<number> => int({ min: 1, max });

export const faultsSchema = obj({
  /** Chance the broker delivers an extra copy of a message (later, by up to maxDelayMs). */
  duplicateRate: rate,
  /** Chance a delivery is held back by up to maxDelayMs, so later messages overtake it. */
  reorderRate: rate,
  maxDelayMs: int({ min: 0, max: 600_000 }),
  /** Chance a worker's ack is lost; the broker then redelivers after the ack timeout. */
  ackLossRate: rate,
  /** Chance a worker crashes while processing a message (before its effect commits). */
  crashRate: rate,
  /** The broker redelivers a message not acked this long after a worker picked it up. */
  ackTimeoutMs: ms(600_000),
  /** After this many deliveries an unacked message goes to the dead-letter queue. */
  maxDeliveries: int({ min: 1, max: 100 }),
});
export type Faults = Infer<typeof faultsSchema>;

export const settingsSchema = obj({
  check: lit(...CHECK_MODES),
  /** Weak: how long a key blocks duplicates. Strong: how long a finished record (and its result) is kept. */
  ttlMs: ms(86_400_000),
  /** Strong: how long an in-progress record is held before a retry may take over. */
  leaseMs: ms(3_600_000),
  workers: int({ min: 1, max: MAX_WORKERS }),
  dispatch: lit(...DISPATCH_MODES),
  partitioner: lit(...PARTITIONERS),
  /** Mean processing time of one message, and its spread (0: fixed; 0.5: ±50%). */
  serviceMs: ms(60_000),
  serviceJitter: num({ min: 0, max: 0.95 }),
  /** Distinct keys (accounts) and their Zipf skew (0 uniform; higher: a few hot keys). */
  keys: int({ min: 1, max: 100_000 }),
  skew: num({ min: 0, max: 4 }),
  /** Gap between two messages the producer sends. */
  produceIntervalMs: int({ min: 0, max: 60_000 }),
  faults: faultsSchema,
});
export type LabSettings = Infer<typeof settingsSchema>;

export const configSchema = obj({ seed: int({ min: 0, max: 0xffffffff }), settings: settingsSchema });
export type IdempotencyConfig = Infer<typeof configSchema>;

export function defaultSettings(): LabSettings {
  return {
    check: 'off',
    ttlMs: 30_000,
    leaseMs: 500,
    workers: 4,
    dispatch: 'keyhash',
    partitioner: 'kafka',
    serviceMs: 10,
    serviceJitter: 0.5,
    keys: 8,
    skew: 1,
    produceIntervalMs: 2,
    faults: { duplicateRate: 0.05, reorderRate: 0.05, maxDelayMs: 200, ackLossRate: 0.02, crashRate: 0.01, ackTimeoutMs: 300, maxDeliveries: 10 },
  };
}

const partialFaults = obj({
  duplicateRate: optional(rate),
  reorderRate: optional(rate),
  maxDelayMs: optional(int({ min: 0, max: 600_000 })),
  ackLossRate: optional(rate),
  crashRate: optional(rate),
  ackTimeoutMs: optional(ms(600_000)),
  maxDeliveries: optional(int({ min: 1, max: 100 })),
});

export const intentSchema = tagged('type', {
  /** The producer sends `count` new messages; the run continues until the stream is quiet. */
  send: obj({ count: int({ min: 1, max: MAX_SEND }), scenario: optional(lit(...SCENARIOS)), keys: optional(int({ min: 1, max: 100_000 })), skew: optional(num({ min: 0, max: 4 })) }),
  /** The producer sends an existing message again (default: the last one), optionally with a changed payload. */
  duplicate: obj({ message: optional(str({ max: 32, pattern: /^m\d+$/ })), changePayload: optional(bool()) }),
  /** Lets simulated time pass (TTLs and leases run out, delayed copies arrive). On Redis it passes for real. */
  advance: obj({ ms: int({ min: 1, max: 86_400_000 }) }),
  setCheck: obj({ check: lit(...CHECK_MODES) }),
  setTtl: obj({ ttlMs: ms(86_400_000), leaseMs: optional(ms(3_600_000)) }),
  setWorkers: obj({ workers: int({ min: 1, max: MAX_WORKERS }) }),
  setDispatch: obj({ dispatch: lit(...DISPATCH_MODES), partitioner: optional(lit(...PARTITIONERS)) }),
  setFaults: partialFaults,
  setWorkload: obj({
    serviceMs: optional(ms(60_000)),
    serviceJitter: optional(num({ min: 0, max: 0.95 })),
    keys: optional(int({ min: 1, max: 100_000 })),
    skew: optional(num({ min: 0, max: 4 })),
    produceIntervalMs: optional(int({ min: 0, max: 60_000 })),
  }),
  /** Keeps idempotency keys in a real Redis from now on. */
  useRedis: obj({ url: str({ min: 1, max: 500 }) }),
  /** Back to the embedded in-memory store. */
  useMemory: obj({}),
});
export type IdempotencyIntent = Infer<typeof intentSchema>;

// ───────────────────────────── view parts ─────────────────────────────

export interface StoreStatus {
  kind: 'memory' | 'redis';
  /** "in-memory" or redis://host:port (never a password). */
  where: string;
  /** The last store failure, shown until the next successful step. */
  error?: string;
}

/** `settings`: what the controls show. */
export interface SettingsPart extends LabSettings {
  store: StoreStatus;
  /** A change of workers or dispatch waits for in-service messages to finish (a stop-the-world rebalance). */
  rebalancing: boolean;
}

/** `counters`: the headline numbers. */
export interface CountersPart {
  /** Messages the producer created (resends of an existing message are not new messages). */
  produced: number;
  /** Deliveries handed to the consumer, every copy counted. */
  delivered: number;
  /** Deliveries of a message beyond its first: broker duplicates, producer resends and redeliveries. */
  duplicatesDelivered: number;
  /** …of which redeliveries after an ack timeout. */
  redeliveries: number;
  /** Deliveries the check stopped: the weak key was set, or the strong record returned its stored result. */
  duplicatesDropped: number;
  /** Effects run again for a message that had already run: what the check exists to prevent. */
  duplicatesSlipped: number;
  /** Effects run in all (a charge booked, a text sent). */
  effects: number;
  /** First runs of a message after a later message of the same key had already run. */
  orderViolations: number;
  /** …of which the consumer received in order but its workers ran out of order (round robin). */
  violationsByDispatch: number;
  /** …of which reached the consumer out of order (broker reordering, redelivery after a crash). */
  violationsByBroker: number;
  /** Strong: times a worker found the record in progress and waited. */
  waits: number;
  crashes: number;
  /** Strong: completions refused because the worker's lease had run out; its effect was not committed. */
  fenced: number;
  /** Strong: deliveries refused because the key was first used with a different payload. */
  conflicts: number;
  /** Messages settled (acked or dead-lettered) without their effect ever running. */
  lost: number;
  deadLettered: number;
  /** Deliveries in flight when the store was switched, dropped with the old store's records. */
  abandoned: number;
  acksLost: number;
  /** Store operations that failed (Redis unreachable); the message was not executed (fail closed). */
  storeErrors: number;
  /** Messages not yet settled. */
  inFlight: number;
}

export type LaneKind = 'producer' | 'broker' | 'worker';

export interface Lane {
  /** "producer", "broker", or "w0", "w1", … */
  id: string;
  label: string;
  kind: LaneKind;
  /** Workers: deliveries waiting in this worker's queue. */
  queued?: number;
  /** Workers: what the worker is doing right now. */
  state?: 'idle' | 'service' | 'waiting' | 'restarting';
  /** Workers: messages finished, and the share of elapsed time spent processing. */
  processed?: number;
  utilization?: number;
}

export type LaneItemKind =
  | 'produced' // producer: a new message
  | 'resent' // producer: an existing message sent again
  | 'duplicate' // broker: an extra copy
  | 'delayed' // broker: a delivery held back (reordering)
  | 'redelivery' // broker: redelivered after the ack timeout
  | 'deadLettered' // broker: gave up after maxDeliveries
  | 'executed' // worker: the effect ran
  | 'dropped' // worker: weak check dropped it as a duplicate
  | 'replayed' // worker: strong check returned the stored result
  | 'waiting' // worker: strong record in progress elsewhere
  | 'crashed' // worker: died while processing; no ack
  | 'fenced' // worker: lease ran out; completion refused
  | 'rejected' // worker: same key, different payload
  | 'storeError'; // worker: the store failed; not executed, not acked

export interface LaneItem {
  lane: string;
  /** Message id ("m17"), its key ("acct-3") and its place in that key's order (0, 1, …). */
  msg: string;
  key: string;
  seq: number;
  /** Start and end on the simulation clock (ms); equal for instant events. */
  t0: number;
  t1: number;
  kind: LaneItemKind;
  /** The delivery was not the message's first. */
  copy?: 'duplicate' | 'resent' | 'redelivery';
  /** This run broke the key's order, and why. */
  violation?: 'dispatch' | 'broker';
  /** This run repeated an effect that had already run. */
  slipped?: boolean;
  /** The ack for this run was lost. */
  ackLost?: boolean;
}

/** `lanes`: the message stream, a window of the most recent items. */
export interface LanesPart {
  /** The simulation clock (ms). */
  now: number;
  lanes: Lane[];
  /** At most the last 300 items, oldest first. */
  items: LaneItem[];
}

export interface StoreRow {
  /** The key without the session's namespace, e.g. "strong:payment:m12". */
  key: string;
  check: 'weak' | 'strong' | 'other';
  /** Strong records: their state, payload fingerprint, stored result and lease holder (weak keys: the delivery that set them). */
  state?: 'in_progress' | 'succeeded' | 'failed';
  fingerprint?: string;
  result?: string;
  owner?: string;
  /** Milliseconds left at `asOf`; -1 when the key never expires. */
  ttlMs: number;
}

/** `store`: the idempotency store as a table. */
export interface StorePart extends StoreStatus {
  /** The simulation time the TTLs were read at; a webview may count them down from here. */
  asOf: number;
  /** The newest keys, at most 50. */
  rows: StoreRow[];
  total: number;
}

export interface AccountRow {
  account: string;
  /** What was booked, what should have been (each payment once), and the part booked twice. */
  charged: number;
  expected: number;
  overcharged: number;
  /** Payments produced but not booked yet (or lost). */
  pending: number;
}

/** `ledger`: balances that make a double charge visible. */
export interface LedgerPart {
  /** Accounts with an overcharge first, then the busiest; at most 12. */
  accounts: AccountRow[];
  totals: { charged: number; expected: number; overcharged: number; doubleCharges: number };
  notifications: { sent: number; expected: number; repeated: number };
}

export interface TradeoffPoint {
  workers: number;
  /** Messages per second of simulated time for a burst of `messages` messages. */
  throughput: number;
  /** First runs out of per-key order. */
  violations: number;
  /** Share of the burst on the busiest worker (1/N is perfect balance). */
  busiestWorkerShare: number;
}

/**
 * `tradeoff`: throughput against ordering per dispatch mode, as workers and key skew change. One
 * series per (dispatch, skew), one point per worker count; the grid always includes the current
 * workers and skew (from `settings`), so the chart can mark where the lab stands.
 */
export interface TradeoffPart {
  messages: number;
  serviceMs: number;
  keys: number;
  /** Ascending. */
  workerCounts: number[];
  /** Ascending. */
  skews: number[];
  series: { dispatch: DispatchMode; skew: number; points: TradeoffPoint[] }[];
}

/** The whole view: the common parts plus the ones above. */
export interface IdempotencyView {
  settings: SettingsPart;
  counters: CountersPart;
  lanes: LanesPart;
  store: StorePart;
  ledger: LedgerPart;
  tradeoff: TradeoffPart;
}

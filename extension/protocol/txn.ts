/**
 * The Distributed Transactions inspector's half of the protocol: its settings, the intents a
 * webview or a command may send, and the view parts the model renders. Imported by the engine
 * (extension/engines/txn), the host and the txn webview alike.
 *
 * Steps. A run is a deterministic simulation; every message send, delivery, loss, durable log
 * write, local commit, lock acquire/release, timer, crash and recovery is one *run step*, numbered
 * from 1. The session's timeline holds one entry per run step plus one "begin" entry per run, so
 * the timeline index of run step s is `lanes.stepOffset + s` (seek there to show it). Every step
 * field below (`sendStep`, `from`, `since`, …) is a run step.
 *
 * Parts stay small: a run is capped at `TXN_LIMITS.maxRunSteps` steps, and the lanes part carries
 * at most `TXN_LIMITS.maxItemsInView` items of each kind, the ones nearest the cursor.
 *
 * For the webview. The sequence diagram is `lanes`: one lane per `nodes` entry in order; time runs
 * down in run steps up to `lanes.cursor` (only the past is drawn); an arrow goes from its sender at
 * `sendStep` to its receiver at `recvStep` (still in flight: no `recvStep`; lost or dropped: end it
 * with a cross; `dupOf`: a duplicate); `locks` are bars on their lane (`end: 'crash'` where a crash
 * took them); `down` spans shade a crashed node; `blocked` spans mark participants holding locks in
 * doubt while the coordinator is down; `marks` are log writes, local commits, timers, crashes,
 * recoveries and notes. Clicking anything at run step s seeks to `lanes.stepOffset + s`. The
 * invariant panel is `invariants`, the balances table `balances`, runs to reopen `history`
 * (`beginStep + 1 + steps` to seek to a run's end, or `run` to replay), explorations `explorer` (a counterexample's `run` goes
 * back in a `replay` intent). Commands map to intents: Run Order Flow… → `run`, Inject Fault… →
 * `inject` (the engine checks the SPEC and says what is wrong), Step Forward/Back → `step`, Replay
 * Transaction… → `replay` (a file is read with `parseRunFile` in extension/engines/txn), Explore
 * Failures → `explore`; What if… → `whatIf`.
 */
import type { ModelView } from '../engines/core/model';
import { Infer, arr, int, lit, num, obj, optional, str, tagged } from '../engines/core/schema';

export const PROTOCOL_NAMES = ['2pc', 'tcc', 'saga', 'outbox'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/**
 * Planted bugs the explorer must find (kept as test cases):
 * - `commit-before-log` (2pc): the coordinator sends commit before its decision is durable;
 * - `non-idempotent-compensation` (saga): a compensation applied twice refunds twice;
 * - `no-consumer-dedup` (outbox): consumers apply every delivery, duplicates included.
 */
export const VARIANT_NAMES = ['correct', 'commit-before-log', 'non-idempotent-compensation', 'no-consumer-dedup'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];
export const VARIANT_PROTOCOL: Record<Exclude<VariantName, 'correct'>, ProtocolName> = {
  'commit-before-log': '2pc',
  'non-idempotent-compensation': 'saga',
  'no-consumer-dedup': 'outbox',
};

/** The services an order touches, in flow order (saga order; the first N are used for N participants). */
export const PARTICIPANT_IDS = [
  'order', 'payment', 'coupon', 'points', 'inventory', 'shipping',
  'giftcard', 'invoice', 'fraud', 'tax', 'notification', 'analytics',
] as const;
export type ParticipantId = (typeof PARTICIPANT_IDS)[number];

export const INVARIANT_NAMES = ['atomicity', 'money', 'coupon', 'consistency', 'locks'] as const;
export type InvariantName = (typeof INVARIANT_NAMES)[number];

export const TXN_LIMITS = {
  minParticipants: 2,
  maxParticipants: PARTICIPANT_IDS.length,
  /** A run that has not settled after this many steps is reported as stuck. */
  maxRunSteps: 4_000,
  /** Faults in one run (spec items). */
  maxFaults: 16,
  maxFaultSpecLength: 200,
  /** Longest crash downtime, simulated milliseconds. */
  maxDowntimeMs: 60_000,
  maxDelayMs: 60_000,
  maxExploreCrashes: 3,
  maxExploreMessageFaults: 2,
  /** The explorer stops (and says its result is incomplete) after this many runs. */
  maxExploreRuns: 1_000_000,
  /** Most items of each kind (messages, marks, lock bars) in the lanes part. */
  maxItemsInView: 400,
  /** Runs listed in the history part. */
  maxHistory: 50,
  /** Exploration results kept in a session (most recent first). */
  maxExplorations: 12,
} as const;

export const protocolSchema = lit(...PROTOCOL_NAMES);
export const variantSchema = lit(...VARIANT_NAMES);
export const faultSpecSchema = str({ min: 1, max: TXN_LIMITS.maxFaultSpecLength });

/** Everything that makes a run reproducible: the same spec always yields the same run. */
export const runSpecSchema = obj({
  protocol: protocolSchema,
  /** How many services take part: the first N of PARTICIPANT_IDS. */
  participants: int({ min: TXN_LIMITS.minParticipants, max: TXN_LIMITS.maxParticipants }),
  /** Fault specs (grammar in extension/engines/txn/faults.ts and `dsi txn --help`). */
  faults: arr(faultSpecSchema, { max: TXN_LIMITS.maxFaults }),
  variant: optional(variantSchema),
  /** Seeds network latency jitter. */
  seed: optional(int({ min: 0, max: 0xffffffff })),
});
export type RunSpec = Infer<typeof runSpecSchema>;


export const exploreSpecSchema = obj({
  protocol: protocolSchema,
  participants: int({ min: TXN_LIMITS.minParticipants, max: TXN_LIMITS.maxParticipants }),
  /** Exactly this many crashes are placed in every run… */
  crashes: int({ min: 0, max: TXN_LIMITS.maxExploreCrashes }),
  /** …and exactly this many message faults (each one lost or one duplicated delivery). */
  messages: optional(int({ min: 0, max: TXN_LIMITS.maxExploreMessageFaults })),
  variant: optional(variantSchema),
  /** Faults every explored run starts with, e.g. a business failure ("fail:coupon"). */
  faults: optional(arr(faultSpecSchema, { max: TXN_LIMITS.maxFaults })),
  seed: optional(int({ min: 0, max: 0xffffffff })),
});
export type ExploreSpec = Infer<typeof exploreSpecSchema>;

export const txnIntentSchema = tagged('type', {
  /** Starts a new run at the end of the timeline; `settle: false` stops before the first step so the user can step. */
  run: obj({ run: runSpecSchema, settle: optional(lit(true, false)) }),
  /** Injects a fault now (at the cursor: an earlier cursor starts a new branch), then lets the run settle. */
  inject: obj({ fault: faultSpecSchema }),
  /** Moves the cursor; forward past the last recorded step runs one more simulation step. */
  step: obj({ direction: lit('forward', 'back'), count: optional(int({ min: 1, max: TXN_LIMITS.maxRunSteps })) }),
  /** "What if": branch from run step `at` of the run shown, drop its faults not yet fired, inject `fault`, settle. */
  whatIf: obj({ at: int({ min: 0, max: TXN_LIMITS.maxRunSteps }), fault: faultSpecSchema }),
  /**
   * Runs a recorded run again (from the history part, an explorer counterexample or a file), cursor
   * at its start; with `at`, the run is recorded to its end and the cursor put at run step `at`
   * (a counterexample opens where its invariant broke).
   */
  replay: obj({ run: runSpecSchema, at: optional(int({ min: 0, max: TXN_LIMITS.maxRunSteps })) }),
  /** Exhaustive exploration of fault placements; long, reports progress, cancellable (a cancelled one is kept, marked incomplete). */
  explore: obj({ spec: exploreSpecSchema }),
});
export type TxnIntent = Infer<typeof txnIntentSchema>;

const invariantSchema = lit(...INVARIANT_NAMES);

const counterexampleSchema = obj({
  /** The invariant it breaks, or "blocked" for the shortest run in which a participant blocked. */
  invariant: lit(...INVARIANT_NAMES, 'blocked'),
  /** Replays it exactly (send it back in a `replay` intent): the base faults plus the placed ones. */
  run: runSpecSchema,
  /** Run steps until it settled. */
  length: int({ min: 0 }),
  /** Run step at which the invariant failed for good (or the participant started to block). */
  since: int({ min: 0 }),
});
export type ExplorerCounterexample = Infer<typeof counterexampleSchema>;

export const explorerResultSchema = obj({
  protocol: protocolSchema,
  variant: variantSchema,
  participants: int({ min: 0 }),
  crashes: int({ min: 0 }),
  messages: int({ min: 0 }),
  baseFaults: arr(faultSpecSchema, { max: TXN_LIMITS.maxFaults }),
  /** Fault placements run, each to quiescence. */
  runs: int({ min: 0 }),
  /** Simulation steps executed; a prefix shared by many runs counts once. */
  states: int({ min: 0 }),
  /** Runs in which some participant held locks in doubt while the node that could release them was down. */
  blocked: int({ min: 0 }),
  /** Runs that did not settle within TXN_LIMITS.maxRunSteps. */
  stuck: int({ min: 0 }),
  /** Runs that broke each invariant (only invariants broken at least once are listed). */
  violations: arr(obj({ invariant: invariantSchema, runs: int({ min: 1 }) }), { max: INVARIANT_NAMES.length }),
  /** Invariants that held in every run (n/a ones, like coupon without a coupon service, are left out). */
  held: arr(invariantSchema, { max: INVARIANT_NAMES.length }),
  /** The shortest run breaking each broken invariant, and the shortest blocked run. */
  counterexamples: arr(counterexampleSchema, { max: INVARIANT_NAMES.length + 1 }),
  /** False when cancelled or cut at TXN_LIMITS.maxExploreRuns. */
  complete: lit(true, false),
  /** Wall time, milliseconds. */
  ms: num({ min: 0 }),
});
export type ExplorerResult = Infer<typeof explorerResultSchema>;

/** The counterexample to show first: the shortest run breaking any invariant (else the shortest blocked one). */
export function shortestCounterexample(r: ExplorerResult): ExplorerCounterexample | undefined {
  const broken = r.counterexamples.filter((c) => c.invariant !== 'blocked');
  const pool = broken.length ? broken : r.counterexamples;
  return pool.reduce<ExplorerCounterexample | undefined>((best, c) => (!best || c.length < best.length ? c : best), undefined);
}

/**
 * The session's settings. Explorations are not timeline steps (they run on copies and change no
 * run, and scrubbing must not hide them), so an exported session carries them here.
 */
export const txnConfigSchema = obj({
  /** The run the session starts with (run until it settles on open). */
  initial: optional(runSpecSchema),
  explorations: optional(arr(explorerResultSchema, { max: TXN_LIMITS.maxExplorations })),
});
export type TxnConfig = Infer<typeof txnConfigSchema>;

/**
 * One timeline entry: what the model needs to redo itself. A run is a `begin` followed by one
 * `advance` per simulation step, contiguous, so run step s sits at timeline index begin + 1 + s.
 */
export const txnStepSchema = tagged('kind', {
  begin: obj({ run: runSpecSchema }),
  /** One simulation step, after injecting a fault if one was injected here (`dropPending`: a what-if drops the faults not yet fired). */
  advance: obj({ inject: optional(obj({ fault: faultSpecSchema, dropPending: lit(true, false) })) }),
});
export type TxnStep = Infer<typeof txnStepSchema>;

// ── View parts ──────────────────────────────────────────────────────────────────────────────────

export type NodeRole = 'coordinator' | 'orchestrator' | 'participant' | 'source' | 'broker';

/** One lane of the sequence diagram. */
export interface TxnNodeView {
  id: string;
  label: string;
  role: NodeRole;
  up: boolean;
  /** Protocol state in a word or two ("prepared", "collecting votes", "tried"), for the lane header. */
  state: string;
  /** A participant holding locks it cannot release on its own (2PC after voting yes, before the decision). */
  inDoubt: boolean;
}

/** A message as an arrow from its sender's lane at sendStep to its receiver's lane at recvStep. */
export interface TxnArrowView {
  /** Message number, shown on the arrow; a duplicate has its own id and `dupOf` the original's. */
  id: number;
  from: string;
  to: string;
  type: string;
  /** e.g. "vote yes", "try failed: insufficient balance". */
  label: string;
  sendStep: number;
  /** Step at which it was delivered, lost or dropped; absent while in flight. */
  recvStep?: number;
  /** lost: a network fault; dropped: the receiver was down. */
  fate: 'in-flight' | 'delivered' | 'lost' | 'dropped';
  dupOf?: number;
  /** Extra delay injected by a delay or reorder fault, ms. */
  delayedMs?: number;
}

/** Milestones of steps that undo a participant's part (an abort, a TCC cancel, a saga compensation). */
export const UNDO_MILESTONES: readonly string[] = ['aborted', 'cancelled', 'undone'];

export type TxnMarkKind = 'start' | 'log' | 'commit' | 'timer' | 'crash' | 'recover' | 'fault' | 'note';

/** Something that happened on one lane at one step: a durable log write, a local commit, a crash… */
export interface TxnMarkView {
  node: string;
  step: number;
  kind: TxnMarkKind;
  label: string;
  /**
   * The protocol moment this step reached, if any ("prepared", "undone", "cancelled"…): a crash
   * `crash:NODE@after-MILESTONE` fires right after it, and undoing ones are drawn as such.
   */
  milestone?: string;
}

/** A lock (2PC row lock) or reservation (TCC try) held from `from` until `to` (absent: still held). */
export interface TxnLockView {
  node: string;
  resource: string;
  kind: 'lock' | 'reservation';
  from: number;
  to?: number;
  /** released by the protocol, or lost because the node crashed (recovery may take it again). */
  end?: 'released' | 'crash';
}

/** An interval on one lane: a node down (crash…recovery) or a participant blocked in doubt. */
export interface TxnSpanView {
  node: string;
  from: number;
  to?: number;
}

export interface TxnLanesPart {
  /** Timeline index of run step 0: seek(stepOffset + s) shows run step s. */
  stepOffset: number;
  /** Run step shown (the cursor) and run steps recorded so far. */
  cursor: number;
  length: number;
  nodes: TxnNodeView[];
  arrows: TxnArrowView[];
  marks: TxnMarkView[];
  locks: TxnLockView[];
  down: TxnSpanView[];
  /** Participants in doubt holding locks while the node that could release them was down. */
  blocked: TxnSpanView[];
  /** True when items far from the cursor were left out (more than maxItemsInView of a kind). */
  truncated: boolean;
}

export type InvariantStatus = 'holds' | 'violated' | 'pending' | 'n/a';

export interface TxnInvariantView {
  name: InvariantName;
  label: string;
  /** What the invariant demands, one sentence. */
  description: string;
  /**
   * holds: never broken so far (safety invariants) or true once the run settled; violated: broken,
   * `since` says from which step; pending: a settle-time invariant in a run still going (it may be
   * false right now, which is normal mid-run: `detail` says how it stands); n/a: not applicable.
   */
  status: InvariantStatus;
  since?: number;
  detail: string;
}

export interface TxnInvariantsPart {
  /** Whether the run reached quiescence, so pending invariants got their verdict. */
  settled: boolean;
  items: TxnInvariantView[];
  /** First step at which a participant blocked, if one did. */
  blockedSince?: number;
}

export interface TxnBalanceRow {
  node: string;
  key: string;
  label: string;
  value: number;
  initial: number;
  /** Held by a TCC try, not yet confirmed or cancelled. */
  frozen: number;
  /** Counted in the money total. */
  money: boolean;
}

export interface TxnBalancesPart {
  rows: TxnBalanceRow[];
  /** Sum of money balances (frozen included) now, and when the run began. */
  moneyTotal: number;
  moneyInitial: number;
}

export type RunStatus = 'ready' | 'running' | 'settled' | 'stuck';
export type RunOutcome = 'committed' | 'aborted' | 'mixed' | 'pending' | 'none';

export interface TxnRunPart {
  run: RunSpec;
  /** Faults in canonical spec form, and those that have not fired yet. */
  faults: string[];
  pendingFaults: string[];
  status: RunStatus;
  /** What the participants durably did: all committed, all aborted/compensated, a mix, or not finished. */
  outcome: RunOutcome;
  /** Run step shown, and simulated time at that step (ms). */
  step: number;
  timeMs: number;
  messages: { sent: number; lost: number; duplicated: number };
}

export interface TxnHistoryEntry {
  run: RunSpec;
  /**
   * Timeline index of the run's begin entry. Seeking to it shows the state before the run (the
   * previous run's end): seek to beginStep + 1 for the run's start, beginStep + 1 + steps for its end.
   */
  beginStep: number;
  steps: number;
  status: RunStatus;
  outcome: RunOutcome;
  violated: InvariantName[];
  blocked: boolean;
}

export interface TxnParts {
  run: TxnRunPart | null;
  lanes: TxnLanesPart | null;
  invariants: TxnInvariantsPart | null;
  balances: TxnBalancesPart | null;
  /** Runs in this session, most recent last (at most maxHistory). */
  history: TxnHistoryEntry[];
  /** Explorations in this session, most recent first. */
  explorer: ExplorerResult[];
}

export type TxnView = ModelView & TxnParts;

/**
 * The data a transaction simulation is made of. Everything here is plain data (no classes, no
 * functions) so a whole simulation can be cloned for a snapshot or an explorer branch.
 *
 * A node keeps durable state (business values, its log, a table of records) that survives a crash,
 * and volatile state (locks, timers, the protocol's in-memory variables) that a crash wipes.
 */
import type { NodeRole, ParticipantId } from '../../protocol/txn';
import type { PrngState } from '../core/prng';
import type { KeyspaceData } from '../idempotency/memoryStore';
import type { Fault } from './faults';

export type LockKind = 'lock' | 'reservation';

/** One append to a node's durable log, e.g. { kind: 'decision', value: 'commit' }. */
export interface LogRecord {
  kind: string;
  value?: string | number;
}

export interface NodeState {
  id: string;
  role: NodeRole;
  participant?: ParticipantId;
  up: boolean;
  // ── durable ──
  values: Record<string, number>;
  /** Amounts held by a TCC try, per key; counted as the owner's until confirmed or cancelled. */
  frozen: Record<string, number>;
  log: LogRecord[];
  /** A small durable table: per-transaction states, outbox rows, delivery acks, dedup keys. */
  records: Record<string, string>;
  /** An outbox consumer's dedup keys: the idempotency engine's in-memory store, kept durable here. */
  keyspace?: KeyspaceData;
  /** Set by a no:/fail: fault: why this participant refuses its part. */
  refusal?: string;
  // ── volatile ──
  locks: Record<string, LockKind>;
  /** Timer name → sequence number of its queue entry. */
  timers: Record<string, number>;
  /** The protocol's in-memory state for this node. */
  vol: Record<string, unknown>;
}

export interface MessageBody {
  /** Saga step index. */
  index?: number;
  ok?: boolean;
  reason?: string;
  decision?: 'commit' | 'abort';
  /** Outbox event id and broker offset. */
  event?: string;
  offset?: number;
}

export interface Message {
  id: number;
  from: string;
  to: string;
  type: string;
  body: MessageBody;
  sentStep: number;
  /** For a duplicate: the id of the message it copies. */
  dupOf?: number;
}

export type QueueEntry = { time: number; seq: number } & (
  | { kind: 'start' }
  /** `heldAfter`: held back by a reorder fault until a message sent after that step overtakes it. */
  | { kind: 'deliver'; msg: Message; lose?: boolean; heldAfter?: number; delayedMs?: number }
  | { kind: 'timer'; node: string; name: string }
  | { kind: 'recover'; node: string }
);

/** A local transaction: its changes become durable together, in one step. */
export interface LocalChange {
  what: string;
  deltas?: Readonly<Record<string, number>>;
  frozen?: Record<string, number>;
  /** Records to write (a null value deletes). */
  records?: Record<string, string | null>;
  log?: LogRecord;
  /** SET key NX PX ttl in the node's keyspace, in this same transaction (see consumerDedup.ts). */
  dedupKey?: { key: string; ttlMs: number };
}

export type Effect =
  | { kind: 'send'; to: string; type: string; body: MessageBody }
  | { kind: 'log'; record: LogRecord; milestone?: string }
  | { kind: 'commit'; change: LocalChange; milestone?: string }
  | { kind: 'lock'; resource: string; lockKind: LockKind }
  | { kind: 'unlock'; resource: string };

export interface PendingEffect {
  node: string;
  effect: Effect;
}

/** A fault of the run with its progress: armed after run step `from`, then waiting for its moment. */
export interface PlannedFault {
  fault: Fault;
  /** Canonical spec text, as the run's history shows it. */
  text: string;
  from: number;
  state: 'pending' | 'due' | 'fired';
  /** In force: its `from` step has passed (see Simulation.arm). */
  armed: boolean;
  /** Matching steps or messages still to see before it fires (the #N of a selector). */
  remaining: number;
}

export type StepDetail =
  | { kind: 'start'; dropped: boolean }
  | { kind: 'deliver'; msg: Message; delayedMs?: number }
  | { kind: 'lost'; msg: Message; reason: 'fault' | 'down'; delayedMs?: number }
  | { kind: 'timer'; name: string }
  /** `fault` names a message fault that hit it; `copy` is the extra message a dup fault made. */
  | { kind: 'send'; msg: Message; fault?: string; copy?: Message }
  | { kind: 'log'; record: LogRecord }
  | { kind: 'commit'; what: string }
  | { kind: 'lock' | 'unlock'; resource: string; lockKind: LockKind }
  | { kind: 'crash'; downMs: number; locksLost: string[]; alreadyDown: boolean }
  | { kind: 'recover' };

/** What one simulation step did; the model keeps these to draw the lanes and label the scrubber. */
export type StepInfo = StepDetail & {
  step: number;
  time: number;
  /** The node that acted (the receiver for deliveries and losses). */
  node: string;
  /** Protocol moment reached in this step (e.g. "votes"), for crash triggers. */
  milestone?: string;
  /** Why the node did what it did, e.g. "votes no: insufficient balance". */
  note?: string;
};

export interface InvariantTrack {
  /** Step at which a safety invariant first failed (final). */
  brokeAt?: number;
  /** For settle-time invariants: step since which the condition has been false (undefined: true now). */
  falseSince?: number;
}

export interface MonitorState {
  moneyInitial: number;
  tracks: Record<string, InvariantTrack>;
  blockedSince?: number;
  /** Participants blocked right now, with the step they started to block. */
  blockedNow: Record<string, number>;
}

export interface SimState {
  /** Business values of every node when the order started (shared by clones: never changed). */
  initialValues: Record<string, Record<string, number>>;
  step: number;
  time: number;
  nextMsgId: number;
  nextSeq: number;
  prng: PrngState;
  nodes: Record<string, NodeState>;
  queue: QueueEntry[];
  effects: PendingEffect[];
  faults: PlannedFault[];
  stats: { sent: number; lost: number; duplicated: number };
  monitor: MonitorState;
}

/**
 * What a protocol is to the simulation: how each of its nodes reacts to the order starting, to a
 * message, to a timer and to its own recovery, and how to read its durable state for the
 * invariants.
 *
 * A handler does not change durable state or send anything itself: it asks its context for
 * effects (send, log, commit, lock, unlock), and the simulation applies them one per step, in
 * order. A crash between two effects loses the rest, exactly as a process dying between two
 * writes would; that is what lets the explorer place a crash between "send commit" and "log the
 * decision". Volatile variables, timers, notes and milestones change at once.
 */
import type { NodeRole, ParticipantId, VariantName } from '../../protocol/txn';
import type { LocalChange, LockKind, LogRecord, Message, MessageBody, NodeState } from './state';
import { limitBreach, participantSpec } from './participants';
import type { ProtocolShape } from './protocols/shapes';

export interface NodeContext {
  readonly node: NodeState;
  /** The participants of the order, in flow order. */
  readonly flow: readonly ParticipantId[];
  readonly variant: VariantName;
  /** Simulated time, ms. */
  readonly now: number;
  send(to: string, type: string, body?: MessageBody): void;
  log(record: LogRecord, milestone?: string): void;
  commit(change: LocalChange, milestone?: string): void;
  lock(resource: string, kind: LockKind): void;
  unlock(resource: string): void;
  setTimer(name: string, afterMs: number): void;
  cancelTimer(name: string): void;
  /** Marks this step as reaching a protocol moment (crash triggers "after-NAME" fire on it). */
  milestone(name: string): void;
  /** Says why the node acts as it does, for the step's label. */
  note(text: string): void;
}

/** A participant's durable outcome, as the invariants read it. */
export type Outcome = 'none' | 'pending' | 'committed' | 'aborted';

export interface LaneSpec {
  id: string;
  role: NodeRole;
  label: string;
}

export interface ProtocolLogic extends ProtocolShape {
  /** Whether atomicity must hold after every step, not only once the run settles (atomic commitment). */
  readonly atomicAtEveryStep: boolean;
  onStart(ctx: NodeContext): void;
  onMessage(ctx: NodeContext, msg: Message): void;
  onTimer(ctx: NodeContext, name: string): void;
  /** Rebuilds volatile state from the durable log and resumes; volatile state starts as {}. */
  onRecover(ctx: NodeContext): void;
  outcome(node: NodeState): Outcome;
  /** What the coordinating node durably decided, if it decided. */
  decided(nodes: Readonly<Record<string, NodeState>>, flow: readonly ParticipantId[]): 'committed' | 'aborted' | undefined;
  /** Work that retries still owe (unpublished events, a saga not finished), or undefined. */
  backlog(nodes: Readonly<Record<string, NodeState>>, flow: readonly ParticipantId[]): string | undefined;
  /** Holds locks it cannot release on its own until `blocker` answers. */
  inDoubt(node: NodeState): boolean;
  /** The node whose downtime blocks participants in doubt. */
  readonly blocker?: string;
  /** The lane header's state word. */
  stateLabel(node: NodeState): string;
}

/** Lanes of the services, after the protocol's own nodes. */
export function participantLanes(flow: readonly ParticipantId[]): LaneSpec[] {
  return flow.map((p) => ({ id: p, role: 'participant', label: participantSpec(p).label }));
}

/** Why this participant cannot do its part with these deltas (refusal or business limit), if so. */
export function refusalFor(node: NodeState, deltas: Readonly<Record<string, number>>): string | undefined {
  if (node.refusal !== undefined) return node.refusal;
  return limitBreach(participantSpec(node.participant!), node.values, deltas);
}

/** Retry delays: 60 ms doubling up to 480 ms. */
export function backoff(attempt: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempt), 480);
}

export function participantResource(node: NodeState): string {
  return participantSpec(node.participant!).resource;
}

/** Shorthand for a protocol's typed volatile state: primitives and flat records only (snapshots copy two levels). */
export function vol<T extends object>(node: NodeState): Partial<T> {
  return node.vol as Partial<T>;
}

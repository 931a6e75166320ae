/**
 * The coordinator that two-phase commit and TCC share. Phase one: log "begin" (the participants)
 * and send each participant the first request (prepare, try), with a deadline. Phase two: make the
 * decision durable and send it (the decision is the message type: commit/abort, confirm/cancel),
 * resend it with growing delays to whoever has not acknowledged, and log "end" once all have.
 * After a crash the log says where it stood: ended, decided (send the decision again), or only
 * begun (take the fallback decision: abort, cancel).
 */
import type { NodeContext } from '../nodeLogic';
import { backoff, vol } from '../nodeLogic';
import type { NodeState } from '../state';

export interface CoordinatorVol {
  phase: 'collecting' | 'deciding' | 'done';
  /** Participants whose phase-one answer was yes. */
  answered: Record<string, true>;
  decision: string;
  acked: Record<string, true>;
  attempt: number;
}

export const coordinatorVol = (node: NodeState): Partial<CoordinatorVol> => vol<CoordinatorVol>(node);

export function loggedDecision(node: NodeState): string | undefined {
  for (const r of node.log) if (r.kind === 'decision') return String(r.value);
  return undefined;
}

const ended = (node: NodeState): boolean => node.log.some((r) => r.kind === 'end');

/** Phase one: `request` to every participant; `deadline` is the timer that ends the wait. */
export function beginPhaseOne(ctx: NodeContext, request: string, deadline: string, ms: number): void {
  const v = coordinatorVol(ctx.node);
  v.phase = 'collecting';
  v.answered = {};
  ctx.log({ kind: 'begin', value: ctx.flow.join(',') });
  for (const p of ctx.flow) ctx.send(p, request);
  ctx.setTimer(deadline, ms);
}

/** Records a yes; true once every participant has said yes. */
export function answeredYes(ctx: NodeContext, from: string): boolean {
  const v = coordinatorVol(ctx.node);
  (v.answered ??= {})[from] = true;
  return ctx.flow.every((p) => v.answered![p]);
}

/**
 * Phase two. Correct coordinators log the decision before sending it; `sendFirst` is the planted
 * bug that sends first, so a crash in between leaves a decision some participants acted on and the
 * log never saw.
 */
export function decide(ctx: NodeContext, decision: string, deadline: string, sendFirst = false): void {
  const v = coordinatorVol(ctx.node);
  v.phase = 'deciding';
  v.decision = decision;
  v.acked = {};
  v.attempt = 0;
  ctx.cancelTimer(deadline);
  const record = { kind: 'decision', value: decision };
  if (!sendFirst) ctx.log(record, 'decision');
  for (const p of ctx.flow) ctx.send(p, decision);
  if (sendFirst) ctx.log(record, 'decision');
  ctx.setTimer('acks', backoff(0));
}

export function onAck(ctx: NodeContext, from: string): void {
  const v = coordinatorVol(ctx.node);
  if (v.phase !== 'deciding') return;
  v.acked![from] = true;
  if (ctx.flow.every((p) => v.acked![p])) {
    v.phase = 'done';
    ctx.cancelTimer('acks');
    ctx.log({ kind: 'end' }, 'ended');
  }
}

/** The "acks" timer: send the decision again to whoever has not acknowledged it. */
export function resendDecision(ctx: NodeContext): void {
  const v = coordinatorVol(ctx.node);
  if (v.phase !== 'deciding') return;
  v.attempt = (v.attempt ?? 0) + 1;
  for (const p of ctx.flow) if (!v.acked![p]) ctx.send(p, v.decision!);
  ctx.setTimer('acks', backoff(v.attempt));
}

/** Rebuilds from the log; with only "begin" logged, takes `fallback` for the reason `why`. */
export function recoverCoordinator(ctx: NodeContext, fallback: string, deadline: string, why: string): void {
  const node = ctx.node;
  const v = coordinatorVol(node);
  const d = loggedDecision(node);
  if (ended(node)) {
    v.phase = 'done';
    v.decision = d!;
    ctx.note('the log says the transaction ended');
  } else if (d) {
    v.phase = 'deciding';
    v.decision = d;
    v.acked = {};
    v.attempt = 0;
    ctx.note(`the log holds the decision (${d}): sending it again`);
    for (const p of ctx.flow) ctx.send(p, d);
    ctx.setTimer('acks', backoff(0));
  } else if (node.log.some((r) => r.kind === 'begin')) {
    ctx.note(why);
    decide(ctx, fallback, deadline);
  } else ctx.note('no transaction in the log');
}

/** The decision as the invariants read it: `commitWord` is the decision that commits. */
export function decidedOutcome(node: NodeState, commitWord: string): 'committed' | 'aborted' | undefined {
  const d = loggedDecision(node);
  return d === undefined ? undefined : d === commitWord ? 'committed' : 'aborted';
}

export function ackBacklog(node: NodeState): string | undefined {
  return loggedDecision(node) && !ended(node) ? 'the coordinator is still waiting for acknowledgements' : undefined;
}

/** The lane header: what it is doing, in the protocol's words. */
export function coordinatorState(node: NodeState, collecting: string, deciding: (d: string) => string): string {
  const d = loggedDecision(node);
  if (ended(node)) return `ended (${d})`;
  if (d) return deciding(d);
  return node.log.length ? collecting : 'idle';
}

/**
 * TCC (try–confirm–cancel). The coordinator asks every participant to *try*: check its business
 * rule and reserve what it will use (freeze the money, hold the coupon, set stock aside) in a local
 * transaction. If every try succeeds it makes "confirm" durable and confirms everywhere; otherwise
 * it makes "cancel" durable and cancels everywhere, including participants whose try never arrived.
 * Confirm and cancel are retried until acknowledged, so participants must make them idempotent.
 *
 * A participant keeps one durable record per transaction (tried / confirmed / cancelled / failed):
 * - a repeated confirm or cancel finds the record and only acknowledges (idempotence);
 * - a cancel for a try that never ran writes "cancelled" with nothing to undo (empty cancel);
 * - a try arriving after its cancel finds "cancelled" and is refused, so nothing stays reserved
 *   forever (suspension prevention).
 */
import type { ParticipantId } from '../../../protocol/txn';
import type { NodeContext, Outcome, ProtocolLogic } from '../nodeLogic';
import { participantResource, refusalFor } from '../nodeLogic';
import { ackBacklog, answeredYes, beginPhaseOne, coordinatorState, coordinatorVol, decide, decidedOutcome, onAck, recoverCoordinator, resendDecision } from './decidingCoordinator';
import { describeDeltas, forwardDeltas, negate, participantSpec } from '../participants';
import type { LocalChange, Message, NodeState } from '../state';
import { COORDINATOR, PROTOCOL_SHAPES } from './shapes';

const TRY_TIMEOUT_MS = 150;
const RECORD = 'txn:order-1001';

type ParticipantRecord = 'tried' | 'confirmed' | 'cancelled' | 'failed';

function record(node: NodeState): ParticipantRecord | undefined {
  return node.records[RECORD] as ParticipantRecord | undefined;
}

/**
 * A try reserves what has a limit (money out of a wallet, a coupon use, stock) by applying it and
 * freezing the amount; what has no limit (money collected, points) waits for confirm.
 */
function split(node: NodeState, flow: readonly ParticipantId[]): { reserve: Record<string, number>; onConfirm: Record<string, number> } {
  const spec = participantSpec(node.participant!);
  const reserve: Record<string, number> = {};
  const onConfirm: Record<string, number> = {};
  for (const [k, d] of Object.entries(forwardDeltas(node.participant!, flow))) (spec.limits[k] ? reserve : onConfirm)[k] = d;
  return { reserve, onConfirm };
}

function frozenFor(reserve: Record<string, number>, sign: 1 | -1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, d] of Object.entries(reserve)) out[k] = sign * Math.abs(d);
  return out;
}

/** A local transaction that also moves this participant's record to `state`. */
function write(ctx: NodeContext, state: ParticipantRecord, change: Omit<LocalChange, 'records'>, milestone: string): void {
  ctx.commit({ ...change, records: { [RECORD]: state } }, milestone);
}

function onCoordinatorMessage(ctx: NodeContext, msg: Message): void {
  switch (msg.type) {
    case 'try-ok':
    case 'try-failed':
      if (coordinatorVol(ctx.node).phase !== 'collecting') { ctx.note('late answer: already decided'); return; }
      if (msg.type === 'try-failed') {
        ctx.note(`${msg.from}'s try failed${msg.body.reason ? ` (${msg.body.reason})` : ''}: cancel everywhere`);
        decide(ctx, 'cancel', 'tries');
        return;
      }
      if (answeredYes(ctx, msg.from)) {
        ctx.milestone('tries');
        ctx.note('every try succeeded: confirm');
        decide(ctx, 'confirm', 'tries');
      }
      return;
    case 'ack':
      onAck(ctx, msg.from);
      return;
  }
}

function onParticipantMessage(ctx: NodeContext, msg: Message): void {
  const node = ctx.node;
  const p = node.participant!;
  const rec = record(node);
  const resource = participantResource(node);
  const { reserve, onConfirm } = split(node, ctx.flow);
  switch (msg.type) {
    case 'try': {
      if (rec === 'cancelled') {
        ctx.note('suspension prevented: this try arrives after its cancel, so it is refused');
        ctx.send(COORDINATOR, 'try-failed', { reason: 'already cancelled' });
        return;
      }
      if (rec === 'tried' || rec === 'confirmed') { ctx.note('repeated try: already reserved'); ctx.send(COORDINATOR, 'try-ok'); return; }
      if (rec === 'failed') { ctx.send(COORDINATOR, 'try-failed', { reason: 'failed before' }); return; }
      const reason = refusalFor(node, forwardDeltas(p, ctx.flow));
      if (reason) {
        ctx.note(`try fails: ${reason}`);
        write(ctx, 'failed', { what: 'records the failed try' }, 'try-failed');
        ctx.send(COORDINATOR, 'try-failed', { reason });
        return;
      }
      write(ctx, 'tried', { what: `reserves: ${describeDeltas(p, reserve)}`, deltas: reserve, frozen: frozenFor(reserve, 1) }, 'tried');
      ctx.lock(resource, 'reservation');
      ctx.send(COORDINATOR, 'try-ok');
      return;
    }
    case 'confirm':
      if (rec === 'tried') {
        write(ctx, 'confirmed', { what: `confirms: ${describeDeltas(p, { ...reserve, ...onConfirm })}`, deltas: onConfirm, frozen: frozenFor(reserve, -1) }, 'confirmed');
        ctx.unlock(resource);
      } else if (rec === 'confirmed') ctx.note('repeated confirm: already confirmed (idempotent)');
      else ctx.note(`confirm without a successful try (${rec ?? 'no record'}): nothing to confirm`);
      ctx.send(COORDINATOR, 'ack');
      return;
    case 'cancel':
      if (rec === 'tried') {
        write(ctx, 'cancelled', { what: `cancels: gives back ${describeDeltas(p, negate(reserve))}`, deltas: negate(reserve), frozen: frozenFor(reserve, -1) }, 'cancelled');
        ctx.unlock(resource);
      } else if (rec === 'cancelled') ctx.note('repeated cancel: already cancelled (idempotent)');
      else if (rec === 'confirmed') ctx.note('cancel after confirm: refused, the confirm stands');
      else {
        ctx.note(rec === 'failed' ? 'cancel after a failed try: nothing to undo' : 'empty cancel: the try never ran; recorded so a late try is refused');
        write(ctx, 'cancelled', { what: 'records the cancel (nothing reserved)' }, 'cancelled');
      }
      ctx.send(COORDINATOR, 'ack');
      return;
  }
}

export const tcc: ProtocolLogic = {
  ...PROTOCOL_SHAPES.tcc,
  atomicAtEveryStep: false,

  onStart(ctx) {
    beginPhaseOne(ctx, 'try', 'tries', TRY_TIMEOUT_MS);
  },

  onMessage(ctx, msg) {
    if (ctx.node.role === 'coordinator') onCoordinatorMessage(ctx, msg);
    else onParticipantMessage(ctx, msg);
  },

  onTimer(ctx, name) {
    if (name === 'tries' && coordinatorVol(ctx.node).phase === 'collecting') {
      ctx.note('not every try answered in time: cancel everywhere');
      decide(ctx, 'cancel', 'tries');
    } else if (name === 'acks') resendDecision(ctx);
  },

  onRecover(ctx) {
    const node = ctx.node;
    if (node.role === 'participant') {
      if (record(node) === 'tried') {
        ctx.note('a try is recorded: its reservation stands until confirm or cancel');
        ctx.lock(participantResource(node), 'reservation');
      }
      return;
    }
    recoverCoordinator(ctx, 'cancel', 'tries', 'tries were sent but no decision was logged: cancel everywhere');
  },

  outcome(node): Outcome {
    switch (record(node)) {
      case 'tried': return 'pending';
      case 'confirmed': return 'committed';
      case 'cancelled':
      case 'failed': return 'aborted';
      default: return 'none';
    }
  },

  decided: (nodes) => decidedOutcome(nodes[COORDINATOR]!, 'confirm'),
  backlog: (nodes) => ackBacklog(nodes[COORDINATOR]!),

  // Reservations are business data, not locks: other orders still use what is not frozen.
  inDoubt: () => false,

  stateLabel(node) {
    if (node.role === 'participant') return record(node) ?? 'idle';
    return coordinatorState(node, 'trying', (d) => (d === 'confirm' ? 'confirming' : 'cancelling'));
  },
};

/**
 * Two-phase commit with presumed abort (Gray & Lamport, "Consensus on Transaction Commit"; Lamport's
 * TwoPhase.tla). Phase one: the coordinator logs the transaction and asks every participant to
 * prepare; a participant checks its business rule, locks its row, makes "prepared" durable and
 * votes yes, or aborts on its own and votes no. Phase two: the coordinator makes its decision
 * durable, then sends it; participants commit or abort, release their locks and acknowledge.
 *
 * After voting yes a participant may not decide alone: it holds its lock *in doubt* until the
 * coordinator answers. If the coordinator crashes between the votes and the decision, every
 * prepared participant stays blocked, lock held, until the coordinator recovers and reads its log
 * (no decision logged: abort). The planted bug `commit-before-log` sends commit before the decision
 * is durable; a crash in between lets recovery abort what some participants already committed.
 */
import type { NodeContext, Outcome, ProtocolLogic } from '../nodeLogic';
import { backoff, participantResource, refusalFor, vol } from '../nodeLogic';
import {
  ackBacklog, answeredYes, beginPhaseOne, coordinatorState, coordinatorVol, decide as decideAndSend, decidedOutcome,
  loggedDecision, onAck, recoverCoordinator, resendDecision,
} from './decidingCoordinator';
import { describeDeltas, forwardDeltas } from '../participants';
import type { Message, NodeState } from '../state';
import { COORDINATOR, PROTOCOL_SHAPES } from './shapes';

const VOTE_TIMEOUT_MS = 150;
const QUERY_TIMEOUT_MS = 100;

interface ParticipantVol {
  attempt: number;
}

function participantState(node: NodeState): 'none' | 'prepared' | 'committed' | 'aborted' {
  let st: 'none' | 'prepared' | 'committed' | 'aborted' = 'none';
  for (const r of node.log) if (r.kind === 'prepared' || r.kind === 'committed' || r.kind === 'aborted') st = r.kind;
  return st;
}

/** A decision to commit or abort; the buggy variant sends commit before logging it. */
function decide(ctx: NodeContext, d: 'commit' | 'abort'): void {
  decideAndSend(ctx, d, 'votes', ctx.variant === 'commit-before-log' && d === 'commit');
}

function onCoordinatorMessage(ctx: NodeContext, msg: Message): void {
  const v = coordinatorVol(ctx.node);
  const decision = v.decision ?? loggedDecision(ctx.node);
  switch (msg.type) {
    case 'vote':
      if (decision) {
        // A late or repeated vote: tell a prepared participant what was decided.
        if (msg.body.ok) ctx.send(msg.from, decision);
        ctx.note(`already decided ${decision}`);
        return;
      }
      if (v.phase !== 'collecting') {
        ctx.note('no transaction in progress: presumed abort');
        if (msg.body.ok) ctx.send(msg.from, 'abort');
        return;
      }
      if (!msg.body.ok) {
        ctx.note(`${msg.from} voted no${msg.body.reason ? ` (${msg.body.reason})` : ''}: abort`);
        decide(ctx, 'abort');
        return;
      }
      if (answeredYes(ctx, msg.from)) {
        ctx.milestone('votes');
        ctx.note('every participant voted yes: commit');
        decide(ctx, 'commit');
      }
      return;
    case 'ack':
      onAck(ctx, msg.from);
      return;
    case 'query':
      if (decision) ctx.send(msg.from, decision);
      else if (v.phase === 'collecting') ctx.note('still collecting votes: no answer yet');
      else {
        ctx.note('no record of the transaction: presumed abort');
        ctx.send(msg.from, 'abort');
      }
      return;
  }
}

function onParticipantMessage(ctx: NodeContext, msg: Message): void {
  const node = ctx.node;
  const p = node.participant!;
  const st = participantState(node);
  const resource = participantResource(node);
  switch (msg.type) {
    case 'prepare': {
      if (st === 'prepared' || st === 'committed') { ctx.send(COORDINATOR, 'vote', { ok: true }); return; }
      if (st === 'aborted') {
        ctx.note('already aborted: votes no');
        ctx.send(COORDINATOR, 'vote', { ok: false, reason: 'already aborted' });
        return;
      }
      const reason = refusalFor(node, forwardDeltas(p, ctx.flow));
      if (reason) {
        ctx.note(`votes no: ${reason}`);
        ctx.log({ kind: 'aborted' }, 'aborted');
        ctx.send(COORDINATOR, 'vote', { ok: false, reason });
        return;
      }
      ctx.lock(resource, 'lock');
      ctx.log({ kind: 'prepared' }, 'prepared');
      ctx.send(COORDINATOR, 'vote', { ok: true });
      vol<ParticipantVol>(node).attempt = 0;
      ctx.setTimer('doubt', QUERY_TIMEOUT_MS);
      return;
    }
    case 'commit':
      if (st === 'prepared') {
        ctx.cancelTimer('doubt');
        const deltas = forwardDeltas(p, ctx.flow);
        ctx.commit({ what: describeDeltas(p, deltas), deltas, log: { kind: 'committed' } }, 'committed');
        ctx.unlock(resource);
      } else if (st === 'aborted') ctx.note('told to commit after it aborted: the outcome is mixed');
      else if (st === 'none') ctx.note('told to commit a transaction it never prepared: ignored');
      ctx.send(COORDINATOR, 'ack');
      return;
    case 'abort':
      if (st === 'prepared') {
        ctx.cancelTimer('doubt');
        ctx.log({ kind: 'aborted' }, 'aborted');
        ctx.unlock(resource);
      } else if (st === 'none') {
        ctx.note('aborted before preparing: a late prepare will get a no');
        ctx.log({ kind: 'aborted' }, 'aborted');
      } else if (st === 'committed') ctx.note('told to abort after it committed: the outcome is mixed');
      ctx.send(COORDINATOR, 'ack');
      return;
  }
}

function askCoordinator(ctx: NodeContext): void {
  const v = vol<ParticipantVol>(ctx.node);
  v.attempt = (v.attempt ?? 0) + 1;
  ctx.send(COORDINATOR, 'query');
  ctx.setTimer('doubt', Math.max(QUERY_TIMEOUT_MS, backoff(v.attempt)));
}

export const twoPhaseCommit: ProtocolLogic = {
  ...PROTOCOL_SHAPES['2pc'],
  atomicAtEveryStep: true,
  blocker: COORDINATOR,

  onStart(ctx) {
    beginPhaseOne(ctx, 'prepare', 'votes', VOTE_TIMEOUT_MS);
  },

  onMessage(ctx, msg) {
    if (ctx.node.role === 'coordinator') onCoordinatorMessage(ctx, msg);
    else onParticipantMessage(ctx, msg);
  },

  onTimer(ctx, name) {
    const node = ctx.node;
    if (node.role === 'coordinator') {
      if (name === 'votes' && coordinatorVol(node).phase === 'collecting') {
        ctx.note('not every vote arrived in time: abort');
        decide(ctx, 'abort');
      } else if (name === 'acks') resendDecision(ctx);
      return;
    }
    if (name === 'doubt' && participantState(node) === 'prepared') {
      ctx.note('in doubt: holds its lock and asks the coordinator');
      askCoordinator(ctx);
    }
  },

  onRecover(ctx) {
    const node = ctx.node;
    if (node.role === 'coordinator') {
      recoverCoordinator(ctx, 'abort', 'votes', 'no decision in the log: abort (presumed abort)');
      return;
    }
    if (participantState(node) === 'prepared') {
      ctx.note('prepared in the log: takes its lock again and asks the coordinator');
      ctx.lock(participantResource(node), 'lock');
      askCoordinator(ctx);
    }
  },

  outcome(node): Outcome {
    const st = participantState(node);
    return st === 'prepared' ? 'pending' : st;
  },

  decided: (nodes) => decidedOutcome(nodes[COORDINATOR]!, 'commit'),
  backlog: (nodes) => ackBacklog(nodes[COORDINATOR]!),

  inDoubt: (node) => node.role === 'participant' && participantState(node) === 'prepared',

  stateLabel(node) {
    if (node.role === 'participant') {
      const st = participantState(node);
      return st === 'prepared' ? 'prepared (in doubt)' : st === 'none' ? 'idle' : st;
    }
    return coordinatorState(node, 'collecting votes', (d) => `decided ${d}`);
  },
};

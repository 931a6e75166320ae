/**
 * An orchestrated saga. The orchestrator runs the steps one after another, in flow order; each
 * participant does its part as a local transaction and commits at once (no locks held across
 * steps). The orchestrator logs every finished step, so after a crash it resumes where its log
 * ends. A step that does not answer is retried; a step that fails (or keeps not answering) starts
 * compensation: the finished steps are undone in reverse order, each compensation retried until
 * acknowledged.
 *
 * Retries mean duplicates, so participants keep one durable record per saga (done / failed /
 * undone): a repeated step answers from it, a compensation for a step that never ran records
 * "undone" so the late step is refused, and a repeated compensation does nothing. The planted bug
 * `non-idempotent-compensation` forgets that last check: a compensation delivered twice (a retry
 * after a lost answer, a resend after the orchestrator's crash, a duplicated message) refunds twice.
 */
import type { NodeContext, Outcome, ProtocolLogic } from '../nodeLogic';
import { backoff, refusalFor, vol } from '../nodeLogic';
import { describeDeltas, forwardDeltas, negate } from '../participants';
import type { Message, NodeState } from '../state';
import { ORCHESTRATOR, PROTOCOL_SHAPES } from './shapes';

const RECORD = 'saga:order-1001';
/** Tries of one forward step before the orchestrator gives up on it and compensates. */
const STEP_ATTEMPTS = 4;

type ParticipantRecord = 'done' | 'failed' | 'undone';

interface OrchestratorVol {
  phase: 'forward' | 'compensating' | 'done';
  /** Step being done (forward) or undone (compensating). */
  current: number;
  attempt: number;
}

/** The saga's progress as its log tells it. */
function progress(node: NodeState): { begun: boolean; done: number; compensateFrom?: number; undone: number; ended?: 'committed' | 'aborted' } {
  const p: ReturnType<typeof progress> = { begun: false, done: 0, undone: 0 };
  for (const r of node.log) {
    if (r.kind === 'begin') p.begun = true;
    else if (r.kind === 'step-done') p.done = Number(r.value) + 1;
    else if (r.kind === 'compensate') p.compensateFrom = Number(r.value);
    else if (r.kind === 'step-undone') p.undone++;
    else if (r.kind === 'end') p.ended = r.value as 'committed' | 'aborted';
  }
  return p;
}

function record(node: NodeState): ParticipantRecord | undefined {
  return node.records[RECORD] as ParticipantRecord | undefined;
}

/**
 * Sends step i forward (do) or back (undo), with a retry timer. Past the last step forward, or
 * before the first one backward, the saga is over and its end is logged.
 */
function runStep(ctx: NodeContext, phase: 'forward' | 'compensating', i: number): void {
  const v = vol<OrchestratorVol>(ctx.node);
  v.phase = phase;
  v.current = i;
  if (i < 0 || i >= ctx.flow.length) {
    v.phase = 'done';
    ctx.log({ kind: 'end', value: phase === 'forward' ? 'committed' : 'aborted' }, 'ended');
    return;
  }
  v.attempt = 0;
  ctx.send(ctx.flow[i]!, phase === 'forward' ? 'do' : 'undo', { index: i });
  ctx.setTimer('step', backoff(0));
}

function compensate(ctx: NodeContext, from: number, why: string): void {
  ctx.cancelTimer('step');
  ctx.note(`${why}: compensate ${from >= 0 ? `steps ${from}…0 in reverse` : 'nothing (no step finished)'}`);
  ctx.milestone('compensating');
  ctx.log({ kind: 'compensate', value: from });
  runStep(ctx, 'compensating', from);
}

function onOrchestratorMessage(ctx: NodeContext, msg: Message): void {
  const v = vol<OrchestratorVol>(ctx.node);
  const i = msg.body.index ?? -1;
  if (i !== v.current) { ctx.note('an answer for another step (a duplicate or a late one): ignored'); return; }
  if (v.phase === 'forward' && (msg.type === 'done' || msg.type === 'failed')) {
    if (msg.type === 'failed') { compensate(ctx, i - 1, `step ${i} (${msg.from}) failed${msg.body.reason ? `: ${msg.body.reason}` : ''}`); return; }
    ctx.cancelTimer('step');
    ctx.log({ kind: 'step-done', value: i });
    runStep(ctx, 'forward', i + 1);
  } else if (v.phase === 'compensating' && msg.type === 'undone') {
    ctx.cancelTimer('step');
    ctx.log({ kind: 'step-undone', value: i });
    runStep(ctx, 'compensating', i - 1);
  } else ctx.note('an answer it no longer waits for: ignored');
}

function reply(ctx: NodeContext, msg: Message, type: string, reason?: string): void {
  ctx.send(ORCHESTRATOR, type, reason ? { index: msg.body.index!, reason } : { index: msg.body.index! });
}

function compensateLocally(ctx: NodeContext, deltas: Record<string, number>): void {
  const undo = negate(deltas);
  ctx.commit({ what: `compensates: ${describeDeltas(ctx.node.participant!, undo)}`, deltas: undo, records: { [RECORD]: 'undone' } }, 'undone');
}

function onParticipantMessage(ctx: NodeContext, msg: Message): void {
  const node = ctx.node;
  const p = node.participant!;
  const rec = record(node);
  const deltas = forwardDeltas(p, ctx.flow);
  if (msg.type === 'do') {
    if (rec === 'done') { ctx.note('repeated step: already done'); reply(ctx, msg, 'done'); return; }
    if (rec === 'undone') { ctx.note('step after its compensation: refused'); reply(ctx, msg, 'failed', 'already compensated'); return; }
    if (rec === 'failed') { reply(ctx, msg, 'failed', 'failed before'); return; }
    const reason = refusalFor(node, deltas);
    if (reason) {
      ctx.note(`fails: ${reason}`);
      ctx.commit({ what: 'records the failure', records: { [RECORD]: 'failed' } });
      reply(ctx, msg, 'failed', reason);
      return;
    }
    ctx.commit({ what: describeDeltas(p, deltas), deltas, records: { [RECORD]: 'done' } }, 'done');
    reply(ctx, msg, 'done');
    return;
  }
  if (msg.type !== 'undo') return;
  if (ctx.variant === 'non-idempotent-compensation') {
    // The bug: "did this step run?" is asked, "was it already compensated?" is not.
    if (rec === 'done' || rec === 'undone') compensateLocally(ctx, deltas);
    else ctx.commit({ what: 'records the compensation (nothing to undo)', records: { [RECORD]: 'undone' } });
  } else if (rec === 'done') compensateLocally(ctx, deltas);
  else if (rec === 'undone') ctx.note('repeated compensation: already undone (idempotent)');
  else {
    ctx.note(rec === 'failed' ? 'compensation of a failed step: nothing to undo' : 'compensation before the step ran: recorded so the late step is refused');
    ctx.commit({ what: 'records the compensation (nothing to undo)', records: { [RECORD]: 'undone' } });
  }
  reply(ctx, msg, 'undone');
}

export const saga: ProtocolLogic = {
  ...PROTOCOL_SHAPES.saga,
  atomicAtEveryStep: false,

  onStart(ctx) {
    ctx.log({ kind: 'begin', value: ctx.flow.join(',') });
    runStep(ctx, 'forward', 0);
  },

  onMessage(ctx, msg) {
    if (ctx.node.role === 'orchestrator') onOrchestratorMessage(ctx, msg);
    else onParticipantMessage(ctx, msg);
  },

  onTimer(ctx, name) {
    const v = vol<OrchestratorVol>(ctx.node);
    if (name !== 'step' || v.phase === 'done' || v.current === undefined) return;
    const i = v.current;
    v.attempt = (v.attempt ?? 0) + 1;
    if (v.phase === 'forward' && v.attempt >= STEP_ATTEMPTS) {
      // The step may or may not have run: compensate it too (its undo is safe either way).
      compensate(ctx, i, `step ${i} (${ctx.flow[i]}) did not answer after ${STEP_ATTEMPTS} tries`);
      return;
    }
    ctx.note(`no answer from ${ctx.flow[i]}: retry ${v.attempt}`);
    ctx.send(ctx.flow[i]!, v.phase === 'forward' ? 'do' : 'undo', { index: i });
    ctx.setTimer('step', backoff(v.attempt));
  },

  onRecover(ctx) {
    const node = ctx.node;
    if (node.role !== 'orchestrator') return;
    const p = progress(node);
    if (!p.begun) { ctx.note('no saga in the log'); return; }
    if (p.ended) { vol<OrchestratorVol>(node).phase = 'done'; ctx.note(`the log says the saga ended (${p.ended})`); return; }
    if (p.compensateFrom !== undefined) {
      const j = p.compensateFrom - p.undone;
      ctx.note(`the log says it was compensating: resumes with step ${j}`);
      runStep(ctx, 'compensating', j);
    } else {
      ctx.note(`the log says ${p.done} step(s) finished: resumes with step ${p.done}`);
      runStep(ctx, 'forward', p.done);
    }
  },

  outcome(node): Outcome {
    const rec = record(node);
    return rec === 'done' ? 'committed' : rec === 'failed' || rec === 'undone' ? 'aborted' : 'none';
  },

  decided(nodes) {
    return progress(nodes[ORCHESTRATOR]!).ended;
  },

  backlog(nodes) {
    const p = progress(nodes[ORCHESTRATOR]!);
    return p.begun && !p.ended ? 'the saga has not finished' : undefined;
  },

  inDoubt: () => false,

  stateLabel(node) {
    if (node.role === 'participant') return record(node) ?? 'idle';
    const p = progress(node);
    if (p.ended) return `ended (${p.ended})`;
    if (p.compensateFrom !== undefined) return `compensating step ${p.compensateFrom - p.undone}`;
    return p.begun ? `step ${p.done}` : 'idle';
  },
};

/**
 * The invariants, checked after every step.
 *
 * Two kinds. Safety invariants must hold after every single step; the first step that breaks one
 * is final (coupon used at most once; for two-phase commit also atomicity: no participant commits
 * while another aborts, TwoPhase.tla's TCConsistent). Settle-time invariants may be false in the
 * middle of a run (a saga has debited the wallet but not yet recorded the order) and are judged
 * once the run settles: atomicity (all committed or none), money conserved (the sum of balances is
 * what it was), eventual consistency (everyone agrees with the decision, nothing is in doubt or
 * left to retry) and locks released. For those, the step a violation names is the one from which
 * the condition stayed false to the end.
 */
import type { InvariantName, InvariantStatus, ParticipantId } from '../../protocol/txn';
import { INVARIANT_NAMES, TXN_LIMITS } from '../../protocol/txn';
import type { ProtocolLogic } from './nodeLogic';
import { participantSpec } from './participants';
import type { InvariantTrack, MonitorState, NodeState, SimState } from './state';

export const INVARIANT_INFO: Record<InvariantName, { label: string; description: string }> = {
  atomicity: { label: 'Atomicity', description: 'All participants commit, or none does (aborted or compensated).' },
  money: { label: 'Money conserved', description: 'The sum of every money balance (frozen amounts included) is what it was before the order.' },
  coupon: { label: 'Coupon used at most once', description: 'The coupon SAVE10 is used 0 or 1 times, never more and never "given back" twice.' },
  consistency: { label: 'Eventual consistency', description: 'Once retries and recoveries are over, every participant agrees with the decision and nothing is in doubt or left to deliver.' },
  locks: { label: 'Locks released', description: 'No lock or reservation is still held once the run is over.' },
};

export interface InvariantVerdict {
  name: InvariantName;
  status: InvariantStatus;
  since?: number;
  detail: string;
}

/** What the invariants look at, counted without building any text (this runs after every step). */
interface Observation {
  n: number;
  committed: number;
  aborted: number;
  pending: number;
  money: number;
  couponUses: number | undefined;
  decided: 'committed' | 'aborted' | undefined;
  backlog: string | undefined;
  locks: number;
}

function moneyTotal(nodes: Readonly<Record<string, NodeState>>): number {
  let total = 0;
  for (const id in nodes) {
    const node = nodes[id]!;
    if (!node.participant) continue;
    for (const k of participantSpec(node.participant).money) total += (node.values[k] ?? 0) + (node.frozen[k] ?? 0);
  }
  return total;
}

function observe(s: SimState, logic: ProtocolLogic, flow: readonly ParticipantId[]): Observation {
  let committed = 0;
  let aborted = 0;
  let pending = 0;
  for (const p of flow) {
    const o = logic.outcome(s.nodes[p]!);
    if (o === 'committed') committed++;
    else if (o === 'aborted') aborted++;
    else if (o === 'pending') pending++;
  }
  let locks = 0;
  for (const id in s.nodes) for (const _ in s.nodes[id]!.locks) locks++;
  const coupon = flow.includes('coupon') ? s.nodes['coupon']!.values['uses'] ?? 0 : undefined;
  return { n: flow.length, committed, aborted, pending, money: moneyTotal(s.nodes), couponUses: coupon, decided: logic.decided(s.nodes, flow), backlog: logic.backlog(s.nodes, flow), locks };
}

/** The first reason the participants do not (yet) agree with each other and the decision; undefined when they do. */
function inconsistency(o: Observation, s: SimState, logic: ProtocolLogic, flow: readonly ParticipantId[]): string | undefined {
  if (o.pending) return `${flow.filter((p) => logic.outcome(s.nodes[p]!) === 'pending').join(', ')} not decided yet`;
  if (o.committed !== 0 && o.committed !== o.n) return `${o.committed} of ${o.n} committed`;
  if (o.decided === 'committed' && o.committed !== o.n) return 'decided commit, but not every participant committed';
  if (o.decided !== 'committed' && o.committed > 0) return `participants committed but the decision is ${o.decided ?? 'missing'}`;
  return o.backlog;
}

function consistent(o: Observation): boolean {
  return o.pending === 0 && (o.committed === 0 || o.committed === o.n) && (o.decided === 'committed') === (o.committed === o.n && o.committed > 0) && o.backlog === undefined;
}

function track(t: InvariantTrack, holds: boolean, step: number): void {
  if (holds) delete t.falseSince;
  else t.falseSince ??= step;
}

export function initMonitor(s: SimState, logic: ProtocolLogic, flow: readonly ParticipantId[]): void {
  const tracks: Record<string, InvariantTrack> = {};
  for (const name of INVARIANT_NAMES) tracks[name] = {};
  s.monitor = { moneyInitial: moneyTotal(s.nodes), tracks, blockedNow: {} };
  updateMonitor(s, logic, flow);
}

export function updateMonitor(s: SimState, logic: ProtocolLogic, flow: readonly ParticipantId[]): void {
  const m: MonitorState = s.monitor;
  const o = observe(s, logic, flow);
  const t = m.tracks;
  const k = s.step;
  if (logic.atomicAtEveryStep && o.committed > 0 && o.aborted > 0) t['atomicity']!.brokeAt ??= k;
  track(t['atomicity']!, o.committed === 0 || o.committed === o.n, k);
  track(t['money']!, o.money === m.moneyInitial, k);
  if (o.couponUses !== undefined && (o.couponUses < 0 || o.couponUses > 1)) t['coupon']!.brokeAt ??= k;
  track(t['consistency']!, consistent(o), k);
  track(t['locks']!, o.locks === 0, k);
  if (logic.blocker) {
    const blockerDown = !s.nodes[logic.blocker]!.up;
    for (const p of flow) {
      if (blockerDown && logic.inDoubt(s.nodes[p]!)) {
        m.blockedNow[p] ??= k;
        m.blockedSince ??= k;
      } else delete m.blockedNow[p];
    }
  }
}

/**
 * Where each invariant stands. `final` is true once the run settled or hit the step cap (`stuck`):
 * then settle-time invariants get their verdict instead of "pending".
 */
export function verdicts(s: SimState, logic: ProtocolLogic, flow: readonly ParticipantId[], final: boolean, stuck: boolean): InvariantVerdict[] {
  const o = observe(s, logic, flow);
  const t = s.monitor.tracks;
  const settleTime = (name: InvariantName, detail: string): InvariantVerdict => {
    const tr = t[name]!;
    if (!final) return { name, status: 'pending', detail: tr.falseSince === undefined ? `${detail} (so far)` : `${detail} (right now; judged when the run settles)` };
    return tr.falseSince === undefined ? { name, status: 'holds', detail } : { name, status: 'violated', since: tr.falseSince, detail };
  };
  const out: InvariantVerdict[] = [];
  const atomicDetail = `${o.committed} committed, ${o.aborted} aborted${o.pending ? `, ${o.pending} in doubt` : ''} of ${o.n}`;
  const a = t['atomicity']!;
  out.push(a.brokeAt !== undefined ? { name: 'atomicity', status: 'violated', since: a.brokeAt, detail: `${atomicDetail}: some committed while others aborted` } : settleTime('atomicity', atomicDetail));
  out.push(settleTime('money', `total ${o.money}, was ${s.monitor.moneyInitial}`));
  const c = t['coupon']!;
  if (o.couponUses === undefined) out.push({ name: 'coupon', status: 'n/a', detail: 'no coupon service in this flow' });
  else if (c.brokeAt !== undefined) out.push({ name: 'coupon', status: 'violated', since: c.brokeAt, detail: `SAVE10 used ${o.couponUses} times` });
  else out.push({ name: 'coupon', status: 'holds', detail: `SAVE10 used ${o.couponUses} time${o.couponUses === 1 ? '' : 's'}` });
  if (stuck) {
    const tr = t['consistency']!;
    out.push({ name: 'consistency', status: 'violated', since: tr.falseSince ?? s.step, detail: `did not settle within ${TXN_LIMITS.maxRunSteps} steps` });
  } else out.push(settleTime('consistency', inconsistency(o, s, logic, flow) ?? (o.decided ? `everyone ${o.decided}` : 'nothing happened, everyone agrees')));
  const held = Object.values(s.nodes).flatMap((n) => Object.keys(n.locks).map((r) => `${r} (${n.id})`));
  out.push(settleTime('locks', held.length ? `held: ${held.join(', ')}` : 'none held'));
  return out;
}

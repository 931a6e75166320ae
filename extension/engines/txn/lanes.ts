/**
 * The sequence diagram of one run, built from its step records up to the cursor: lanes, message
 * arrows, marks, lock bars, downtime and blocked spans. Each kind is capped at maxItemsInView
 * items, keeping those nearest the cursor.
 */
import type { TxnArrowView, TxnLanesPart, TxnLockView, TxnMarkView, TxnSpanView } from '../../protocol/txn';
import { TXN_LIMITS } from '../../protocol/txn';
import type { Simulation } from './simulation';
import type { StepInfo } from './state';
import { messageLabel, stepLabel } from './stepLabels';

/** A step as the model keeps it: what happened, and who was blocked right after it. */
export type StepRecord = StepInfo & { blocked?: string[] };

function nearest<T>(items: T[], at: (t: T) => number, cursor: number): { items: T[]; cut: boolean } {
  const max = TXN_LIMITS.maxItemsInView;
  if (items.length <= max) return { items, cut: false };
  const keep = items.map((t, i) => ({ i, d: Math.abs(at(t) - cursor) })).sort((a, b) => a.d - b.d || a.i - b.i).slice(0, max).map((x) => x.i).sort((a, b) => a - b);
  return { items: keep.map((i) => items[i]!), cut: true };
}

/** `records`: the run's steps up to the cursor; `length`: how many the run has recorded in all. */
export function buildLanes(sim: Simulation, records: readonly StepRecord[], stepOffset: number, length: number): TxnLanesPart {
  const arrows: TxnArrowView[] = [];
  const byId = new Map<number, TxnArrowView>();
  const marks: TxnMarkView[] = [];
  const locks: TxnLockView[] = [];
  const openLocks = new Map<string, TxnLockView>();
  const down: TxnSpanView[] = [];
  const openDown = new Map<string, TxnSpanView>();
  const blocked: TxnSpanView[] = [];
  const openBlocked = new Map<string, TxnSpanView>();

  const addArrow = (a: TxnArrowView): void => { arrows.push(a); byId.set(a.id, a); };
  const mark = (r: StepRecord, kind: TxnMarkView['kind'], label: string): void => { marks.push({ node: r.node, step: r.step, kind, label, ...(r.milestone ? { milestone: r.milestone } : {}) }); };

  for (const r of records) {
    switch (r.kind) {
      case 'start': mark(r, 'start', stepLabel(r)); break;
      case 'send':
        addArrow({ id: r.msg.id, from: r.msg.from, to: r.msg.to, type: r.msg.type, label: messageLabel(r.msg), sendStep: r.step, fate: 'in-flight' });
        if (r.copy) addArrow({ id: r.copy.id, from: r.copy.from, to: r.copy.to, type: r.copy.type, label: messageLabel(r.copy), sendStep: r.step, fate: 'in-flight', dupOf: r.msg.id });
        if (r.fault) mark(r, 'fault', `${r.fault}: #${r.msg.id} ${messageLabel(r.msg)}`);
        break;
      case 'deliver':
      case 'lost': {
        const a = byId.get(r.msg.id);
        if (a) {
          a.recvStep = r.step;
          a.fate = r.kind === 'deliver' ? 'delivered' : r.reason === 'fault' ? 'lost' : 'dropped';
          if (r.delayedMs) a.delayedMs = r.delayedMs;
        }
        if (r.note) mark(r, 'note', r.note);
        break;
      }
      case 'timer': mark(r, 'timer', stepLabel(r)); break;
      case 'log': mark(r, 'log', stepLabel(r)); break;
      case 'commit': mark(r, 'commit', r.what); break;
      case 'lock': {
        const bar: TxnLockView = { node: r.node, resource: r.resource, kind: r.lockKind, from: r.step };
        locks.push(bar);
        openLocks.set(`${r.node}|${r.resource}`, bar);
        break;
      }
      case 'unlock': {
        const bar = openLocks.get(`${r.node}|${r.resource}`);
        if (bar) { bar.to = r.step; bar.end = 'released'; openLocks.delete(`${r.node}|${r.resource}`); }
        break;
      }
      case 'crash': {
        mark(r, 'crash', stepLabel(r));
        if (r.alreadyDown) break;
        for (const res of r.locksLost) {
          const bar = openLocks.get(`${r.node}|${res}`);
          if (bar) { bar.to = r.step; bar.end = 'crash'; openLocks.delete(`${r.node}|${res}`); }
        }
        const span: TxnSpanView = { node: r.node, from: r.step };
        down.push(span);
        openDown.set(r.node, span);
        break;
      }
      case 'recover': {
        mark(r, 'recover', stepLabel(r));
        const span = openDown.get(r.node);
        if (span) { span.to = r.step; openDown.delete(r.node); }
        break;
      }
    }
    const now = new Set(r.blocked ?? []);
    for (const [p, span] of openBlocked) if (!now.has(p)) { span.to = r.step; openBlocked.delete(p); }
    for (const p of now) if (!openBlocked.has(p)) { const span = { node: p, from: r.step }; blocked.push(span); openBlocked.set(p, span); }
  }

  const cursor = sim.steps;
  const a = nearest(arrows, (x) => x.recvStep ?? x.sendStep, cursor);
  const m = nearest(marks, (x) => x.step, cursor);
  const l = nearest(locks, (x) => x.to ?? cursor, cursor);
  const d = nearest(down, (x) => x.to ?? cursor, cursor);
  const b = nearest(blocked, (x) => x.to ?? cursor, cursor);
  const lanes = sim.logic.lanes(sim.setup.flow);
  return {
    stepOffset,
    cursor,
    length,
    nodes: lanes.map((lane) => {
      const node = sim.nodes[lane.id]!;
      return { id: lane.id, label: lane.label, role: lane.role, up: node.up, state: sim.logic.stateLabel(node), inDoubt: sim.logic.inDoubt(node) };
    }),
    arrows: a.items,
    marks: m.items,
    locks: l.items,
    down: d.items,
    blocked: b.items,
    truncated: a.cut || m.cut || l.cut || d.cut || b.cut,
  };
}

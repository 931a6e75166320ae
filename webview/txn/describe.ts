/** Sentences for one item of the sequence diagram: tooltips, the hover line and screen readers. */
import type { TxnArrowView, TxnLanesPart, TxnLockView, TxnMarkView, TxnSpanView } from '../../extension/protocol/txn';
import { UNDO_MILESTONES } from '../../extension/protocol/txn';

export function arrowText(a: TxnArrowView): string {
  const head = `#${a.id} ${a.label}: ${a.from} → ${a.to}, sent at step ${a.sendStep}`;
  const copy = a.dupOf !== undefined ? ` (a duplicate of #${a.dupOf})` : '';
  const late = a.delayedMs ? `, held back ${a.delayedMs} ms` : '';
  switch (a.fate) {
    case 'in-flight': return `${head}${copy}${late}; still in flight`;
    case 'delivered': return `${head}${copy}${late}; delivered at step ${a.recvStep}`;
    case 'lost': return `${head}${copy}${late}; lost on the way (step ${a.recvStep})`;
    case 'dropped': return `${head}${copy}${late}; dropped at step ${a.recvStep}: ${a.to} was down`;
  }
}

const MARK_WORD: Record<TxnMarkView['kind'], string> = {
  start: 'order request', log: 'durable log write', commit: 'local commit', timer: 'timer', crash: 'crash', recover: 'recovery', fault: 'fault', note: 'why',
};

export const isUndo = (m: TxnMarkView): boolean => m.milestone !== undefined && UNDO_MILESTONES.includes(m.milestone);

export function markText(m: TxnMarkView): string {
  const word = m.kind === 'commit' && isUndo(m) ? 'local commit that undoes its part' : MARK_WORD[m.kind];
  const moment = m.milestone ? ` · milestone "${m.milestone}" (crash:${m.node}@after-${m.milestone} fires right after it)` : '';
  return `step ${m.step} · ${m.node}, ${word}: ${m.label}${moment}`;
}

export function lockText(l: TxnLockView): string {
  const what = `${l.node} ${l.kind === 'lock' ? 'locks' : 'reserves'} ${l.resource} at step ${l.from}`;
  if (l.to === undefined) return `${what}; still held`;
  return l.end === 'crash' ? `${what}; the lock went with the crash at step ${l.to}` : `${what}; released at step ${l.to} (${l.to - l.from} steps later)`;
}

export function downText(s: TxnSpanView): string {
  return `${s.node} is down from step ${s.from}${s.to === undefined ? '' : ` until it recovers at step ${s.to}`}: what reaches it is dropped`;
}

export function blockedText(s: TxnSpanView): string {
  return `${s.node} is blocked from step ${s.from}${s.to === undefined ? '' : ` to ${s.to}`}: it voted yes and holds its lock in doubt, and the coordinator that could release it is down`;
}

/** One paragraph for screen readers: what the diagram shows up to the cursor. */
export function diagramSummary(l: TxnLanesPart): string {
  const lost = l.arrows.filter((a) => a.fate === 'lost' || a.fate === 'dropped').length;
  const held = l.locks.filter((x) => x.to === undefined).map((x) => `${x.resource} (${x.node})`);
  const down = l.nodes.filter((n) => !n.up).map((n) => n.id);
  const doubt = l.nodes.filter((n) => n.inDoubt).map((n) => n.id);
  return [
    `Sequence diagram, step ${l.cursor} of ${l.length}: ${l.nodes.length} lanes (${l.nodes.map((n) => `${n.label} ${n.state}`).join(', ')}).`,
    `${l.arrows.length} messages so far, ${lost} lost or dropped.`,
    held.length ? `Locks held: ${held.join(', ')}.` : 'No lock held.',
    down.length ? `Down: ${down.join(', ')}.` : '',
    doubt.length ? `In doubt: ${doubt.join(', ')}.` : '',
    l.blocked.length ? `Blocked spans: ${l.blocked.map((b) => `${b.node} from step ${b.from}${b.to === undefined ? '' : ` to ${b.to}`}`).join(', ')}.` : '',
    'Arrow keys move the cursor one step; Page Up and Page Down ten.',
  ].filter(Boolean).join(' ');
}

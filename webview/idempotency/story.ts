/**
 * The lab's story at a glance: three short verdicts (duplicates, order, money) and the notable
 * events of the stream, written from the view's real numbers. Pure functions of the view parts,
 * so what the panel says can be checked against the model.
 */
import type { IdempotencyView, LaneItem, TradeoffPoint } from '../../extension/protocol/idempotency';
import { PARTITIONER_LABEL, plural } from '../../extension/protocol/idempotencyLabels';
import { duration } from './timeAxis';

export type Tone = 'normal' | 'good' | 'warn' | 'bad';

export interface Verdict {
  id: 'duplicates' | 'order' | 'money';
  tone: Tone;
  title: string;
  text: string;
  /** What to try next to see the other side of the story. */
  hint?: string;
}

/** The ledger part lists at most this many accounts (overcharged first). */
const LEDGER_ROWS = 12;

type Parts = Pick<IdempotencyView, 'settings' | 'counters' | 'lanes' | 'ledger' | 'tradeoff'>;

const int = (n: number): string => n.toLocaleString('en-US');
const percent = (f: number): string => `${Math.round(f * 100)}%`;
const where = (it: LaneItem): string => `${it.lane === 'producer' || it.lane === 'broker' ? it.lane : `worker ${it.lane.slice(1)}`} at ${duration(it.t1)}`;

function lastItem(v: Parts, pred: (it: LaneItem) => boolean): LaneItem | undefined {
  const items = v.lanes.items;
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return items[i];
  return undefined;
}

/** The trade-off chart's point for the lab's current skew and workers under `dispatch`. */
export function pointFor(v: Parts, dispatch: Parts['settings']['dispatch']): TradeoffPoint | undefined {
  const s = v.settings;
  return v.tradeoff.series.find((x) => x.dispatch === dispatch && x.skew === s.skew)?.points.find((p) => p.workers === s.workers);
}

export function duplicatesVerdict(v: Parts): Verdict {
  const c = v.counters;
  const s = v.settings;
  if (c.produced === 0)
    return {
      id: 'duplicates', tone: 'normal', title: 'Nothing sent yet',
      text: `The broker delivers at least once: about ${percent(s.faults.duplicateRate)} of messages get an extra copy, and a lost ack (${percent(s.faults.ackLossRate)}) brings a redelivery.`,
      hint: 'Send messages to see the copies arrive.',
    };
  const slip = lastItem(v, (it) => it.slipped === true);
  const slipText = slip ? ` Latest: ${slip.msg} (${slip.key}) ran again on ${where(slip)}.` : '';
  const copies = plural(c.duplicatesDelivered, 'copy', 'copies');
  switch (s.check) {
    case 'off':
      return c.duplicatesSlipped > 0
        ? { id: 'duplicates', tone: 'bad', title: `No check: ${plural(c.duplicatesSlipped, 'duplicate')} ran again`, text: `Every delivery runs its effect, so ${copies} delivered repeated ${int(c.duplicatesSlipped)} effects.${slipText}`, hint: 'Set the check to weak or strong.' }
        : { id: 'duplicates', tone: 'normal', title: 'No check', text: `Every delivery runs its effect; ${copies} delivered so far${c.duplicatesDelivered ? '' : ', so nothing repeated yet'}.`, hint: 'Send a duplicate to see it run twice.' };
    case 'weak': {
      const lost = c.lost > 0 ? ` ${plural(c.lost, 'message')} never ran: a worker crashed after setting the key, and the redelivery found it set.` : '';
      return c.duplicatesSlipped > 0
        ? { id: 'duplicates', tone: 'bad', title: `Weak check: ${plural(c.duplicatesSlipped, 'copy', 'copies')} slipped through`, text: `${int(c.duplicatesDropped)} dropped inside the ${duration(s.ttlMs)} TTL; a copy that comes after its key expired finds no key and runs again.${slipText}${lost}`, hint: 'The strong check keeps a record with the result instead.' }
        : { id: 'duplicates', tone: c.lost > 0 ? 'warn' : c.duplicatesDropped > 0 ? 'good' : 'normal', title: `Weak check: ${plural(c.duplicatesDropped, 'copy', 'copies')} dropped`, text: `SET NX with a ${duration(s.ttlMs)} TTL drops every copy while the key lives.${lost}`, hint: `Advance time past ${duration(s.ttlMs)}, then send a duplicate: it slips through.` };
    }
    case 'strong': {
      const extras = [c.waits && `${plural(c.waits, 'wait')} on an in-progress record`, c.conflicts && `${plural(c.conflicts, 'changed payload')} rejected`, c.fenced && `${plural(c.fenced, 'late completion')} fenced off`].filter(Boolean);
      const more = extras.length ? ` Also: ${extras.join(', ')}.` : '';
      return c.duplicatesSlipped > 0
        ? { id: 'duplicates', tone: 'warn', title: `Strong check · ${plural(c.duplicatesSlipped, 'copy', 'copies')} ran again this session`, text: `While a record lives (${duration(s.ttlMs)}) every copy gets its stored result (${int(c.duplicatesDropped)} so far); a copy after the record expired, or under an earlier check, runs again.${slipText}${more}` }
        : { id: 'duplicates', tone: 'good', title: 'Strong check: every message ran once', text: `${plural(c.duplicatesDropped, 'copy', 'copies')} got the stored result instead of running again.${more}`, hint: 'Send a duplicate with a changed payload: the record\'s fingerprint rejects it.' };
    }
  }
}

export function orderVerdict(v: Parts): Verdict {
  const c = v.counters;
  const s = v.settings;
  const here = pointFor(v, s.dispatch);
  const rate = (p: TradeoffPoint | undefined): string => (p ? `${int(p.throughput)} msg/s` : '—');
  const broker = c.violationsByBroker > 0 ? ` ${plural(c.violationsByBroker, 'message')} reached the consumer out of order (broker delays, redeliveries).` : '';
  switch (s.dispatch) {
    case 'single':
      return {
        id: 'order', tone: c.orderViolations ? 'warn' : 'good', title: 'Single consumer: order kept by dispatch',
        text: `One thread runs every message: ${rate(here)} at ${duration(s.serviceMs)} each.${broker}`,
        hint: `Per-key lanes over ${s.workers} workers: ${rate(pointFor(v, 'keyhash'))}, still in order.`,
      };
    case 'roundrobin':
      return {
        id: 'order', tone: c.violationsByDispatch ? 'bad' : 'normal', title: `Round robin × ${s.workers}: ${plural(c.orderViolations, 'order violation')}`,
        text: `${plural(c.violationsByDispatch, 'message')} ran before an earlier message of the same key that another worker still held.${broker}`,
        hint: `Per-key lanes keep each key in order: ${rate(pointFor(v, 'keyhash'))} instead of ${rate(here)}.`,
      };
    case 'keyhash': {
      const workers = v.lanes.lanes.filter((l) => l.kind === 'worker');
      const done = workers.reduce((n, l) => n + (l.processed ?? 0), 0);
      const busiest = workers.reduce((m, l) => Math.max(m, l.processed ?? 0), 0);
      const load = done > 0 ? ` The busiest worker took ${percent(busiest / done)} of the work (even would be ${percent(1 / workers.length)}): one hot key's messages run one at a time.` : '';
      return {
        id: 'order', tone: c.violationsByDispatch ? 'bad' : 'good', title: `Per-key lanes × ${s.workers}: order kept by dispatch`,
        text: `hash(key) % ${s.workers} with ${PARTITIONER_LABEL[s.partitioner]} sends each key to one worker.${load}${broker}`,
        hint: `Round robin would run ${rate(pointFor(v, 'roundrobin'))} instead of ${rate(here)}, out of order.`,
      };
    }
  }
}

export function moneyVerdict(v: Parts): Verdict | undefined {
  const t = v.ledger.totals;
  const n = v.ledger.notifications;
  const c = v.counters;
  if (t.expected === 0 && n.expected === 0) return undefined;
  const texts = n.expected > 0 ? ` Texts: ${int(n.sent)} sent for ${int(n.expected)}${n.repeated ? `, ${int(n.repeated)} repeated` : ''}.` : '';
  const lost = c.lost > 0 ? ` ${plural(c.lost, 'message')} never ran.` : '';
  if (t.overcharged > 0) {
    const accounts = v.ledger.accounts.filter((a) => a.overcharged > 0).length;
    return {
      id: 'money', tone: 'bad', title: `${plural(t.doubleCharges, 'double charge')}: ${int(t.overcharged)} overcharged`,
      text: `Charged ${int(t.charged)} for payments worth ${int(t.expected)} on ${plural(accounts, 'account')}${accounts === v.ledger.accounts.length && accounts >= LEDGER_ROWS ? ' or more' : ''}.${lost}${texts}`,
    };
  }
  const pending = t.expected - t.charged;
  return {
    id: 'money', tone: c.lost > 0 ? 'warn' : 'good', title: t.expected > 0 ? 'Ledger balanced: no double charge' : 'No payments',
    text: `${t.expected > 0 ? `Charged ${int(t.charged)} of ${int(t.expected)}${pending > 0 ? ` (${int(pending)} not booked yet or lost)` : ''}.` : ''}${lost}${texts}`.trim(),
  };
}

export interface Notable {
  /** Index in lanes.items, to highlight it. */
  index: number;
  tone: Tone;
  text: string;
}

/** The events worth a look, newest first: slips, order violations, crashes, rejections, store failures. */
export function notableEvents(items: readonly LaneItem[], max = 8): Notable[] {
  const out: Notable[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < max; i--) {
    const it = items[i]!;
    const m = `${it.msg} (${it.key} #${it.seq + 1})`;
    if (it.slipped) out.push({ index: i, tone: 'bad', text: `${m} ran again on ${where(it)}: duplicate slipped through` });
    else if (it.violation) out.push({ index: i, tone: 'warn', text: `${m} ran after a later message of ${it.key} on ${where(it)} (${it.violation === 'dispatch' ? 'workers ran it out of order' : 'it reached the consumer late'})` });
    else if (it.kind === 'crashed') out.push({ index: i, tone: 'warn', text: `${m}: the worker crashed on ${where(it)}; redelivery after the ack timeout` });
    else if (it.kind === 'rejected') out.push({ index: i, tone: 'warn', text: `${m} rejected on ${where(it)}: same key, different payload` });
    else if (it.kind === 'fenced') out.push({ index: i, tone: 'warn', text: `${m}: lease ran out on ${where(it)}; its effect did not commit` });
    else if (it.kind === 'storeError') out.push({ index: i, tone: 'bad', text: `${m}: the store failed on ${where(it)}; not executed, not acked` });
    else if (it.kind === 'deadLettered') out.push({ index: i, tone: 'bad', text: `${m} dead-lettered by the broker at ${duration(it.t1)}` });
  }
  return out;
}

/**
 * The run's story in a few sentences, read off the view parts: how it ended (or where it stands),
 * who was blocked and for how long, and what the invariants say. Each sentence can point at the
 * run step it is about, which the panel turns into a link that moves the cursor there.
 */
import type { ExplorerResult, InvariantName, TxnBalancesPart, TxnInvariantsPart, TxnLanesPart, TxnRunPart } from '../../extension/protocol/txn';
import { PROTOCOL_INFO } from '../../extension/protocol/txnPresets';

export type Tone = 'good' | 'warn' | 'bad' | 'normal';

export interface Verdict {
  id: 'outcome' | 'blocked' | 'invariants';
  tone: Tone;
  title: string;
  text: string;
  /** The run step this verdict is about (a link seeks there). */
  step?: number;
}

export interface StoryParts {
  run: TxnRunPart;
  lanes: TxnLanesPart;
  invariants: TxnInvariantsPart;
  balances: TxnBalancesPart | null;
}

/** "payment, coupon and order"; "all 12 participants" when it is every one of them. */
function who(names: readonly string[], participants: number): string {
  return names.length === participants && participants > 3 ? `all ${participants} participants` : listing(names);
}

/** "payment, coupon and order". */
export function listing(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How the participants' undoing is called in each protocol. */
const UNDONE: Record<TxnRunPart['run']['protocol'], string> = { '2pc': 'aborted', tcc: 'cancelled', saga: 'compensated', outbox: 'undone' };

function outcome(p: StoryParts): Verdict {
  const { run, lanes } = p;
  const n = run.run.participants;
  const inDoubt = lanes.nodes.filter((x) => x.inDoubt).map((x) => x.id);
  const flying = lanes.arrows.filter((a) => a.fate === 'in-flight').length;
  switch (run.status) {
    case 'ready':
      return { id: 'outcome', tone: 'normal', title: 'Ready', text: `Nothing has happened yet: step forward to watch the order go through ${PROTOCOL_INFO[run.run.protocol].title}, one step at a time.` };
    case 'running': {
      const parts = [flying ? `${plural(flying, 'message')} in flight` : 'Nothing in flight'];
      if (inDoubt.length) parts.push(`${who(inDoubt, n)} in doubt, holding ${inDoubt.length === 1 ? 'its lock' : 'their locks'}`);
      const where = lanes.cursor < lanes.length ? ` (${lanes.length} recorded)` : '';
      return { id: 'outcome', tone: 'normal', title: `Step ${lanes.cursor}${where}: still going`, text: `${parts.join('; ')}. The settle-time invariants are judged when the run settles.` };
    }
    case 'stuck':
      return { id: 'outcome', tone: 'bad', title: 'Did not settle', text: `After ${run.step} steps something was still retrying: the run never reached quiescence.` };
    case 'settled':
      if (run.outcome === 'committed') return { id: 'outcome', tone: 'good', title: `All ${n} committed`, text: `Every service did its part (${run.timeMs} ms simulated, ${plural(run.messages.sent, 'message')}${faultNote(run)}).` };
      if (run.outcome === 'aborted') return { id: 'outcome', tone: 'good', title: `All ${n} ${UNDONE[run.run.protocol]}`, text: `None of the order went through, and nothing of it was left behind${faultNote(run)}.` };
      if (run.outcome === 'none') return { id: 'outcome', tone: 'warn', title: 'Nothing happened', text: `The order never started${faultNote(run)}.` };
      return { id: 'outcome', tone: 'bad', title: 'Mixed outcome', text: `Some services committed and others did not${faultNote(run)}: the order is half done.` };
  }
}

function faultNote(run: TxnRunPart): string {
  const fired = run.faults.filter((f) => !run.pendingFaults.includes(f));
  return fired.length ? `, despite ${listing(fired)}` : '';
}

function blocked(p: StoryParts): Verdict | undefined {
  const since = p.invariants.blockedSince;
  if (since === undefined) return undefined;
  const spans = p.lanes.blocked;
  const names = [...new Set(spans.map((s) => s.node))];
  const open = spans.some((s) => s.to === undefined);
  const until = Math.max(...spans.map((s) => s.to ?? p.lanes.cursor));
  const blocker = p.lanes.down.find((d) => d.from <= since && (d.to === undefined || d.to >= since))?.node ?? 'the coordinator';
  const holding = names.length === 1 ? 'its lock' : 'their locks';
  const blockedOnes = who(names, p.run.run.participants);
  const text = open
    ? `Since step ${since}, ${blockedOnes} ${names.length === 1 ? 'holds' : 'hold'} ${holding} in doubt: ${names.length === 1 ? 'it' : 'they'} voted yes and may not decide alone while ${blocker} is down.`
    : `From step ${since} to ${until}, ${blockedOnes} held ${holding} in doubt while ${blocker} was down: nobody else could touch those rows.`;
  return { id: 'blocked', tone: 'warn', title: open ? 'Blocked' : `Blocked for ${until - since} steps`, text, step: since };
}

function invariants(p: StoryParts, label: (n: InvariantName) => string): Verdict {
  const items = p.invariants.items;
  const violated = items.filter((i) => i.status === 'violated');
  if (violated.length) {
    const first = violated.reduce((a, b) => ((a.since ?? 0) <= (b.since ?? 0) ? a : b));
    return {
      id: 'invariants', tone: 'bad', title: `${listing(violated.map((v) => label(v.name)))} violated`,
      text: violated.map((v) => `${label(v.name)}: ${v.detail}${v.since !== undefined ? ` (since step ${v.since})` : ''}`).join('; ') + '.',
      ...(first.since !== undefined ? { step: first.since } : {}),
    };
  }
  const money = p.balances ? ` Money total: ${p.balances.moneyTotal} (at the start: ${p.balances.moneyInitial}).` : '';
  if (items.some((i) => i.status === 'pending')) {
    const safe = items.filter((i) => i.status === 'holds').map((i) => label(i.name));
    return { id: 'invariants', tone: 'normal', title: 'Invariants pending', text: `${safe.length ? `${listing(safe)} ${safe.length === 1 ? 'holds' : 'hold'} so far; the` : 'The'} others are judged when the run settles.${money}` };
  }
  const held = items.filter((i) => i.status === 'holds').map((i) => label(i.name).toLowerCase());
  return { id: 'invariants', tone: 'good', title: 'Every invariant holds', text: `${listing(held)}.${money}`.replace(/^./, (c) => c.toUpperCase()) };
}

/** The verdicts for the run shown, most important first. */
export function story(p: StoryParts): Verdict[] {
  const labels = new Map(p.invariants.items.map((i) => [i.name, i.label]));
  const label = (n: InvariantName): string => labels.get(n) ?? n;
  const inv = invariants(p, label);
  const b = blocked(p);
  const out = outcome(p);
  return inv.tone === 'bad' ? [inv, out, ...(b ? [b] : [])] : [out, ...(b ? [b] : []), inv];
}

/** What an exploration found, one sentence: the runs, what broke (a planted bug caught, or not), what blocked. */
export function explorationSentence(r: ExplorerResult): { tone: Tone; text: string } {
  const info = PROTOCOL_INFO[r.protocol];
  const what = `${r.variant === 'correct' ? info.short : `${info.short} with the planted bug ${r.variant}`}, ${r.participants} services, ${plural(r.crashes, 'crash', 'crashes')} and ${plural(r.messages, 'message fault')}`;
  const runs = `${r.runs.toLocaleString('en-US')} runs${r.complete ? '' : ' before it stopped (incomplete)'}`;
  const blocked = r.blocked ? `; ${r.blocked.toLocaleString('en-US')} blocked` : '';
  if (r.violations.length) {
    const broke = listing(r.violations.map((v) => `${v.invariant} in ${v.runs.toLocaleString('en-US')}`));
    const caught = r.variant !== 'correct' ? ' The planted bug is caught: open the counterexample to see how.' : '';
    return { tone: 'bad', text: `${what}: ${runs}; broken: ${broke}${blocked}.${caught}` };
  }
  const held = r.held.length ? `${listing(r.held)} held in every one` : 'nothing broke';
  return { tone: r.complete ? (r.blocked ? 'warn' : 'good') : 'normal', text: `${what}: ${runs}; ${held}${blocked}.` };
}

/**
 * The ring's story in sentences, from the model's numbers: what the last change moved against the
 * least any scheme must move, what the comparison says about modulo against the ring, and when
 * more virtual nodes would even out the load.
 */
import type { ComparisonPart, MovementReport, RingLoadPart, RingSettingsPart } from '../../extension/protocol/ring';
import { dec, int, pct } from '../lib/format';

export type Tone = 'good' | 'warn' | 'bad' | 'normal';

export interface Sentence {
  text: string;
  tone: Tone;
}

const ADDING: ReadonlySet<MovementReport['change']> = new Set(['add', 'recover']);
const REMOVING: ReadonlySet<MovementReport['change']> = new Set(['remove', 'fail']);

/** Whether every moved key left (fail, remove) or joined (add, recover) the server concerned. */
export function onlyThatServer(m: MovementReport): boolean {
  if (!m.server || m.moved === 0) return false;
  const at = m.names.indexOf(m.server);
  const side = REMOVING.has(m.change) ? 0 : ADDING.has(m.change) ? 1 : -1;
  if (at < 0 || side < 0) return false;
  for (let k = 0; k < m.matrix.length; k += 3) if (m.matrix[k + side] !== at) return false;
  return true;
}

const keysText = (n: number): string => `${int(n)} key${n === 1 ? '' : 's'}`;

export function movementStory(m: MovementReport): Sentence[] {
  if (m.total === 0) return [{ text: `${m.label}: no keys yet, so nothing moved. Insert keys to see where they go.`, tone: 'normal' }];
  const head = `${m.label}: ${int(m.moved)} of ${keysText(m.total)} moved (${pct(m.fraction)})`;
  if (m.ideal === 0) {
    return [{ text: `${head}. No server came or went, so a placement that kept every key would be ideal; this change re-dealt ${pct(m.fraction)} of them.`, tone: m.moved === 0 ? 'good' : 'warn' }];
  }
  const ratio = m.fraction / m.ideal;
  const out: Sentence[] = [];
  // With no wrong move every move was forced; the ideal is what an even split would have had to move.
  if (m.wrongMoves === 0) out.push({ text: `${head}: only keys that had to move (an even split would move ${pct(m.ideal)}).`, tone: 'good' });
  else if (ratio <= 1.1) out.push({ text: `${head}, close to the ideal ${pct(m.ideal)}, but not only the keys that had to move.`, tone: 'warn' });
  else out.push({ text: `${head}: ${ratio.toFixed(1)}× the ideal ${pct(m.ideal)}.`, tone: ratio > 2 ? 'bad' : 'warn' });
  if (onlyThatServer(m)) {
    out.push({ text: REMOVING.has(m.change) ? `Every moved key came from ${m.server}; the other servers kept theirs.` : `Every moved key went to ${m.server}; no key moved between the other servers.`, tone: 'good' });
  } else if (m.wrongMoves > 0) {
    out.push({ text: `${keysText(m.wrongMoves)} (${pct(m.wrongMoves / m.total)}) moved between servers that were live before and after: moves nothing forced.`, tone: 'bad' });
  }
  return out;
}

/** modulo against the ring (and whichever scheme balances best), from the comparison's rows. */
export function comparisonStory(c: ComparisonPart): Sentence[] {
  const row = (s: string) => c.rows.find((r) => r.scheme === s);
  const mod = row('modulo');
  const ring = row('ring');
  const out: Sentence[] = [];
  if (mod && ring) {
    out.push({
      text: `Adding a server to ${int(c.servers)}: hash mod N moves ${pct(mod.movedOnAdd)} of the keys, the consistent ring ${pct(ring.movedOnAdd)} (ideal ${pct(ring.idealOnAdd)}).`,
      tone: 'normal',
    });
  }
  const best = [...c.rows].sort((a, b) => a.maxOverMean - b.maxOverMean)[0];
  const worst = [...c.rows].sort((a, b) => b.maxOverMean - a.maxOverMean)[0];
  if (best && worst && best !== worst) {
    out.push({ text: `Most even: ${best.scheme} (max/mean ${dec(best.maxOverMean, 2)}); least even: ${worst.scheme} (${dec(worst.maxOverMean, 2)}).`, tone: 'normal' });
  }
  return out;
}

/** A nudge when a vnode scheme is uneven and more virtual nodes would help. */
export function balanceHint(settings: RingSettingsPart, load: RingLoadPart): string | undefined {
  const info = settings.schemes.find((s) => s.name === settings.scheme);
  if (!info?.usesVnodes || load.total < 1000 || load.maxOverMean <= 1.15 || settings.vnodes >= 160) return undefined;
  return `With ${settings.vnodes} virtual node${settings.vnodes === 1 ? '' : 's'} per server the busiest server holds ${dec(load.maxOverMean, 2)}× its share. More virtual nodes even out the arcs.`;
}

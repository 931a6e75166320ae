/**
 * What the view says in words, from the same parts it draws: the headline (what is happening to
 * this pool now, or what the last preset showed) and the comparisons between presets that make
 * the point (reuse buys throughput; wait_timeout breaks idle connections unless the pool pings or
 * validates them).
 */
import type { PoolView, PresetName, PresetResult } from '../../extension/protocol/pool';
import { dec, int } from '../lib/format';

export type Tone = 'good' | 'warn' | 'bad' | 'normal';

export interface Story {
  tone: Tone;
  headline: string;
  details: string[];
}

type Parts = Pick<PoolView, 'connections' | 'waiters' | 'results' | 'config' | 'server' | 'leaks'>;

export const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;
export const ms = (x: number): string => `${dec(x, x < 10 ? 2 : 0)} ms`;
export const seconds = (x: number): string => (x >= 1000 ? `${dec(x / 1000, 1)} s` : ms(x));

/** How a finished preset went: failures are bad, a fix that held is good. */
export function resultTone(r: PresetResult): Tone {
  if (r.failedQueries > 0 || r.leaksDetected > 0 || r.acquireTimeouts > 0) return 'bad';
  if (r.preset === 'pooled' || r.preset === 'stale-keepalive' || r.preset === 'stale-validate') return 'good';
  return 'normal';
}

/** "Pooled ran 8.4× …", when both throughput presets have run on the same driver. */
export function throughputSentence(by: Partial<Record<PresetName, PresetResult>>): string | undefined {
  const a = by['per-query'];
  const b = by.pooled;
  if (!a || !b || a.driver !== b.driver || a.throughputQps <= 0) return undefined;
  return `Pooled ran ${dec(b.throughputQps / a.throughputQps, 1)}× the queries per second of connect-per-query (${int(b.throughputQps)} vs ${int(a.throughputQps)}), `
    + `p50 ${ms(b.latencyMs.p50)} instead of ${ms(a.latencyMs.p50)}: it opened ${plural(b.connectionsCreated, 'connection')} for ${int(b.queries)} queries, connect-per-query ${int(a.connectionsCreated)}.`;
}

/** What the three stale presets show together, once the plain one has run. */
export function staleSentence(by: Partial<Record<PresetName, PresetResult>>): string | undefined {
  const s = by.stale;
  if (!s) return undefined;
  const fixes = [
    by['stale-keepalive'] && `a keep-alive ping (${plural(by['stale-keepalive'].keepalivePings, 'ping')}) left ${plural(by['stale-keepalive'].failedQueries, 'failed query', 'failed queries')}`,
    by['stale-validate'] && `validation on borrow (${plural(by['stale-validate'].validationFailures, 'dead connection')} caught) left ${plural(by['stale-validate'].failedQueries, 'failed query', 'failed queries')}`,
  ].filter(Boolean);
  const broke = `wait_timeout broke ${int(s.failedQueries)} of ${int(s.queries)} queries with no keep-alive and no validation`;
  return fixes.length ? `${broke}; ${fixes.join(', and ')}.` : `${broke}. Run the keep-alive and validation presets to compare.`;
}

export function storyOf(v: Parts): Story {
  const cells = v.connections.cells;
  // The pool's own connections may run SET SESSION wait_timeout (the stale presets do): that one kills them.
  const sessionWait = /wait_timeout\s*=\s*(\d+)/i.exec(v.config.pool.initSql.join(';'))?.[1];
  const waitS = sessionWait !== undefined ? Number(sessionWait) : v.server.variables?.waitTimeoutS;
  const wait = waitS === undefined ? '' : ` (${plural(waitS, 'second')}${sessionWait !== undefined ? ', from the pool\'s init SQL' : ''})`;
  // The pool believes these open; the server's list says otherwise.
  const gone = cells.filter((c) => c.onServer === false && (c.state === 'idle' || c.state === 'in-use'));
  if (gone.length > 0) {
    const idle = gone.filter((c) => c.state === 'idle');
    const held = gone.filter((c) => c.state === 'in-use');
    const ids = (cs: typeof cells): string => cs.map((c) => `#${c.id}`).join(', ');
    const are = (n: number): string => (n === 1 ? 'was' : 'were');
    return {
      tone: 'bad',
      headline: idle.length
        ? `${plural(idle.length, 'idle connection')} in the pool ${are(idle.length)} already closed by the server (${ids(idle)}).`
        : `${plural(held.length, 'borrowed connection')} ${are(held.length)} closed by the server (${ids(held)}).`,
      details: [
        ...(idle.length ? ['The pool cannot tell until it uses one: the next borrower gets a dead connection and its query fails with PROTOCOL_CONNECTION_LOST.'] : []),
        ...(held.length ? [`${idle.length ? `Borrowed ones too (${ids(held)}): ` : ''}the holder's next query on ${held.length === 1 ? 'it' : 'them'} fails, and the pool discards ${held.length === 1 ? 'it' : 'them'} as broken.`] : []),
        // Idle past wait_timeout: the server's timer did it. Idle less: something else (a KILL, a restart, a proxy).
        waitS !== undefined && idle.some((c) => (c.idleMs ?? 0) < waitS * 1000)
          ? `${idle.length === 1 ? 'It was' : 'Some were'} idle for less than wait_timeout${wait}: something else closed ${idle.length === 1 ? 'it' : 'them'} (a KILL, a restart, a proxy). Validation on borrow catches that before a query fails; a keep-alive ping only at its next ping.`
          : `A keep-alive ping more often than the server's wait_timeout${wait}, or validation on borrow, prevents it for idle connections.`,
      ],
    };
  }
  const queue = v.waiters.queue;
  if (queue.length > 0) {
    const head = queue[0]!;
    return {
      tone: 'warn',
      headline: `${plural(queue.length, 'borrower')} waiting: all ${plural(v.connections.maxSize, 'connection')} of the pool are taken.`,
      details: [`The first in line has waited ${ms(head.waitedMs)}; it gives up in ${ms(Math.max(0, head.timesOutInMs))} unless a connection comes back (acquireTimeout ${ms(v.config.pool.acquireTimeoutMs)}).`],
    };
  }
  const last = v.results.last;
  if (last) {
    const leak = last.preset === 'leak' ? v.leaks[0] : undefined;
    return {
      tone: resultTone(last),
      headline: last.verdict,
      details: leak ? [`Connection #${leak.conn} was held by ${leak.borrower} for ${seconds(leak.heldMs)} when the pool reported it; the stack below shows where it was borrowed.`] : [],
    };
  }
  const idle = cells.filter((c) => c.state === 'idle').length;
  return {
    tone: 'normal',
    headline: `${plural(idle, 'idle connection')} open on ${v.config.driver === 'embedded' ? 'the embedded server' : v.config.target}.`,
    details: ['Run a preset to see what a pool buys and how its connections go bad, or borrow connections by hand.'],
  };
}

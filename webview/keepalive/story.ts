/**
 * What the run shows, in words, read off the view: the headline above the lanes, and each failed
 * attempt measured against the server's idle deadline on its socket. Presentation only: every
 * number here is one the engine observed on the real sockets.
 */
import type { CloseReason, KeepAliveView, LanesPart, PresetId, RunSummary, SocketLane } from '../../extension/protocol/keepalive';
import { dec, int, pct } from '../lib/format';

/** A failed attempt this close to the server's idle deadline was sent into the server's close. */
export const RACE_WINDOW_MS = 50;

export interface FailedAttempt {
  req: number;
  attempt: number;
  socket: number;
  code: string;
  sentAt: number;
  failedAt: number;
  reused: boolean;
  arrived: boolean;
  /** How long the socket sat idle before this request was written on it. */
  idleMs?: number;
  /** The server's idle deadline on this socket, armed after its previous response. */
  deadline?: number;
  /** sentAt − deadline: negative when sent just before the server's timer fired. */
  delta?: number;
  /** The client tried the request again (on another socket). */
  retried: boolean;
  /** Sent on a reused socket within RACE_WINDOW_MS of the server's idle deadline. */
  race: boolean;
}

/** The server's idle timer that was running when `t` came: the latest one armed at or before it. */
export function serverTimerAt(lane: SocketLane, t: number): { at: number; deadline: number } | undefined {
  let found: { at: number; deadline: number } | undefined;
  for (const s of lane.serverIdle) if (s.at <= t && (!found || s.at >= found.at)) found = s;
  return found;
}

export function failedAttempts(lanes: LanesPart): FailedAttempt[] {
  const retried = new Set<number>();
  for (const l of lanes.lanes) for (const b of l.requests) if (b.attempt > 1) retried.add(b.req);
  const out: FailedAttempt[] = [];
  for (const l of lanes.lanes) {
    l.requests.forEach((b, i) => {
      if (b.error === undefined) return;
      const prevEnd = i > 0 ? l.requests[i - 1]!.end : undefined;
      const timer = b.reused ? serverTimerAt(l, b.start) : undefined;
      const delta = timer ? b.start - timer.deadline : undefined;
      out.push({
        req: b.req, attempt: b.attempt, socket: l.socket, code: b.error, sentAt: b.start, failedAt: b.end ?? b.start,
        reused: b.reused, arrived: b.arrived,
        ...(prevEnd !== undefined ? { idleMs: b.start - prevEnd } : {}),
        ...(timer ? { deadline: timer.deadline, delta } : {}),
        retried: b.attempt === 1 && retried.has(b.req),
        race: b.reused && delta !== undefined && Math.abs(delta) <= RACE_WINDOW_MS,
      });
    });
  }
  return out.sort((a, b) => a.sentAt - b.sentAt);
}

/** The time window that shows a failure whole: the server's deadline, the send, the failure, a little around them. */
export function failureWindow(f: FailedAttempt): [number, number] {
  const from = Math.min(f.sentAt, f.deadline ?? f.sentAt);
  const to = Math.max(f.failedAt, f.deadline ?? f.failedAt);
  const pad = Math.max(4, (to - from) * 0.6);
  return [Math.max(0, from - pad), to + pad];
}

export const CLOSE_TEXT: Record<CloseReason, string> = {
  'server-idle-timeout': 'idle timeout',
  'server-connection-close': 'Connection: close',
  'server-headers-timeout': 'headers timeout',
  'client-idle-timeout': 'idle timeout',
  'client-not-kept': 'not kept (pool full)',
  'client-no-keepalive': 'Connection: close',
  error: 'error',
  'peer-closed': 'peer closed',
  'run-ended': 'run ended',
};

export const PRESET_TITLE: Record<PresetId | 'custom', string> = {
  'no-keepalive': 'No keep-alive',
  keepalive: 'Keep-alive',
  queueing: 'maxSockets queueing',
  race: 'Idle-timeout race',
  'race-fixed': 'Race fixed',
  custom: 'Custom',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;
const ms = (n: number): string => `${dec(n, n < 10 ? 2 : 1)} ms`;
const codes = (m: Record<string, number>): string => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${int(n)}× ${c}`).join(', ');

export interface Story {
  tone: 'good' | 'bad' | 'warn' | 'normal';
  headline: string;
  details: string[];
}

/** The run at the cursor in two or three sentences: what the sockets did and why requests failed or did not. */
export function storyOf(v: Pick<KeepAliveView, 'run' | 'counters' | 'lanes' | 'config'>): Story {
  const { run, counters: c, lanes } = v;
  if (run.status === 'none') {
    return { tone: 'normal', headline: 'No experiment yet. Run a preset: each starts a real node:http server on 127.0.0.1 and sends real requests to it.', details: [] };
  }
  const details: string[] = [];
  const settings = v.config.settings;
  const failures = failedAttempts(lanes);
  const races = failures.filter((f) => f.race);

  // Sockets: how many, and what reuse bought.
  if (c.requests > 0) {
    if (c.socketsOpened >= c.requests && c.reuseRatio === 0) {
      const connect = lanes.lanes.length ? lanes.lanes.reduce((s, l) => s + l.connectMs, 0) / lanes.lanes.length : 0;
      details.push(`${plural(c.requests, 'request')} opened ${plural(c.socketsOpened, 'socket')}: every request paid for its own TCP connect (${ms(connect)} on average) and the socket was closed after it.`);
    } else {
      details.push(`${plural(c.requests, 'request')} over ${plural(c.socketsOpened, 'socket')}: ${pct(c.reuseRatio, 0)} of sends went out on a socket that was already open.`);
    }
  }
  if (c.meanWaitMs >= 1 && settings.workload.pattern === 'concurrent') {
    details.push(`Requests waited ${ms(c.meanWaitMs)} on average to get one of maxSockets ${settings.client.maxSockets} sockets (the client's queue).`);
  }
  const clientIdleCloses = c.closesByCause['client:client-idle-timeout'] ?? 0;
  if (clientIdleCloses > 0 && (c.closesByCause['server:server-idle-timeout'] ?? 0) === 0) {
    const margins = lanes.lanes
      .filter((l) => l.closeReason === 'client-idle-timeout' && l.closedAt !== undefined)
      .map((l) => { const t = serverTimerAt(l, l.closedAt!); return t ? t.deadline - l.closedAt! : undefined; })
      .filter((m): m is number => m !== undefined);
    const margin = margins.length ? Math.min(...margins) : undefined;
    details.push(`The client closed ${plural(clientIdleCloses, 'idle socket')} itself${margin !== undefined && margin > 0 ? `, at least ${ms(margin)} before the server's idle timer would have` : ''}: no request could be sent into a server's close.`);
  }
  if (c.retries > 0) details.push(`${plural(c.retries, 'request')} failed on a reused socket and ${c.retries === 1 ? 'was' : 'were'} retried on a new one (${codes(c.attemptErrorsByCode)} on the wire).`);

  if (run.status === 'running') {
    return { tone: 'normal', headline: `Running ${PRESET_TITLE[run.preset]}: ${int(Math.round(run.fraction * settings.workload.requests))} of ${int(settings.workload.requests)} requests done, ${plural(c.failed, 'error')} so far.`, details };
  }
  if (run.status === 'failed') return { tone: 'bad', headline: `The experiment failed: ${run.message ?? 'no reason was given'}.`, details };
  const stopped = run.status === 'cancelled' ? 'Cancelled. ' : '';
  if (c.failed > 0) {
    const worst = Math.max(...races.map((r) => Math.abs(r.delta!)));
    const who = races.length === failures.length ? (races.length === 1 ? 'It was' : `All ${int(races.length)} were`) : `${int(races.length)} of them were`;
    const raceText = races.length > 0
      ? ` ${who} written on a reused socket within ${ms(worst)} of the server's idle deadline on it${races.every((r) => !r.arrived) ? ' and never reached the server' : ''}: the server was closing the socket as the request went out (the keep-alive race).`
      : '';
    return { tone: 'bad', headline: `${stopped}${plural(c.failed, 'request')} failed (${codes(c.errorsByCode)}).${raceText}`, details };
  }
  if (run.preset === 'race' && run.status === 'finished') {
    // The race is a matter of a millisecond or so; say why it can miss rather than let "no error" read as "no race".
    details.push(settings.client.kind === 'undici'
      ? 'This time no request met the server\'s close. undici\'s Pool seldom does: it gives an idle socket a turn of the event loop to show it is still open before reusing it.'
      : 'This time no request met the server\'s close: it has to be written within a millisecond or so of the server\'s idle timer firing. Run it again; it usually shows within a run or two.');
  }
  return {
    tone: c.retries > 0 ? 'warn' : 'good',
    headline: `${stopped}No request failed: ${int(c.succeeded)} of ${int(c.requests)} answered, p50 ${ms(c.latencyMs.p50)}, p99 ${ms(c.latencyMs.p99)}.`,
    details,
  };
}

/** The newest finished run of a preset with this client. */
function latest(runs: readonly RunSummary[], preset: PresetId, client: RunSummary['client']): RunSummary | undefined {
  return [...runs].reverse().find((r) => r.preset === preset && r.client === client && r.status === 'finished');
}

/**
 * What the comparison shows, from pairs of presets that differ in one thing: keep-alive against
 * none (same sequential workload), and the race against its fix (same server and timing).
 */
export function comparisonVerdicts(runs: readonly RunSummary[]): string[] {
  const out: string[] = [];
  const newest = runs[runs.length - 1];
  if (!newest) return out;
  const client = newest.client;
  const on = latest(runs, 'keepalive', client);
  const off = latest(runs, 'no-keepalive', client);
  if (on && off && on.counters.latencyMs.count > 0 && off.counters.latencyMs.count > 0) {
    const l = (r: RunSummary): number => r.counters.latencyMs.p50;
    const ratio = l(off) / Math.max(1e-3, l(on));
    out.push(`Keep-alive (run #${on.run}): p50 ${ms(l(on))} on ${plural(on.counters.socketsOpened, 'socket')}; without (run #${off.run}): p50 ${ms(l(off))} on ${plural(off.counters.socketsOpened, 'socket')}. ${ratio >= 1 ? `${dec(ratio, 1)}× faster with keep-alive.` : `${dec(1 / ratio, 1)}× slower with keep-alive on this run.`}`);
  }
  const race = latest(runs, 'race', client);
  const fixed = latest(runs, 'race-fixed', client);
  if (race && fixed) {
    out.push(`The race (run #${race.run}): ${plural(race.counters.failed, 'failed request')}; fixed (run #${fixed.run}): ${plural(fixed.counters.failed, 'failed request')}${fixed.counters.retries ? `, ${int(fixed.counters.retries)} retried` : ''}, same server and timing.`);
  }
  return out;
}

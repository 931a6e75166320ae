/**
 * Drives a client the way the settings say: one request after another, many at once, bursts, or
 * "idle-edge" lanes whose requests land when the server's idle timer fires. Each request is issued,
 * sent (retried once if the settings allow and the failure is the keep-alive race), and recorded.
 */
import type { KeepAliveSettings } from '../../protocol/keepalive';
import type { AttemptResult, HttpClient, SettledAttempt } from './httpClient';
import type { InstrumentedServer } from './instrumentedServer';
import type { RunRecorder } from './recorder';
import type { SocketTracker } from './socketTracker';

export interface WorkloadContext {
  settings: KeepAliveSettings;
  rec: RunRecorder;
  tracker: SocketTracker;
  server: InstrumentedServer;
  /** Aborted on cancel: no new request is issued and every wait ends at once. */
  signal: AbortSignal;
  /** A new client (agent or pool) with the settings under test. */
  newClient(): HttpClient;
  /** Called with the number of requests finished so far. */
  progress(finished: number): void;
}

/** Failures that mean "the socket was closed under a reused connection": the keep-alive race. */
const RACE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export async function runWorkload(ctx: WorkloadContext): Promise<void> {
  const w = ctx.settings.workload;
  const ids = new RequestNumbers(w.requests, ctx.signal);
  let finished = 0;
  const perform = async (client: HttpClient, req: number): Promise<void> => {
    await performRequest(ctx, client, req);
    ctx.progress(++finished);
  };

  if (w.pattern === 'idle-edge') {
    let attempt = 0;
    const nextOffset = (): number => w.edgeOffsetsMs[attempt++ % w.edgeOffsetsMs.length]!;
    // Each lane gets its share up front, so no lane waits out an idle gap for a request another lane took.
    const lanes = Math.min(w.concurrency, w.requests);
    const share = (i: number): number => Math.floor(w.requests / lanes) + (i < w.requests % lanes ? 1 : 0);
    await Promise.all(Array.from({ length: lanes }, (_, i) => edgeLane(ctx, ctx.newClient(), ids, share(i), nextOffset, perform)));
    return;
  }

  const client = ctx.newClient();
  switch (w.pattern) {
    case 'sequential':
      for (let req = ids.next(); req !== undefined; req = ids.next()) {
        await perform(client, req);
        if (w.gapMs > 0 && ids.remaining > 0) await pause(w.gapMs, ctx.signal);
      }
      return;
    case 'concurrent':
      await Promise.all(Array.from({ length: Math.min(w.concurrency, w.requests) }, async () => {
        for (let req = ids.next(); req !== undefined; req = ids.next()) await perform(client, req);
      }));
      return;
    case 'bursts':
      while (ids.remaining > 0 && !ctx.signal.aborted) {
        const burst: number[] = [];
        for (let req = ids.next(); req !== undefined; req = burst.length < w.burstSize ? ids.next() : undefined) burst.push(req);
        await Promise.all(burst.map((req) => perform(client, req)));
        if (w.gapMs > 0 && ids.remaining > 0) await pause(w.gapMs, ctx.signal);
      }
      return;
  }
}

/**
 * One independent client: a burst of back-to-back requests, then the next request timed to the
 * server's idle timer on the socket the burst used. The timer for the next request is set inside
 * the server's own 'finish' handler, right after Node armed the socket's idle timer: with offset 0
 * both timers have the same length and fire in the same turn, server first. That is the race.
 */
async function edgeLane(
  ctx: WorkloadContext,
  client: HttpClient,
  ids: RequestNumbers,
  share: number,
  nextOffset: () => number,
  perform: (client: HttpClient, req: number) => Promise<void>,
): Promise<void> {
  const { burstSize } = ctx.settings.workload;
  for (let left = share; ;) {
    for (let b = 0; b < burstSize; b++) {
      const req = left > 0 ? ids.next() : undefined;
      if (req === undefined) return;
      left--;
      if (b < burstSize - 1 || left === 0) {
        await perform(client, req);
        continue;
      }
      const offset = nextOffset();
      let timer: NodeJS.Timeout | undefined;
      let fired = false;
      let wake: (() => void) | undefined;
      ctx.server.onIdleArmed(req, (timeoutMs) => {
        timer = setTimeout(() => { fired = true; wake?.(); }, Math.max(0, timeoutMs + offset));
      });
      await perform(client, req);
      ctx.server.forgetIdleWatch(req);
      // No idle timer (keep-alive off, the request failed, keepAliveTimeout 0): nothing to aim at.
      if (timer === undefined) continue;
      await until(ctx.signal, (w) => {
        if (fired) w();
        else wake = w;
        return () => clearTimeout(timer);
      });
    }
  }
}

async function performRequest(ctx: WorkloadContext, client: HttpClient, req: number): Promise<void> {
  ctx.rec.emit({ e: 'issue', at: ctx.rec.now(), req });
  for (let attempt = 1; ; attempt++) if (!(await client.send(req, attempt)).retry) return;
}

/**
 * Records how an attempt ended and decides whether to send the request again. Node's documented
 * rule: only a request on a reused socket can have met the race, and only an idempotent one may
 * be sent again.
 */
export function settleAttempt(
  ctx: Pick<WorkloadContext, 'settings' | 'rec' | 'tracker' | 'signal'>,
  req: number,
  attempt: number,
  result: AttemptResult,
): SettledAttempt {
  const { rec, tracker, settings, signal } = ctx;
  const where = tracker.sendOf(req);
  tracker.settled(req);
  const socket = where?.socket ?? 0;
  if (result.ok) {
    rec.emit({ e: 'response', at: rec.now(), req, socket, status: result.status, attempt });
    return { ...result, retry: false };
  }
  const retry = attempt === 1 && settings.client.retryIdempotent && IDEMPOTENT.has(settings.workload.method)
    && where?.reused === true && RACE_CODES.has(result.code) && !signal.aborted;
  rec.emit({ e: 'error', at: rec.now(), req, socket, attempt, code: result.code, message: result.message.slice(0, 500), retry });
  return { ...result, retry };
}

/** Hands out request numbers 1…n, and none once the run is cancelled. */
class RequestNumbers {
  private issued = 0;
  constructor(private readonly total: number, private readonly signal: AbortSignal) {}
  next(): number | undefined {
    if (this.signal.aborted || this.issued >= this.total) return undefined;
    return ++this.issued;
  }
  get remaining(): number {
    return this.signal.aborted ? 0 : this.total - this.issued;
  }
}

/** Waits until `arm`'s wake is called or the signal aborts; the returned disarm runs either way. */
function until(signal: AbortSignal, arm: (wake: () => void) => () => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let disarm = (): void => {};
    let woken = false;
    const wake = (): void => {
      if (woken) return;
      woken = true;
      signal.removeEventListener('abort', wake);
      disarm();
      resolve();
    };
    signal.addEventListener('abort', wake, { once: true });
    disarm = arm(wake);
    if (woken) disarm();
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return until(signal, (wake) => {
    const t = setTimeout(wake, ms);
    return () => clearTimeout(t);
  });
}

/**
 * One experiment from start to finish: start the server, build the client(s), run the workload,
 * then close every client socket, the server and every timer, whatever happened (finished,
 * cancelled, failed), and only then record the run's end.
 */
import { setMaxListeners } from 'node:events';
import type { KeepAliveSettings } from '../../protocol/keepalive';
import { KEEPALIVE_LIMITS } from '../../protocol/keepalive';
import { systemClock } from '../core/clock';
import type { Clock } from '../core/clock';
import { UserError } from '../core/model';
import type { RunEvent } from './events';
import type { ClientContext, HttpClient } from './httpClient';
import { InstrumentedServer } from './instrumentedServer';
import { NodeHttpClient } from './nodeClient';
import { RunRecorder } from './recorder';
import { SocketTracker } from './socketTracker';
import { UndiciHttpClient } from './undiciClient';
import { runWorkload, settleAttempt } from './workload';

export interface RunHooks {
  /** Receives every event as it happens. */
  emit(e: RunEvent): void;
  /** Polled while the run goes on; true stops it. */
  cancelled(): boolean;
  progress(fraction: number, message: string): void;
}

/** How long an attempt may wait for its response beyond the server's own delay. */
const ATTEMPT_SLACK_MS = 30_000;
/** How long closing may take before stragglers are destroyed. */
const CLOSE_GRACE_MS = 2_000;

export async function runExperiment(settings: KeepAliveSettings, hooks: RunHooks, clock: Clock = systemClock): Promise<void> {
  assertRunFits(settings);
  const rec = new RunRecorder(clock, hooks.emit);
  const tracker = new SocketTracker(rec);
  let server: InstrumentedServer;
  try {
    server = await InstrumentedServer.start(settings.server, tracker, rec);
  } catch (e) {
    rec.finish('failed', (e as Error).message);
    throw e;
  }

  const stop = new AbortController();
  // Every request in flight listens for the abort; hundreds at once are expected, not a leak.
  setMaxListeners(0, stop.signal);
  let stopped: 'cancelled' | 'time limit' | undefined;
  const poll = setInterval(() => {
    if (!stopped && hooks.cancelled()) { stopped = 'cancelled'; stop.abort(); }
  }, 20);
  const limit = setTimeout(() => { stopped ??= 'time limit'; stop.abort(); }, KEEPALIVE_LIMITS.maxRunMs);
  const clients: HttpClient[] = [];
  const cctx: ClientContext = {
    settings: settings.client,
    method: settings.workload.method,
    port: server.port,
    tracker,
    rec,
    signal: stop.signal,
    attemptTimeoutMs: settings.server.responseDelayMs + ATTEMPT_SLACK_MS,
    settle: (req, attempt, result) => settleAttempt({ settings, rec, tracker, signal: stop.signal }, req, attempt, result),
  };
  // On cancel, destroying the clients fails whatever is queued or in flight at once, as CANCELLED.
  stop.signal.addEventListener('abort', () => { for (const c of clients) void c.close(); }, { once: true });
  const total = settings.workload.requests;
  let failure: unknown;
  try {
    await runWorkload({
      settings,
      rec,
      tracker,
      server,
      signal: stop.signal,
      newClient() {
        const c = settings.client.kind === 'node' ? new NodeHttpClient(cctx) : new UndiciHttpClient(cctx);
        clients.push(c);
        return c;
      },
      progress: (finished) => hooks.progress(finished / total, `${finished} of ${total} requests`),
    });
  } catch (e) {
    failure = e;
  } finally {
    clearInterval(poll);
    clearTimeout(limit);
    tracker.endRun();
    await Promise.allSettled(clients.map((c) => c.close()));
    await server.close();
    await tracker.allClosed(CLOSE_GRACE_MS);
  }
  if (failure !== undefined) {
    rec.finish('failed', failure instanceof Error ? failure.message : String(failure));
    throw failure;
  }
  if (stopped === 'cancelled') rec.finish('cancelled', 'stopped on request; everything it opened is closed');
  else if (stopped) rec.finish('failed', `stopped after the ${KEEPALIVE_LIMITS.maxRunMs / 60_000} min limit`);
  else rec.finish('finished');
}

/** Refuses a run whose own settings make it last longer than the limit, before anything starts. */
export function assertRunFits(s: KeepAliveSettings): void {
  const w = s.workload;
  const delay = s.server.responseDelayMs;
  // Node arms the idle timer at keepAliveTimeout plus about a second; that is what idle-edge waits for.
  const idleWait = s.server.keepAliveTimeoutMs > 0 ? s.server.keepAliveTimeoutMs + 1_000 : 0;
  const rounds = (per: number): number => Math.ceil(w.requests / per);
  const estimate =
    w.pattern === 'sequential' ? w.requests * (delay + w.gapMs)
    : w.pattern === 'concurrent' ? rounds(Math.min(w.concurrency, s.client.maxSockets * s.client.pipelining)) * delay
    : w.pattern === 'bursts' ? rounds(w.burstSize) * (delay + w.gapMs)
    : rounds(w.concurrency * w.burstSize) * (idleWait + delay * w.burstSize);
  if (estimate > KEEPALIVE_LIMITS.maxEstimatedRunMs) {
    const min = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;
    throw new UserError(`This run would take about ${min(estimate)} (${w.requests} requests, ${w.pattern}), more than the ${min(KEEPALIVE_LIMITS.maxEstimatedRunMs)} an experiment may take. Lower the request count, the gaps or the server's delay and timeouts.`);
  }
}

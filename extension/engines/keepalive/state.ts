/**
 * The keep-alive inspector's state, folded from recorded events: the current settings, the run at
 * the cursor in full (every socket lane and request), and the counters of the runs before it for
 * comparison. Folding is all seek does; nothing here touches the network.
 */
import type {
  ClientKind, KeepAliveCounters, KeepAliveSettings, PresetId, RequestBox, RunStatus, RunSummary, SocketLane,
} from '../../protocol/keepalive';
import { KEEPALIVE_LIMITS } from '../../protocol/keepalive';
import type { KeepAliveEvent } from './events';
import { latencyPercentiles } from './latency';
import { roundMs } from './recorder';

export interface LaneState extends SocketLane {
  inFlight: number;
}

export interface RequestState {
  req: number;
  issuedAt: number;
  firstSendAt?: number;
  endAt?: number;
  status?: number;
  /** Final error code (after any retry). */
  error?: string;
  /** Socket and box index of the latest attempt (socket 0: none yet). */
  socket: number;
  box: number;
}

export interface RunState {
  run: number;
  preset: PresetId | 'custom';
  settings: KeepAliveSettings;
  status: RunStatus;
  message?: string;
  /** Latest event time: the run's elapsed ms at the cursor. */
  now: number;
  /** Indexed by socket - 1. */
  lanes: LaneState[];
  /** Indexed by request - 1. */
  reqs: RequestState[];
  finished: number;
  attempts: number;
  reusedAttempts: number;
  retries: number;
  attemptErrors: Record<string, number>;
  closes: Record<string, number>;
  socketsOpened: number;
  serverConnections: number;
  observedServerIdleMs?: number;
}

export interface KeepAliveState {
  settings: KeepAliveSettings;
  preset: PresetId | 'custom';
  /** Runs started so far (the next run's number is this + 1). */
  runs: number;
  current?: RunState;
  history: RunSummary[];
}

export function initialState(settings: KeepAliveSettings): KeepAliveState {
  return { settings, preset: 'custom', runs: 0, history: [] };
}

function lane(run: RunState, socket: number): LaneState | undefined {
  if (socket < 1) return undefined;
  return (run.lanes[socket - 1] ??= {
    socket, port: 0, openedAt: run.now, connectMs: 0, requests: [], requestsHidden: 0, idle: [], serverIdle: [], inFlight: 0,
  });
}

function endIdle(l: LaneState, at: number): void {
  const last = l.idle[l.idle.length - 1];
  if (last && last.to === undefined) last.to = at;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** The box of `req`'s latest attempt, if it went out on `socket`. */
function boxOf(run: RunState, req: number, socket: number): { r: RequestState; l: LaneState; box: RequestBox } | undefined {
  const r = run.reqs[req - 1];
  const l = r && socket > 0 && r.socket === socket ? run.lanes[socket - 1] : undefined;
  const box = l?.requests[r!.box];
  return box && { r: r!, l: l!, box };
}

/** Applies one recorded event to the state, in place. */
export function applyEvent(state: KeepAliveState, ev: KeepAliveEvent): void {
  if (ev.e === 'settings') {
    state.settings = ev.settings;
    state.preset = 'custom';
    return;
  }
  if (ev.e === 'run') {
    state.runs = ev.run;
    state.settings = ev.settings;
    state.preset = ev.preset;
    state.current = {
      run: ev.run, preset: ev.preset, settings: ev.settings, status: 'running', now: 0, lanes: [], reqs: [], finished: 0,
      attempts: 0, reusedAttempts: 0, retries: 0, attemptErrors: {}, closes: {}, socketsOpened: 0, serverConnections: 0,
    };
    return;
  }
  const run = state.current;
  if (!run || run.status !== 'running') return;
  run.now = Math.max(run.now, ev.at);
  switch (ev.e) {
    case 'issue':
      run.reqs[ev.req - 1] = { req: ev.req, issuedAt: ev.at, socket: 0, box: -1 };
      return;
    case 'accept':
      run.serverConnections++;
      return;
    case 'open': {
      const l = lane(run, ev.socket)!;
      l.port = ev.port;
      l.connectMs = ev.connectMs;
      l.openedAt = Math.max(0, roundMs(ev.at - ev.connectMs));
      run.socketsOpened++;
      return;
    }
    case 'send': {
      const l = lane(run, ev.socket);
      const r = run.reqs[ev.req - 1];
      if (!l || !r) return;
      endIdle(l, ev.at);
      delete l.clientIdle;
      l.requests.push({ req: ev.req, issuedAt: r.issuedAt, start: ev.at, reused: ev.reused, attempt: ev.attempt, arrived: false });
      l.inFlight++;
      r.firstSendAt ??= ev.at;
      r.socket = ev.socket;
      r.box = l.requests.length - 1;
      run.attempts++;
      if (ev.reused) run.reusedAttempts++;
      return;
    }
    case 'arrive': {
      const r = run.reqs[ev.req - 1];
      const found = r && boxOf(run, ev.req, r.socket);
      if (found) found.box.arrived = true;
      return;
    }
    case 'serverIdle': {
      const l = lane(run, ev.socket);
      l?.serverIdle.push({ at: ev.at, deadline: roundMs(ev.at + ev.timeoutMs) });
      run.observedServerIdleMs = ev.timeoutMs;
      return;
    }
    case 'clientIdle': {
      const l = lane(run, ev.socket);
      if (l) l.clientIdle = { at: ev.at, deadline: roundMs(ev.at + ev.timeoutMs), fromHint: ev.fromHint };
      return;
    }
    case 'response': {
      const found = boxOf(run, ev.req, ev.socket);
      if (found) {
        found.box.end = ev.at;
        found.box.status = ev.status;
        if (--found.l.inFlight === 0 && found.l.closedAt === undefined) found.l.idle.push({ from: ev.at });
      }
      const r = run.reqs[ev.req - 1];
      if (r) {
        r.endAt = ev.at;
        r.status = ev.status;
        run.finished++;
      }
      return;
    }
    case 'error': {
      const found = boxOf(run, ev.req, ev.socket);
      if (found) {
        found.box.end = ev.at;
        found.box.error = ev.code;
        found.l.inFlight = Math.max(0, found.l.inFlight - 1);
      }
      count(run.attemptErrors, ev.code);
      const r = run.reqs[ev.req - 1];
      if (ev.retry) run.retries++;
      else if (r) {
        r.endAt = ev.at;
        r.error = ev.code;
        run.finished++;
      }
      return;
    }
    case 'close': {
      const l = lane(run, ev.socket);
      if (!l) return;
      endIdle(l, ev.at);
      delete l.clientIdle;
      l.closedAt = ev.at;
      l.closedBy = ev.by;
      l.closeReason = ev.reason;
      if (ev.detail !== undefined) l.closeDetail = ev.detail;
      count(run.closes, `${ev.by}:${ev.reason}`);
      return;
    }
    case 'end': {
      run.status = ev.outcome;
      if (ev.message !== undefined) run.message = ev.message;
      state.history = [...state.history, summarize(run)].slice(-KEEPALIVE_LIMITS.maxRunsCompared);
      return;
    }
  }
}

function summarize(run: RunState): RunSummary {
  const client: ClientKind = run.settings.client.kind;
  return { run: run.run, preset: run.preset, client, keepAlive: run.settings.client.keepAlive, status: run.status, counters: countersOf(run) };
}

export function countersOf(run: RunState | undefined): KeepAliveCounters {
  const latencies: number[] = [];
  const errorsByCode: Record<string, number> = {};
  let succeeded = 0;
  let failed = 0;
  let waitSum = 0;
  let waits = 0;
  let requests = 0;
  for (const r of run?.reqs ?? []) {
    if (!r) continue;
    requests++;
    if (r.firstSendAt !== undefined) { waitSum += r.firstSendAt - r.issuedAt; waits++; }
    if (r.endAt === undefined) continue;
    if (r.error !== undefined) { failed++; count(errorsByCode, r.error); }
    else { succeeded++; latencies.push(r.endAt - r.issuedAt); }
  }
  const durationMs = run?.now ?? 0;
  return {
    requests,
    succeeded,
    failed,
    retries: run?.retries ?? 0,
    socketsOpened: run?.socketsOpened ?? 0,
    serverConnections: run?.serverConnections ?? 0,
    reuseRatio: run && run.attempts > 0 ? roundMs(run.reusedAttempts / run.attempts) : 0,
    errorsByCode,
    attemptErrorsByCode: { ...(run?.attemptErrors ?? {}) },
    closesByCause: { ...(run?.closes ?? {}) },
    meanWaitMs: waits > 0 ? roundMs(waitSum / waits) : 0,
    latencyMs: latencyPercentiles(latencies),
    durationMs: roundMs(durationMs),
    requestsPerSecond: durationMs > 0 ? roundMs(((succeeded + failed) * 1000) / durationMs) : 0,
  };
}

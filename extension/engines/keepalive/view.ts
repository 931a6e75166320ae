/**
 * Renders the folded state as the view's parts (see extension/protocol/keepalive.ts for what each
 * part means). Lanes and boxes are capped so a 5,000-request run still sends a small view; every
 * cap reports what it left out.
 */
import type { Metric } from '../core/model';
import type { TimelineView } from '../core/model';
import type { KeepAliveView, LanesPart, RunPart, SocketLane } from '../../protocol/keepalive';
import { KEEPALIVE_LIMITS } from '../../protocol/keepalive';
import { presetInfos } from './presets';
import type { KeepAliveState, LaneState, RunState } from './state';
import { countersOf } from './state';

export function buildView(state: KeepAliveState, timeline: TimelineView): KeepAliveView {
  const run = state.current;
  const counters = countersOf(run);
  const errors = counters.failed;
  const metrics: Metric[] = [
    { label: 'sockets opened', value: String(counters.socketsOpened), hint: 'TCP connections the client opened in this run' },
    { label: 'reuse', value: `${Math.round(counters.reuseRatio * 100)}%`, tone: counters.reuseRatio > 0.5 ? 'good' : 'normal', hint: 'request attempts sent on a socket that had carried a request before' },
    { label: 'errors', value: String(errors), tone: errors > 0 ? 'bad' : 'normal', hint: 'requests that failed after any retry' },
    { label: 'p50', value: `${counters.latencyMs.p50.toFixed(2)} ms`, hint: 'median latency of successful requests' },
    { label: 'p99', value: `${counters.latencyMs.p99.toFixed(2)} ms`, hint: '99th percentile latency of successful requests' },
  ];
  if (counters.retries > 0) metrics.push({ label: 'retries', value: String(counters.retries), tone: 'warn', hint: 'idempotent requests sent again after the keep-alive race' });
  return {
    summary: {
      title: 'HTTP keep-alive',
      subtitle: run ? `run #${run.run} · ${run.preset} · ${run.settings.client.kind} · ${run.status}` : 'no run yet: pick a preset and run it',
      metrics,
    },
    timeline,
    config: {
      settings: state.settings,
      preset: state.preset,
      presets: presetInfos,
      ...(run?.observedServerIdleMs !== undefined ? { observedServerIdleMs: run.observedServerIdleMs } : {}),
    },
    run: runPart(run),
    counters,
    lanes: lanesPart(run),
    comparison: state.history,
  };
}

function runPart(run: RunState | undefined): RunPart {
  if (!run) return { run: 0, preset: 'custom', status: 'none', elapsedMs: 0, fraction: 0 };
  return {
    run: run.run,
    preset: run.preset,
    status: run.status,
    elapsedMs: run.now,
    fraction: run.finished / run.settings.workload.requests,
    ...(run.message !== undefined ? { message: run.message } : {}),
  };
}

/**
 * At most maxLanesInView lanes: the newest, but lanes whose requests failed are kept first (they
 * are what the user came to see). Each lane keeps its latest maxRequestsPerLane boxes.
 */
function lanesPart(run: RunState | undefined): LanesPart {
  const all = (run?.lanes ?? []).filter((l): l is LaneState => l !== undefined);
  const cap = KEEPALIVE_LIMITS.maxLanesInView;
  let chosen = all;
  if (all.length > cap) {
    const failed = all.filter((l) => l.requests.some((b) => b.error !== undefined)).slice(-Math.floor(cap / 2));
    const keep = new Set(failed);
    for (let i = all.length - 1; i >= 0 && keep.size < cap; i--) keep.add(all[i]!);
    chosen = all.filter((l) => keep.has(l));
  }
  return { spanMs: run?.now ?? 0, lanes: chosen.map(laneView), total: all.length, hidden: all.length - chosen.length };
}

function laneView(l: LaneState): SocketLane {
  const max = KEEPALIVE_LIMITS.maxRequestsPerLane;
  const { inFlight: _inFlight, ...lane } = l;
  return {
    ...lane,
    requests: l.requests.slice(-max),
    requestsHidden: Math.max(0, l.requests.length - max),
    idle: l.idle.slice(-max),
    serverIdle: l.serverIdle.slice(-max),
  };
}

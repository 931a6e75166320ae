/**
 * HTTP keep-alive measured on the keep-alive engine: real requests between a node:http server and
 * the code's kind of client (node's Agent or undici) on loopback. Always: the same requests with
 * and without keep-alive (sockets opened, median latency). When the client may keep idle sockets
 * longer than the server does: the engine's idle-timeout race, and the same race with the fixes.
 */
import { noRunContext } from '../../engines/core/model';
import { KeepAliveModel, keepAliveFactory, presetSettings } from '../../engines/keepalive';
import type { ClientKind, KeepAliveCounters, PresetId } from '../../protocol/keepalive';
import type { HttpKeepAliveParams } from '../finding';
import { count, type Measured, type Measurement, millis } from './measurement';

const REQUESTS = 50;
const RACE_REQUESTS = 16;
const RACE_RISKS = new Set(['client-idle-outlives-server', 'check-server-idle-timeout']);

async function runPreset(preset: PresetId, client: ClientKind, requests: number): Promise<KeepAliveCounters> {
  const model = keepAliveFactory.create(presetSettings(preset, client)) as KeepAliveModel;
  try {
    await model.dispatch({ type: 'run', preset, client, requests }, noRunContext);
    return model.view().counters;
  } finally {
    await model.dispose?.();
  }
}

export async function measureHttpKeepAlive(p: HttpKeepAliveParams, realTime: boolean, riskIds: readonly string[] = []): Promise<Measured> {
  if (!realTime) return { measurements: [], missing: ['Real-time experiments were not requested, so nothing ran on sockets.'] };
  const missing: string[] = [];
  const client: ClientKind = /undici/.test(p.library) ? 'undici' : 'node';
  if (!/node|undici|agentkeepalive/.test(p.library)) missing.push(`The engine runs node:http and undici clients; ${p.library}'s behaviour was approximated with node's Agent.`);
  const method = `${REQUESTS} sequential GETs on loopback, ${client === 'node' ? "node's Agent" : 'undici Pool'}, node:http server`;
  const on = await runPreset('keepalive', client, REQUESTS);
  const off = await runPreset('no-keepalive', client, REQUESTS);
  const m = (id: string, label: string, value: number, display: string, how = method): Measurement => ({ id, label, value, display, engine: 'keepalive', method: how });
  const measurements = [
    m('sockets-keepalive', 'sockets opened with keep-alive', on.socketsOpened, count(on.socketsOpened)),
    m('sockets-no-keepalive', 'sockets opened without', off.socketsOpened, count(off.socketsOpened)),
    m('p50-keepalive', 'median latency with keep-alive', on.latencyMs.p50, millis(on.latencyMs.p50)),
    m('p50-no-keepalive', 'median latency without', off.latencyMs.p50, millis(off.latencyMs.p50)),
  ];
  if (riskIds.some((r) => RACE_RISKS.has(r))) {
    const raceMethod = `${RACE_REQUESTS} requests aimed at the server's idle close (server idle 2 s, scaled down from the code's timeouts)`;
    const race = await runPreset('race', client, RACE_REQUESTS);
    const fixed = await runPreset('race-fixed', client, RACE_REQUESTS);
    measurements.push(m('race-errors', 'requests failed by the idle-timeout race', race.failed, count(race.failed), raceMethod));
    measurements.push(m('race-fixed-errors', 'the same with the client idle timeout below the server\'s and idempotent retries', fixed.failed, count(fixed.failed), raceMethod));
  }
  return { measurements, missing };
}

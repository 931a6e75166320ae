import type { HttpKeepAliveParams } from '../finding';
import { find, type Measured, millis } from '../measure/measurement';
import type { Description } from './description';

export function describeHttpKeepAlive(p: HttpKeepAliveParams, m: Measured): Description {
  const parts: string[] = [];
  if (p.keepAlive === false) parts.push('keep-alive off');
  if (p.clientIdleTimeoutMs !== null) parts.push(`idle sockets closed by the client after ${millis(p.clientIdleTimeoutMs)}`);
  if (p.serverKeepAliveTimeoutMs !== null) parts.push(`the server closing idle connections after ${millis(p.serverKeepAliveTimeoutMs)}`);
  if (p.maxSockets !== null) parts.push(`at most ${p.maxSockets} connections per host`);
  if (p.maxIdle !== null) parts.push(`${p.maxIdle} idle kept`);
  let summary = `HTTP connection reuse (${p.library}, ${p.side === 'both' ? 'client and server' : p.side})${parts.length ? `: ${parts.join(', ')}` : ''}.`;
  const reused = find(m, 'sockets-keepalive');
  const fresh = find(m, 'sockets-no-keepalive');
  const p50k = find(m, 'p50-keepalive');
  const p50n = find(m, 'p50-no-keepalive');
  if (reused && fresh && p50k && p50n)
    summary += ` On loopback, ${reused.method.split(',')[0]} opened ${reused.display} socket${reused.value === 1 ? '' : 's'} with keep-alive and ${fresh.display} without (median latency ${p50k.display} vs ${p50n.display}).`;
  const race = find(m, 'race-errors');
  const fixed = find(m, 'race-fixed-errors');
  if (race && fixed) summary += ` Aiming requests at the moment the server closes idle sockets, ${race.display} of ${race.method.split(' requests')[0]} requests failed with a reset; with the client's idle timeout below the server's and a retry of idempotent requests, ${fixed.display} did.`;
  return { title: 'HTTP keep-alive', summary };
}

import type { ConnectionPoolParams } from '../finding';
import { find, type Measured, millis } from '../measure/measurement';
import type { Description } from './description';

export function describeConnectionPool(p: ConnectionPoolParams, m: Measured): Description {
  const parts = [
    p.maxSize !== null ? `up to ${p.maxSize} connections` : null,
    p.minIdle !== null ? `${p.minIdle} kept idle` : null,
    p.idleTimeoutMs !== null ? `idle timeout ${millis(p.idleTimeoutMs)}` : null,
    p.maxLifetimeMs !== null ? `max lifetime ${millis(p.maxLifetimeMs)}` : null,
    p.acquireTimeoutMs !== null ? `acquire timeout ${millis(p.acquireTimeoutMs)}` : null,
    p.keepAliveMs !== null ? `keep-alive ping every ${millis(p.keepAliveMs)}` : null,
    p.validation === true ? 'validated before use' : null,
  ].filter((x): x is string => x !== null);
  let summary = `A ${p.library} connection pool${parts.length ? `: ${parts.join(', ')}` : ''}${p.serverWaitTimeoutS !== null ? `, against a server wait_timeout of ${p.serverWaitTimeoutS} s` : ''}.`;
  const failed = find(m, 'stale-failures');
  const queries = find(m, 'stale-queries');
  const guarded = find(m, 'stale-failures-guarded');
  if (failed && queries && guarded)
    summary += ` On the pool engine's simulated MySQL server, after sitting idle past wait_timeout, ${failed.display} of ${queries.display} queries failed on connections the server had closed; with validation on borrow, ${guarded.display}.`;
  return { title: 'Connection pool', summary };
}

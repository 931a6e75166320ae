/**
 * The one-click experiments. Each is a full set of settings for either client library, so a run
 * records exactly what it ran. The race and its fix share the server and the workload: only the
 * server's hint and the client's defences differ, so their error counts compare directly.
 */
import type { ClientKind, KeepAliveSettings, PresetId, PresetInfo } from '../../protocol/keepalive';

interface Preset extends PresetInfo {
  settings(client: ClientKind): KeepAliveSettings;
}

function base(client: ClientKind): KeepAliveSettings {
  return {
    // Node's defaults, with a small server so runs take seconds.
    server: { keepAliveTimeoutMs: 5_000, headersTimeoutMs: 60_000, responseDelayMs: 0, advertiseKeepAlive: true },
    client: { kind: client, keepAlive: true, maxSockets: 8, maxFreeSockets: 8, idleTimeoutMs: 0, hintMarginMs: 1_000, pipelining: 1, retryIdempotent: false },
    workload: { pattern: 'sequential', requests: 50, method: 'GET', concurrency: 1, burstSize: 1, gapMs: 0, edgeOffsetsMs: [0] },
  };
}

/**
 * The race's stage: the server keeps idle sockets 2 s (3 s with Node's buffer); four lanes, each its
 * own client with one socket, aim requests at that instant.
 */
function raceStage(client: ClientKind): KeepAliveSettings {
  const s = base(client);
  s.server.keepAliveTimeoutMs = 2_000;
  s.client.maxSockets = 1;
  s.client.maxFreeSockets = 1;
  s.workload = { ...s.workload, pattern: 'idle-edge', requests: 24, concurrency: 4, burstSize: 2, edgeOffsetsMs: [0, -1, 1, -2] };
  return s;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'no-keepalive',
    title: 'No keep-alive',
    description: 'Every request opens a new TCP connection (Connection: close). Sockets opened equals requests; each pays a connect.',
    settings(client) {
      const s = base(client);
      s.client.keepAlive = false;
      return s;
    },
  },
  {
    id: 'keepalive',
    title: 'Keep-alive',
    description: 'The same sequential requests over a kept-alive socket: one connect, then reuse. (undici\'s Pool, allowed more than one connection, opens a second: it gives an idle socket a turn of the event loop to prove it is still open, and meanwhile sends the next request elsewhere.)',
    settings: base,
  },
  {
    id: 'queueing',
    title: 'maxSockets queueing',
    description: '32 requests at once against maxSockets 4 and a 20 ms server: 4 sockets, and the rest wait in the client\'s queue.',
    settings(client) {
      const s = base(client);
      s.server.responseDelayMs = 20;
      s.client.maxSockets = 4;
      s.client.maxFreeSockets = 4;
      s.workload = { ...s.workload, pattern: 'concurrent', requests: 64, concurrency: 32 };
      return s;
    },
  },
  {
    id: 'race',
    title: 'Idle-timeout race',
    description: 'The server closes idle sockets without announcing when (no Keep-Alive hint) and the client keeps them forever; requests sent as the server closes fail with ECONNRESET / "socket hang up".',
    settings(client) {
      const s = raceStage(client);
      s.server.advertiseKeepAlive = false;
      return s;
    },
  },
  {
    id: 'race-fixed',
    title: 'Race fixed',
    description: 'Same server and timing, with the three defences: the client\'s idle timeout below the server\'s, the server\'s Keep-Alive: timeout= hint honoured, idempotent requests retried once.',
    settings(client) {
      const s = raceStage(client);
      s.client.idleTimeoutMs = 1_500;
      s.client.retryIdempotent = true;
      return s;
    },
  },
];

export function presetSettings(id: PresetId, client: ClientKind = 'node'): KeepAliveSettings {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new RangeError(`no keep-alive preset ${id}`);
  return p.settings(client);
}

export const presetInfos: PresetInfo[] = PRESETS.map(({ id, title, description }) => ({ id, title, description }));

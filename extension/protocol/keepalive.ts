/**
 * The HTTP keep-alive inspector's half of the protocol: the experiment's settings, the intents a
 * webview or a command may send, and the view parts the model renders. Imported by the engine
 * (extension/engines/keepalive), the host and the keep-alive webview alike.
 *
 * An experiment is real: a `node:http` server on 127.0.0.1 (ephemeral port) and a real client
 * (`node:http` Agent or undici Pool) exchanging requests over loopback sockets. Every number in
 * the view was observed on those sockets: times are milliseconds since the run started
 * (`performance.now()`), sockets are numbered 1, 2, … in the order the client created them.
 *
 * Parts stay small whatever the run did: lanes and the requests drawn on them are capped
 * (`KEEPALIVE_LIMITS`) and every capped list says how many it left out.
 */
import type { ModelView } from '../engines/core/model';
import { Infer, arr, bool, int, lit, obj, optional, tagged } from '../engines/core/schema';

export const KEEPALIVE_LIMITS = {
  maxRequests: 5_000,
  /** Lanes (sockets) drawn in the `lanes` part; the rest are counted in `lanes.hidden`. */
  maxLanesInView: 48,
  /** Request boxes drawn per lane; the rest are counted in the lane's `requestsHidden`. */
  maxRequestsPerLane: 120,
  /** Runs kept for the `comparison` part. */
  maxRunsCompared: 8,
  /** A run that would take longer than this is refused before it starts… */
  maxEstimatedRunMs: 5 * 60_000,
  /** …and one that still runs this long is stopped. */
  maxRunMs: 10 * 60_000,
} as const;

export const PRESET_IDS = ['no-keepalive', 'keepalive', 'queueing', 'race', 'race-fixed'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export const CLIENT_KINDS = ['node', 'undici'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const WORKLOAD_PATTERNS = ['sequential', 'concurrent', 'bursts', 'idle-edge'] as const;
export type WorkloadPattern = (typeof WORKLOAD_PATTERNS)[number];

export const serverSettingsSchema = obj({
  /** `server.keepAliveTimeout`: how long the server keeps an idle socket (0 = forever). Node 20+ adds its own 1 s buffer. */
  keepAliveTimeoutMs: int({ min: 0, max: 600_000 }),
  /** `server.headersTimeout`: how long a request's headers may take to arrive. */
  headersTimeoutMs: int({ min: 1, max: 300_000 }),
  /** Server think time before each response. */
  responseDelayMs: int({ min: 0, max: 60_000 }),
  /** Send `Keep-Alive: timeout=<s>` on responses (Node's default). Off: like servers and proxies that keep their idle timeout to themselves. */
  advertiseKeepAlive: bool(),
});

export const clientSettingsSchema = obj({
  kind: lit(...CLIENT_KINDS),
  /** Reuse sockets between requests. Off: every request says `Connection: close`. */
  keepAlive: bool(),
  /** node: Agent `maxSockets`; undici: Pool `connections`. */
  maxSockets: int({ min: 1, max: 256 }),
  /** node: Agent `maxFreeSockets` (idle sockets kept). undici keeps every connection it has. */
  maxFreeSockets: int({ min: 1, max: 256 }),
  /** The client's own idle timeout (0 = none). node: Agent `timeout` on free sockets; undici: Pool `keepAliveTimeout` (its maximum, 600 s, when 0). */
  idleTimeoutMs: int({ min: 0, max: 600_000 }),
  /** undici `keepAliveTimeoutThreshold`: subtracted from the server's `Keep-Alive: timeout=` hint. Node's Agent subtracts a fixed 1 s. */
  hintMarginMs: int({ min: 0, max: 60_000 }),
  /** undici only: requests in flight per connection (1 = no pipelining). */
  pipelining: int({ min: 1, max: 16 }),
  /** Retry an idempotent request once when it failed on a reused socket with a reset (ECONNRESET, "socket hang up", EPIPE, undici "other side closed"). */
  retryIdempotent: bool(),
});

export const workloadSettingsSchema = obj({
  pattern: lit(...WORKLOAD_PATTERNS),
  requests: int({ min: 1, max: KEEPALIVE_LIMITS.maxRequests }),
  method: lit('GET', 'POST'),
  /** concurrent: requests in flight at once; idle-edge: independent clients (lanes), each with its own agent or pool. */
  concurrency: int({ min: 1, max: 64 }),
  /** bursts: requests issued together; idle-edge: back-to-back requests before each idle gap. */
  burstSize: int({ min: 1, max: 256 }),
  /** sequential: pause between requests; bursts: pause between bursts. */
  gapMs: int({ min: 0, max: 60_000 }),
  /**
   * idle-edge: after each burst, the next request is sent when the server's idle timer for that
   * socket fires (the timer is read from the server's socket as it is armed) plus the next offset
   * of this list, cycled. 0 lands in the same turn of the event loop as the server's close.
   */
  edgeOffsetsMs: arr(int({ min: -50, max: 50 }), { min: 1, max: 16 }),
});

export const keepAliveSettingsSchema = obj({
  server: serverSettingsSchema,
  client: clientSettingsSchema,
  workload: workloadSettingsSchema,
});
export type ServerSettings = Infer<typeof serverSettingsSchema>;
export type ClientSettings = Infer<typeof clientSettingsSchema>;
export type WorkloadSettings = Infer<typeof workloadSettingsSchema>;
export type KeepAliveSettings = Infer<typeof keepAliveSettingsSchema>;

export const keepAliveIntentSchema = tagged('type', {
  /**
   * Runs one experiment. With `preset`, its settings (for `client`, default node); without, the
   * current settings. `requests` overrides the request count. Takes seconds; reports progress,
   * streams the view while it runs, and stops cleanly when cancelled.
   */
  run: obj({
    preset: optional(lit(...PRESET_IDS)),
    client: optional(lit(...CLIENT_KINDS)),
    requests: optional(int({ min: 1, max: KEEPALIVE_LIMITS.maxRequests })),
  }),
  /** Replaces the current settings (the form's Apply); the next `run` without a preset uses them. */
  configure: obj({ settings: keepAliveSettingsSchema }),
});
export type KeepAliveIntent = Infer<typeof keepAliveIntentSchema>;

// ───────────────────────────── view parts ─────────────────────────────

/** Who closed a socket, as observed from both ends. */
export type CloseSide = 'client' | 'server' | 'unknown';

/**
 * Why a socket closed:
 * - `server-idle-timeout`: the server's keep-alive timer fired on an idle socket.
 * - `server-connection-close`: the server closed after a response sent with `Connection: close`.
 * - `server-headers-timeout`: the server gave up waiting for request headers (408).
 * - `client-idle-timeout`: the client's own idle timer (agent `timeout`, the hint, undici keepAliveTimeout).
 * - `client-not-kept`: the client would not keep the socket (maxFreeSockets full, the hint too short).
 * - `client-no-keepalive`: the client closed after its `Connection: close` request.
 * - `error`: an error ended the socket (its code is in `closeDetail`).
 * - `peer-closed`: the other side closed and gave no sign why.
 * - `run-ended`: the experiment ended and closed what was left.
 */
export type CloseReason =
  | 'server-idle-timeout'
  | 'server-connection-close'
  | 'server-headers-timeout'
  | 'client-idle-timeout'
  | 'client-not-kept'
  | 'client-no-keepalive'
  | 'error'
  | 'peer-closed'
  | 'run-ended';

export type RunStatus = 'running' | 'finished' | 'cancelled' | 'failed';

/** A request as a box on its socket's lane. */
export interface RequestBox {
  /** Request number within the run, from 1 in issue order. */
  req: number;
  /** When the workload issued the request: start − issuedAt is its wait for a socket (queueing, plus the lane's connectMs on a new socket). */
  issuedAt: number;
  /** When it was written to this socket (ms since run start). */
  start: number;
  /** When its response ended or it failed; absent while in flight. */
  end?: number;
  status?: number;
  /** Error code when this attempt failed (ECONNRESET, UND_ERR_SOCKET, ETIMEDOUT, …). */
  error?: string;
  /** The socket had carried a request before this one. */
  reused: boolean;
  /** 1 for the first try, 2 for the retry. */
  attempt: number;
  /** The server saw this request arrive (false: it died on the wire, e.g. hit a closing socket). */
  arrived: boolean;
}

/** One socket over time: a horizontal lane with request boxes, idle gaps and its close. */
export interface SocketLane {
  socket: number;
  /** Client's local port: the server saw the connection from this port. */
  port: number;
  /** Connect started (ms since run start). */
  openedAt: number;
  /** TCP connect time. */
  connectMs: number;
  requests: RequestBox[];
  /** Requests on this lane beyond the ones drawn. */
  requestsHidden: number;
  /** Idle periods [from, to): from a response's end to the next request or the close (to absent: still idle). */
  idle: { from: number; to?: number }[];
  /** The server's idle timer on this socket: armed at `at`, fires at `deadline` unless a request comes. */
  serverIdle: { at: number; deadline: number }[];
  /** The client's idle timer after the last response (absent: none armed); `fromHint` when the server's hint set it. */
  clientIdle?: { at: number; deadline: number; fromHint: boolean };
  closedAt?: number;
  closedBy?: CloseSide;
  closeReason?: CloseReason;
  /** Human words for the close: e.g. "idle 3000 ms ≥ server keepAliveTimeout 2000 ms + 1000 ms". */
  closeDetail?: string;
}

export interface LanesPart {
  /** Drawn time span: 0 … spanMs (the run's elapsed time at the cursor). */
  spanMs: number;
  lanes: SocketLane[];
  /** Sockets in the run, and how many were left out of `lanes` (the oldest quiet ones go first). */
  total: number;
  hidden: number;
}

export interface LatencyPercentiles {
  /** Successful requests measured (issue → response end, retries included). */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** The run's numbers; also what `dsi keepalive --json` prints. */
export interface KeepAliveCounters {
  requests: number;
  succeeded: number;
  /** Requests that finally failed (after any retry). */
  failed: number;
  retries: number;
  /** Sockets the client opened (connected). */
  socketsOpened: number;
  /** Connections the server accepted: the check that the client's count is what happened on the wire. */
  serverConnections: number;
  /** Request attempts sent on a socket that had carried a request before ÷ all attempts sent. */
  reuseRatio: number;
  /** Final request failures by error code. */
  errorsByCode: Record<string, number>;
  /** Every failed attempt by code, retried ones included: what the wire saw. */
  attemptErrorsByCode: Record<string, number>;
  /** Socket closes by "side:reason", e.g. "server:server-idle-timeout". */
  closesByCause: Record<string, number>;
  /** Mean time from issue to being written on a socket (queueing for maxSockets, connect). */
  meanWaitMs: number;
  latencyMs: LatencyPercentiles;
  durationMs: number;
  requestsPerSecond: number;
}

export interface RunPart {
  /** Run number in this session, from 1; 0 before the first run. */
  run: number;
  preset: PresetId | 'custom';
  status: RunStatus | 'none';
  /** Elapsed ms at the cursor. */
  elapsedMs: number;
  /** Requests finished ÷ requested, at the cursor. */
  fraction: number;
  /** Why the run failed or was cancelled. */
  message?: string;
}

/** One finished run, for the comparison table (with vs without keep-alive, race vs fixed). */
export interface RunSummary {
  run: number;
  preset: PresetId | 'custom';
  client: ClientKind;
  keepAlive: boolean;
  status: RunStatus;
  counters: KeepAliveCounters;
}

export interface PresetInfo {
  id: PresetId;
  title: string;
  /** What it shows, one or two sentences. */
  description: string;
}

export interface ConfigPart {
  /** The current settings: what the form shows and what `run` without a preset uses. */
  settings: KeepAliveSettings;
  /** The preset the settings came from, or custom after `configure`. */
  preset: PresetId | 'custom';
  presets: PresetInfo[];
  /** The server's real idle timeout seen in the current run (keepAliveTimeout + Node's buffer), once known. */
  observedServerIdleMs?: number;
}

export interface KeepAliveView extends ModelView {
  config: ConfigPart;
  run: RunPart;
  counters: KeepAliveCounters;
  lanes: LanesPart;
  /** The last runs, newest last (at most KEEPALIVE_LIMITS.maxRunsCompared). */
  comparison: RunSummary[];
}

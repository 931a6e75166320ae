/**
 * The Connection Pool inspector's half of the protocol: its settings, the intents a webview or a
 * command may send, and the view parts the model renders. Imported by the engine
 * (extension/engines/pool), the host and the pool webview alike.
 *
 * Two drivers sit behind the pool: the embedded simulated server (the default; its clock is
 * virtual and only moves inside an intent, so every run replays exactly) and a real MySQL or
 * MariaDB through mysql2 (real time; the server's own process list is polled about once a second
 * while connected). Times in the view are milliseconds on the driver's clock.
 *
 * The view parts are defined as schemas, and their types inferred from them: a step recorded on a
 * real server stores the parts as they were, and an imported session file is checked against the
 * same schemas before anything is shown.
 *
 * How the webview is meant to draw them:
 * - `connections.cells`: one cell per connection, coloured by `state` (connecting, idle, in-use,
 *   validating, pinging, closing). `onServer: false` on an idle cell is the point of the stale
 *   presets: the pool thinks it idle, the server has closed it. `leaked` marks a leak report.
 * - `waiters.queue`: the FIFO queue, head first, each with the time left before its timeout.
 * - `events.items`: a window of the pool's events; one lane per `conn` (waiter events have none),
 *   markers by `type`, `detail` as the tooltip.
 * - `server.processes`: the server's own list, beside the cells; `conn` links a row to its cell.
 * - `results`: the last preset's counters and verdict; `byPreset` keeps one per preset so
 *   per-query and pooled can be compared side by side.
 */
import type { ModelView } from '../engines/core/model';
import { Infer, Schema, arr, bool, int, lit, num, obj, optional, str, tagged } from '../engines/core/schema';
import { poolConfigSchema } from '../engines/pool/poolConfig';

export const POOL_LIMITS = {
  /** Pool events kept for the `events` part (the most recent ones). */
  eventWindow: 300,
  /** Leak reports kept for the `leaks` part. */
  leakWindow: 20,
  /** Process list rows shown. */
  maxProcesses: 500,
  /** How long a borrow intent waits for its connection before leaving the borrower queued. */
  maxBorrowWaitMs: 60_000,
  /** Longest `wait` intent (real time on MySQL). */
  maxWaitMs: 600_000,
  maxPresetQueries: 100_000,
} as const;

export const PRESET_NAMES = ['per-query', 'pooled', 'stale', 'stale-keepalive', 'stale-validate', 'exhaustion', 'leak'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const CONNECTION_STATES = ['connecting', 'idle', 'in-use', 'validating', 'pinging', 'closing'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const POOL_EVENT_TYPES = [
  'connecting', 'connected', 'connect-failed', 'wait', 'borrow', 'timeout', 'return', 'validate', 'validate-failed',
  'ping', 'ping-failed', 'query-failed', 'leak', 'evict', 'closed',
] as const;

/** A value or null. */
function orNull<T>(inner: Schema<T>): Schema<T | null> {
  return { parse: (v, path) => (v === null ? { ok: true, value: null } : inner.parse(v, path)) };
}

/** A plain object used as a map from short names (error codes, reasons, presets) to values. */
function dict<T>(value: Schema<T>, maxKeys = 100): Schema<Record<string, T>> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype)
        return { ok: false, error: `${path || 'value'}: expected a plain object` };
      const keys = Object.keys(v);
      if (keys.length > maxKeys) return { ok: false, error: `${path || 'value'}: more than ${maxKeys} keys` };
      const out: Record<string, T> = {};
      for (const k of keys) {
        if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(k)) return { ok: false, error: `${path || 'value'}: bad key ${JSON.stringify(k.slice(0, 70))}` };
        const r = value.parse((v as Record<string, unknown>)[k], `${path}.${k}`);
        if (!r.ok) return r;
        out[k] = r.value;
      }
      return { ok: true, value: out };
    },
  };
}

// ── Settings ────────────────────────────────────────────────────────────────────────────────────

export const simServerSettingsSchema = obj({
  maxConnections: int({ min: 1, max: 100_000 }),
  /** Global wait_timeout in seconds: what new connections start with. */
  waitTimeoutS: int({ min: 1, max: 31_536_000 }),
  /** Time to open a connection: TCP handshake, server greeting, authentication. */
  connectMs: num({ min: 0, max: 60_000 }),
  /** Round trip of a trivial query (SELECT 1). */
  queryMs: num({ min: 0, max: 60_000 }),
  /** Round trip of COM_PING. */
  pingMs: num({ min: 0, max: 60_000 }),
  /** Each cost is scaled by a factor drawn uniformly from [1 − jitter/2, 1 + jitter/2]. */
  jitter: num({ min: 0, max: 1 }),
});
export type SimServerSettings = Infer<typeof simServerSettingsSchema>;

const mysqlSettingsFields = {
  host: str({ min: 1, max: 255 }),
  port: int({ min: 1, max: 65_535 }),
  user: str({ min: 1, max: 128 }),
  database: str({ min: 1, max: 64 }),
};
/** Where a real server is; never with a password (that lives in SecretStorage). */
export const mysqlSettingsSchema = obj(mysqlSettingsFields);

export const poolModelConfigSchema = obj({
  seed: int({ min: 0, max: 0xffffffff }),
  pool: poolConfigSchema,
  embedded: simServerSettingsSchema,
});
export type PoolModelConfig = Infer<typeof poolModelConfigSchema>;

// ── Intents ─────────────────────────────────────────────────────────────────────────────────────

/** Intents that act on whichever driver is in use; the embedded driver records them as steps and redoes them. */
export const poolActionFields = {
  /** Replaces the pool with the preset's and runs its workload (see `presets` in the view for what each shows). */
  runPreset: obj({ preset: lit(...PRESET_NAMES), queries: optional(int({ min: 4, max: POOL_LIMITS.maxPresetQueries })) }),
  /** Borrows a connection as "you"; waits up to waitMs (default 100) for it, then leaves the borrower queued. */
  borrow: obj({ waitMs: optional(int({ min: 0, max: POOL_LIMITS.maxBorrowWaitMs })) }),
  /** Returns one of your leases (`leases[].lease`). */
  release: obj({ lease: int({ min: 1 }) }),
  /** Runs SQL (default SELECT 1) on one of your leases. The embedded server understands a few statements only. */
  query: obj({ lease: int({ min: 1 }), sql: optional(str({ min: 1, max: 1_000 })) }),
  /** Lets time pass: on the virtual clock (embedded) or in real time (MySQL). */
  wait: obj({ ms: int({ min: 1, max: POOL_LIMITS.maxWaitMs }) }),
  /** New pool settings; the running pool adapts (opens, closes, re-times connections). */
  configure: obj({ pool: poolConfigSchema }),
  /** Embedded server only: its costs, max_connections and global wait_timeout. */
  configureServer: obj({ settings: simServerSettingsSchema }),
  /**
   * Shortens (or lengthens) the server's wait_timeout. global: SET GLOBAL, for connections opened
   * afterwards (needs SUPER on a real server); session: every connection the pool opens from now
   * on runs SET SESSION wait_timeout (no privilege needed, other clients unaffected).
   */
  setWaitTimeout: obj({ seconds: int({ min: 1, max: 31_536_000 }), scope: lit('global', 'session') }),
  /** KILL CONNECTION on the server: the pool finds out when it next uses that connection. */
  kill: obj({ threadId: int({ min: 1 }) }),
  /** Reads the server's process list and variables now (MySQL; the embedded one is always current). */
  refreshServer: obj({}),
  /** Switches to a fresh embedded server and pool. */
  useEmbedded: obj({}),
};

export const poolIntentSchema = tagged('type', {
  ...poolActionFields,
  /** Connects to a real server (checked first: a wrong host, password or database is a clear error and the inspector stays as it was). */
  useMysql: obj({ ...mysqlSettingsFields, password: str({ max: 1_000 }) }),
});
export type PoolIntent = Infer<typeof poolIntentSchema>;

/** The intents an embedded step records (useMysql is never redone: it is recorded as what it showed). */
export const poolActionSchema = tagged('type', poolActionFields);
export type PoolAction = Infer<typeof poolActionSchema>;

// ── View parts ──────────────────────────────────────────────────────────────────────────────────

const percentilesSchema = obj({ p50: num(), p99: num(), max: num() });

export const presetResultSchema = obj({
  preset: lit(...PRESET_NAMES),
  driver: lit('embedded', 'mysql'),
  /** Concurrent clients in the busiest phase. */
  clients: int({ min: 0 }),
  queries: int({ min: 0 }),
  failedQueries: int({ min: 0 }),
  /** Failed queries and failed acquires by error code (PROTOCOL_CONNECTION_LOST, POOL_ACQUIRE_TIMEOUT, …). */
  errorsByCode: dict(int({ min: 0 })),
  connectionsCreated: int({ min: 0 }),
  connectionsDestroyed: int({ min: 0 }),
  acquireTimeouts: int({ min: 0 }),
  validationFailures: int({ min: 0 }),
  keepalivePings: int({ min: 0 }),
  leaksDetected: int({ min: 0 }),
  /** The borrowing stack of the first leak, as the pool reported it. */
  leakStack: orNull(str({ max: 20_000 })),
  peakWaiting: int({ min: 0 }),
  /** Duration of the workload: simulated ms on the embedded server, real ms on MySQL. */
  durationMs: num({ min: 0 }),
  /** Queries (successful or not) per second of durationMs. */
  throughputQps: num({ min: 0 }),
  /** From asking the pool for a connection to the query's answer, successful queries only. */
  latencyMs: percentilesSchema,
  /** Time spent waiting for a connection, successful acquires only. */
  acquireWaitMs: percentilesSchema,
  /** One sentence: what happened and why. */
  verdict: str({ max: 2_000 }),
});
export type PresetResult = Infer<typeof presetResultSchema>;

export const configPartSchema = obj({
  driver: lit('embedded', 'mysql'),
  /** "embedded server" or mysql://user@host:port/db (never a password). */
  target: str({ max: 600 }),
  /** virtual: the embedded clock, which moves only inside an intent; real: wall time. */
  clock: lit('virtual', 'real'),
  pool: poolConfigSchema,
  /** The embedded server's settings, when it is the driver. */
  embedded: orNull(simServerSettingsSchema),
  mysql: orNull(mysqlSettingsSchema),
});

export const connectionCellSchema = obj({
  /** The pool's number for the connection (1, 2, …). */
  id: int({ min: 1 }),
  /** The server's thread id once connected (the process list's ID). */
  threadId: orNull(int({ min: 0 })),
  state: lit(...CONNECTION_STATES),
  ageMs: num({ min: 0 }),
  /** Since its last return (idle and pinging connections). */
  idleMs: orNull(num({ min: 0 })),
  borrows: int({ min: 0 }),
  queries: int({ min: 0 }),
  /** Who holds it (in-use), e.g. "you", "client 3". */
  borrower: orNull(str({ max: 200 })),
  heldMs: orNull(num({ min: 0 })),
  leaked: bool(),
  /** Whether the server still has this connection; null when unknown (no process list yet). */
  onServer: orNull(bool()),
});
export type ConnectionCell = Infer<typeof connectionCellSchema>;

export const connectionsPartSchema = obj({
  now: num(),
  maxSize: int({ min: 1 }),
  minIdle: int({ min: 0 }),
  cells: arr(connectionCellSchema, { max: 2_000 }),
});

export const waitersPartSchema = obj({
  /** Head of the queue first. */
  queue: arr(
    obj({
      id: int({ min: 1 }),
      borrower: str({ max: 200 }),
      waitedMs: num({ min: 0 }),
      /** Time left before acquireTimeoutMs gives up on it. */
      timesOutInMs: num(),
      /** The connection being validated for it, if any. */
      validating: orNull(int({ min: 1 })),
    }),
    { max: 100_000 },
  ),
  /** Most borrowers queued at once since the pool started. */
  peak: int({ min: 0 }),
});

export const poolEventItemSchema = obj({
  /** Position among all the pool's events (1 = first). */
  seq: int({ min: 1 }),
  t: num(),
  type: lit(...POOL_EVENT_TYPES),
  conn: orNull(int({ min: 1 })),
  waiter: orNull(int({ min: 1 })),
  /** Human-readable specifics: the borrower, the wait, the error code, the eviction reason. */
  detail: str({ max: 500 }),
});
export type PoolEventItem = Infer<typeof poolEventItemSchema>;

export const eventsPartSchema = obj({
  items: arr(poolEventItemSchema, { max: POOL_LIMITS.eventWindow }),
  /** Events since the pool started; those before the window were dropped from the view. */
  total: int({ min: 0 }),
});

export const metricsPartSchema = obj({
  active: int({ min: 0 }),
  idle: int({ min: 0 }),
  waiting: int({ min: 0 }),
  connecting: int({ min: 0 }),
  total: int({ min: 0 }),
  created: int({ min: 0 }),
  destroyed: int({ min: 0 }),
  connectFailures: int({ min: 0 }),
  acquired: int({ min: 0 }),
  returned: int({ min: 0 }),
  timeouts: int({ min: 0 }),
  queries: int({ min: 0 }),
  failedQueries: int({ min: 0 }),
  validations: int({ min: 0 }),
  validationFailures: int({ min: 0 }),
  pings: int({ min: 0 }),
  pingFailures: int({ min: 0 }),
  leaks: int({ min: 0 }),
  /** Closed connections by reason: idle-timeout, max-lifetime, max-idle, max-uses, shrink, broken, validation-failed, ping-failed, pool-closed. */
  evictions: dict(int({ min: 0 })),
  peakActive: int({ min: 0 }),
  peakWaiting: int({ min: 0 }),
});

export const leakReportSchema = obj({
  conn: int({ min: 1 }),
  borrower: str({ max: 200 }),
  /** When it was reported, and how long the connection had been out then. */
  at: num(),
  heldMs: num({ min: 0 }),
  /** The stack of the code that borrowed it, innermost frame first. */
  stack: str({ max: 20_000 }),
});

export const processRowSchema = obj({
  id: int({ min: 0 }),
  user: str({ max: 200 }),
  host: str({ max: 300 }),
  db: orNull(str({ max: 200 })),
  /** Sleep (idle), Query, … */
  command: str({ max: 100 }),
  /** Seconds in the current command; for Sleep, how long it has been idle (compare with wait_timeout). */
  timeS: num({ min: 0 }),
  state: str({ max: 200 }),
  info: orNull(str({ max: 2_000 })),
});
export type ProcessRow = Infer<typeof processRowSchema>;

export const serverVariablesSchema = obj({
  waitTimeoutS: int({ min: 0 }),
  maxConnections: int({ min: 0 }),
  version: str({ max: 200 }),
});
export type ServerVariables = Infer<typeof serverVariablesSchema>;

export const serverPartSchema = obj({
  driver: lit('embedded', 'mysql'),
  variables: orNull(serverVariablesSchema),
  /** The server's connections (the admin connection of a real server left out); `conn` is the pool's cell for it, if any. */
  processes: arr(obj({ row: processRowSchema, conn: orNull(int({ min: 1 })) }), { max: POOL_LIMITS.maxProcesses }),
  /** Driver clock time the list was read at. */
  asOf: num(),
  /** Why the list could not be read, if it could not (e.g. the account lacks PROCESS). */
  error: orNull(str({ max: 2_000 })),
});

export const leasePartSchema = obj({
  /** Your lease number, for the release and query intents. */
  lease: int({ min: 1 }),
  conn: int({ min: 1 }),
  threadId: orNull(int({ min: 0 })),
  /** "you", or the preset client that leaked it and handed it to you. */
  borrower: str({ max: 200 }),
  heldMs: num({ min: 0 }),
});

export const resultsPartSchema = obj({
  last: orNull(presetResultSchema),
  byPreset: dict(presetResultSchema),
});

/** Everything a view shows about the pool, apart from the summary, the timeline and the preset catalogue. */
export const poolPictureSchema = obj({
  config: configPartSchema,
  connections: connectionsPartSchema,
  waiters: waitersPartSchema,
  events: eventsPartSchema,
  metrics: metricsPartSchema,
  leaks: arr(leakReportSchema, { max: POOL_LIMITS.leakWindow }),
  server: serverPartSchema,
  /** Connections you hold (borrowed with the borrow intent, or leaked by a preset). */
  leases: arr(leasePartSchema, { max: 10_000 }),
  results: resultsPartSchema,
});
export type PoolPicture = Infer<typeof poolPictureSchema>;

export interface PresetInfo {
  name: PresetName;
  title: string;
  /** What it demonstrates, one sentence. */
  shows: string;
}

export type PoolView = ModelView &
  PoolPicture & {
    presets: PresetInfo[];
    /** True when the view shows a step recorded on a real server rather than the live pool. */
    recorded: boolean;
  };

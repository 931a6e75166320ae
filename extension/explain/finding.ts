/**
 * What Explain Selection reports: one finding per recognised piece of code, with the concept it
 * implements, how sure the recogniser is, where it is, the parameters it read from the code and
 * the risks it saw. The concept identifiers are part of the JSON output of `dsi explain`.
 */
export const CONCEPTS = [
  'modulo-sharding',
  'hash-function',
  'hash-table',
  'hash-ring',
  'http-keepalive',
  'connection-pool',
  'idempotency',
  'ordered-consumption',
  'distributed-transaction',
] as const;
export type Concept = (typeof CONCEPTS)[number];

/** A position as VS Code counts it: zero-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Risk {
  /** Stable identifier, e.g. "setnx-expire-not-atomic"; tests and the UI key on it. */
  id: string;
  severity: 'info' | 'warning' | 'error';
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
}

/** Raw settings as written in the code (option name → value), for display and for the inspector. */
export type Settings = Record<string, number | string | boolean>;

export interface ModuloShardingParams {
  /** The shard count when the selection fixes it (a literal, a constant or a literal list's length). */
  n: number | null;
  /** The divisor as written, e.g. "servers.length". */
  nText: string;
  /** The hash as recognised (a hashing engine name, "md5", "python-hash", …), or null when unknown. */
  hash: string | null;
  /** The hashing expression as written, e.g. "crc32(key)". */
  hashText: string;
}

export interface HashFunctionParams {
  /** The function's name in the code, or null for an anonymous one. */
  name: string | null;
  /** Which published function it is ("fnv1a32", "djb2", "java", …), or null when it is the author's own. */
  known: string | null;
  /** How it was recognised. */
  form: 'string-loop' | 'mixer' | 'hashCode-override' | '__hash__-override' | 'library-wrapper';
  /** The per-step multiplier of a polynomial hash (31, 33, 16777619, …), when there is one. */
  multiplier: number | null;
  /** The accumulator's starting value (5381, 2166136261, …), when it is a literal. */
  initial: number | null;
  /** A JS/TS function of one argument that "Use Selection as Hash Function" can run in the sandbox. */
  callable: boolean;
}

export interface HashTableParams {
  /** "java.util.HashMap", "go map", "custom", … */
  implementation: string;
  /** Initial capacity as written (before any rounding the library does), or null. */
  capacity: number | null;
  loadFactor: number | null;
  /** How a hand-written table resolves collisions, when the code shows it. */
  collision: 'chaining' | 'linear-probing' | 'quadratic-probing' | 'double-hashing' | null;
}

export interface HashRingParams {
  /** "hashring", "consistent-hash", "uhashring", "groupcache", "hand-written", … */
  library: string;
  scheme: 'ring' | 'ketama' | 'jump' | 'rendezvous';
  /** Server names when the selection lists them. */
  servers: string[] | null;
  serverCount: number | null;
  /** Virtual nodes (points) per server, when set or implied by the library's default. */
  vnodes: number | null;
  hash: string | null;
}

export interface HttpKeepAliveParams {
  side: 'client' | 'server' | 'both';
  /** "node:http Agent", "undici", "agentkeepalive", "go net/http", "requests", "okhttp", … */
  library: string;
  keepAlive: boolean | null;
  /** How long the client keeps an idle socket before closing it itself; null when it never does. */
  clientIdleTimeoutMs: number | null;
  /** How long the server keeps an idle keep-alive connection open. */
  serverKeepAliveTimeoutMs: number | null;
  /** Connections per host (maxSockets, MaxConnsPerHost, pool_maxsize, …). */
  maxSockets: number | null;
  /** Idle connections kept per host (maxFreeSockets, MaxIdleConnsPerHost, …). */
  maxIdle: number | null;
  settings: Settings;
}

export interface ConnectionPoolParams {
  /** "mysql2", "pg", "HikariCP", "database/sql", "SQLAlchemy", … */
  library: string;
  maxSize: number | null;
  minIdle: number | null;
  idleTimeoutMs: number | null;
  maxLifetimeMs: number | null;
  acquireTimeoutMs: number | null;
  keepAliveMs: number | null;
  /** Whether connections are checked before use (pre-ping, testOnBorrow, …); null when not set. */
  validation: boolean | null;
  leakDetectionMs: number | null;
  /** The server's wait_timeout in seconds, when the selection sets or mentions it. */
  serverWaitTimeoutS: number | null;
  settings: Settings;
}

export interface IdempotencyParams {
  store: 'redis' | 'sql';
  /** "SET NX EX", "SETNX + EXPIRE", "SETNX", "setIfAbsent", "INSERT unique", … */
  command: string;
  /** The key with its variable parts in braces, e.g. "idem:{orderId}". */
  keyShape: string | null;
  ttlSeconds: number | null;
  /** Whether the claim and its expiry happen in one command. */
  atomic: boolean;
}

export interface OrderedConsumptionParams {
  workers: number | null;
  /** per-key: one queue per worker chosen by the key; shared: any worker takes any message; partition: the broker's partitions. */
  routing: 'per-key' | 'shared' | 'partition';
  /** The routing key as written, for per-key routing. */
  key: string | null;
  /** "kafkajs", "java.util.concurrent", "goroutines", "concurrent.futures", … */
  framework: string;
}

export interface DistributedTransactionParams {
  protocol: 'local' | 'xa-2pc' | 'saga' | 'tcc' | 'outbox';
  /** Resources, services or steps taking part, as named in the code. */
  participants: string[];
  /** Saga steps with their compensation (null when a step has none). */
  steps: { name: string; compensation: string | null }[] | null;
}

export interface ParamsByConcept {
  'modulo-sharding': ModuloShardingParams;
  'hash-function': HashFunctionParams;
  'hash-table': HashTableParams;
  'hash-ring': HashRingParams;
  'http-keepalive': HttpKeepAliveParams;
  'connection-pool': ConnectionPoolParams;
  idempotency: IdempotencyParams;
  'ordered-consumption': OrderedConsumptionParams;
  'distributed-transaction': DistributedTransactionParams;
}

export type FindingOf<C extends Concept> = {
  concept: C;
  /** 0…1: how sure the recogniser is that the code implements the concept. */
  confidence: number;
  range: Range;
  params: ParamsByConcept[C];
  risks: Risk[];
  /** The code that matched, shortened to one line, so a reader sees why. */
  evidence: string;
};

export type Finding = { [C in Concept]: FindingOf<C> }[Concept];

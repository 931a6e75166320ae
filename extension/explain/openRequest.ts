/**
 * What the host needs to open an inspector preloaded from a finding: which inspector, the
 * configuration to create its session with (overrides of the factory's defaults), and the intents
 * to dispatch once it is open, all in the terms of that inspector's protocol file, so the host
 * validates them with the same schemas as any webview message and the user can undo them on the
 * timeline.
 */
import type { HashTableConfig, HashTableIntent } from '../protocol/hashtable';
import type { IdempotencyConfig, IdempotencyIntent } from '../protocol/idempotency';
import type { KeepAliveIntent, KeepAliveSettings } from '../protocol/keepalive';
import type { RingConfig, RingIntent } from '../protocol/ring';
import type { PoolIntent, PoolModelConfig } from '../protocol/pool';
import type { ProtocolName, TxnConfig, TxnIntent } from '../protocol/txn';
import { defaultSimServerSettings } from '../engines/pool';
import { presetSettings } from '../engines/keepalive';
import { defaultSettings } from '../protocol/idempotency';
import type {
  ConnectionPoolParams, DistributedTransactionParams, Finding, HashFunctionParams, HashRingParams, HashTableParams,
  HttpKeepAliveParams, IdempotencyParams, ModuloShardingParams, OrderedConsumptionParams,
} from './finding';
import { EXAMPLE_SERVERS, pointsPerServer } from './measure/hashRing';
import { poolConfigFor } from './measure/poolDefaults';
import { EXAMPLE_SHARDS, engineHash, RING_VNODES } from './measure/moduloSharding';
import { serverNames } from './measure/ringPlacement';

interface Inspectors {
  ring: { config: RingConfig; intent: RingIntent };
  hashtable: { config: HashTableConfig; intent: HashTableIntent };
  keepalive: { config: KeepAliveSettings; intent: KeepAliveIntent };
  idempotency: { config: IdempotencyConfig; intent: IdempotencyIntent };
  txn: { config: TxnConfig; intent: TxnIntent };
  pool: { config: PoolModelConfig; intent: PoolIntent };
}

export type OpenRequest = {
  [K in keyof Inspectors]: {
    kind: K;
    /** The button's words, e.g. "Open the Hash Ring with these 4 servers". */
    title: string;
    /** Overrides of the inspector's default configuration for the new session. */
    config: Partial<Inspectors[K]['config']>;
    /** Dispatched in order once the session is open; each one a timeline step the user can scrub back over. */
    intents: Inspectors[K]['intent'][];
  };
}[keyof Inspectors];

/** Keys inserted when an inspector opens, so the picture is populated at once. */
const OPEN_KEYS = 10_000;
const TABLE_KEYS = 1000;

export function openRequestFor(f: Finding): OpenRequest | null {
  switch (f.concept) {
    case 'modulo-sharding': return moduloSharding(f.params);
    case 'hash-ring': return hashRing(f.params);
    case 'hash-function': return hashFunction(f.params);
    case 'hash-table': return hashTable(f.params);
    case 'http-keepalive': return keepAlive(f.params);
    case 'connection-pool': return pool(f.params);
    case 'idempotency': return idempotency(f.params);
    case 'ordered-consumption': return ordering(f.params);
    case 'distributed-transaction': return transaction(f.params);
  }
}

function moduloSharding(p: ModuloShardingParams): OpenRequest {
  const n = p.n !== null && Number.isInteger(p.n) && p.n >= 1 && p.n <= 1000 ? p.n : EXAMPLE_SHARDS;
  const servers = serverNames(n, null);
  return {
    kind: 'ring',
    title: `Open the Hash Ring with hash % ${n} and add a server`,
    config: { scheme: 'modulo', servers: servers.map((name) => ({ name })), hash: engineHash(p.hash), vnodes: RING_VNODES },
    intents: [{ type: 'insertKeys', count: OPEN_KEYS }, { type: 'addServer', name: serverNames(n + 1, servers)[n]! }],
  };
}

function hashRing(p: HashRingParams): OpenRequest {
  const n = p.serverCount !== null && p.serverCount >= 2 && p.serverCount <= 1000 ? p.serverCount : EXAMPLE_SERVERS;
  const points = pointsPerServer(p);
  return {
    kind: 'ring',
    title: `Open the Hash Ring with ${n} servers${points !== null && (p.scheme === 'ring' || p.scheme === 'ketama') ? `, ${points} points each` : ''}`,
    config: {
      scheme: p.scheme,
      servers: serverNames(n, p.servers).map((name) => ({ name })),
      hash: engineHash(p.hash),
      ...(points !== null ? { vnodes: Math.min(2000, Math.max(1, points)) } : {}),
    },
    intents: [{ type: 'insertKeys', count: OPEN_KEYS }, { type: 'compareSchemes' }],
  };
}

function hashFunction(p: HashFunctionParams): OpenRequest | null {
  const hash = p.known !== null && ['fnv1a32', 'murmur3_32', 'xxhash32', 'djb2', 'java', 'crc32'].includes(p.known) ? (p.known as HashTableConfig['hash']) : null;
  if (!hash) return null;
  return {
    kind: 'hashtable',
    title: `Open the Hash Table with ${p.known}`,
    config: { hash, strategy: 'chaining' },
    intents: [{ type: 'bulkInsert', generator: 'sequential', count: TABLE_KEYS }, ...(hash === 'java' ? [{ type: 'bulkInsert' as const, generator: 'adversarial' as const, count: 64 }] : [])],
  };
}

const TABLE_STRATEGY: Record<NonNullable<HashTableParams['collision']>, HashTableConfig['strategy']> = {
  chaining: 'chaining', 'linear-probing': 'linear', 'quadratic-probing': 'quadratic', 'double-hashing': 'double',
};

function hashTable(p: HashTableParams): OpenRequest | null {
  const java = p.implementation.startsWith('java.util.');
  if (!java && p.implementation !== 'custom') return null;
  const strategy = java ? 'chaining' : p.collision ? TABLE_STRATEGY[p.collision] : 'chaining';
  const maxLoad = p.loadFactor !== null ? Math.min(strategy === 'chaining' ? 16 : 0.95, Math.max(0.05, p.loadFactor)) : 0.75;
  const initialSize = p.capacity !== null && p.capacity >= 2 ? Math.min(1 << 20, 2 ** Math.ceil(Math.log2(p.capacity))) : 16;
  const fill = Math.min(100_000, Math.max(TABLE_KEYS, Math.round(p.capacity ?? TABLE_KEYS)));
  return {
    kind: 'hashtable',
    title: `Open the Hash Table with ${java ? p.implementation.replace(/^java\.util\.(concurrent\.)?/, '') + "'s" : 'these'} settings`,
    config: { strategy, hash: java ? 'java' : 'murmur3_32', sizes: 'pow2', initialSize, maxLoad, minLoad: 0 },
    intents: [{ type: 'bulkInsert', generator: 'sequential', count: fill }],
  };
}

function keepAlive(p: HttpKeepAliveParams): OpenRequest {
  const race = p.clientIdleTimeoutMs === null || (p.serverKeepAliveTimeoutMs !== null && p.clientIdleTimeoutMs >= p.serverKeepAliveTimeoutMs);
  const settings = presetSettings(p.keepAlive === false ? 'no-keepalive' : 'keepalive', /undici/.test(p.library) ? 'undici' : 'node');
  if (p.serverKeepAliveTimeoutMs !== null) settings.server.keepAliveTimeoutMs = clamp(p.serverKeepAliveTimeoutMs, 0, 600_000);
  if (p.clientIdleTimeoutMs !== null) settings.client.idleTimeoutMs = clamp(p.clientIdleTimeoutMs, 0, 600_000);
  if (p.maxSockets !== null) settings.client.maxSockets = clamp(p.maxSockets, 1, 256);
  if (p.maxIdle !== null) settings.client.maxFreeSockets = clamp(p.maxIdle, 1, 256);
  return {
    kind: 'keepalive',
    title: race && p.keepAlive !== false ? 'Open HTTP Keep-Alive with these timeouts and run the race' : 'Open HTTP Keep-Alive with these settings',
    config: settings,
    intents: [{ type: 'configure', settings }, ...(race && p.keepAlive !== false ? [{ type: 'run' as const, preset: 'race' as const }] : [{ type: 'run' as const }])],
  };
}

function pool(p: ConnectionPoolParams): OpenRequest {
  const waitTimeoutS = p.serverWaitTimeoutS !== null ? clamp(Math.round(p.serverWaitTimeoutS), 1, 31_536_000) : defaultSimServerSettings.waitTimeoutS;
  return {
    kind: 'pool',
    title: `Open the Connection Pool with these settings${p.serverWaitTimeoutS !== null ? ` and wait_timeout ${waitTimeoutS} s` : ''}`,
    config: { pool: poolConfigFor(p), embedded: { ...defaultSimServerSettings, waitTimeoutS } },
    // Let the server's idle timeout pass once, so the first view shows what it did to idle connections.
    intents: [{ type: 'wait', ms: Math.min(600_000, (waitTimeoutS + 1) * 1000) }],
  };
}

function idempotency(p: IdempotencyParams): OpenRequest {
  const ttlMs = p.ttlSeconds !== null && p.ttlSeconds > 0 ? clamp(Math.round(p.ttlSeconds * 1000), 1, 86_400_000) : defaultSettings().ttlMs;
  return {
    kind: 'idempotency',
    title: `Open Idempotency with the ${p.store === 'sql' ? 'strong' : 'weak'} check${p.ttlSeconds !== null ? ` and a ${p.ttlSeconds} s TTL` : ''}`,
    config: {},
    intents: [{ type: 'setCheck', check: p.store === 'sql' ? 'strong' : 'weak' }, { type: 'setTtl', ttlMs }, { type: 'send', count: 200 }],
  };
}

function ordering(p: OrderedConsumptionParams): OpenRequest {
  const workers = p.workers !== null && p.workers >= 1 ? clamp(Math.round(p.workers), 1, 64) : 4;
  const dispatch = p.routing === 'shared' ? 'roundrobin' : 'keyhash';
  return {
    kind: 'idempotency',
    title: `Open Ordering with ${workers} workers, ${dispatch === 'keyhash' ? 'routed by key' : 'shared queue'}`,
    config: {},
    intents: [
      { type: 'setWorkers', workers },
      { type: 'setDispatch', dispatch, ...(p.framework === 'kafkajs' || p.routing === 'partition' ? { partitioner: 'kafka' as const } : {}) },
      { type: 'send', count: 200 },
    ],
  };
}

const TXN_PROTOCOL: Record<DistributedTransactionParams['protocol'], ProtocolName | null> = { 'xa-2pc': '2pc', saga: 'saga', tcc: 'tcc', outbox: 'outbox', local: null };

function transaction(p: DistributedTransactionParams): OpenRequest | null {
  const protocol = TXN_PROTOCOL[p.protocol];
  if (!protocol) return null;
  const participants = clamp(p.participants.length, 2, 12);
  return {
    kind: 'txn',
    title: `Open Distributed Transactions: ${protocol} with ${participants} participants`,
    config: { initial: { protocol, participants, faults: [] } },
    intents: [{ type: 'explore', spec: { protocol, participants: Math.min(participants, 3), crashes: 1 } }],
  };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

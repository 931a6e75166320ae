/**
 * The real store: Redis through ioredis. The weak check is one `SET key value NX PX ttl` command;
 * the strong check's state transitions are Lua scripts, which Redis runs atomically, so racing
 * consumers cannot interleave between reading a record and writing it.
 *
 * The client is set up to fail fast instead of hanging: no offline queue (a command while
 * disconnected is rejected at once), no resending of commands after a reconnect (a command whose
 * reply was lost must not run twice behind the caller's back), and a timeout on every command.
 * Every failure to reach Redis becomes a `RedisUnavailableError` that says what to do.
 */
import Redis from 'ioredis';
import { UserError } from '../core/model';
import type { BeginReply, CompleteReply, IdempotencyStore, StoreEntry } from './store';
import { corruptKeyMessage } from './store';
import { describeRedisUrl, parseRedisUrl } from './redisUrl';

// Mirrors decideBegin() in store.ts; the contract tests hold both stores to the same answers.
const BEGIN_LUA = `
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('SET', KEYS[1], cjson.encode({state = 'in_progress', fp = ARGV[1], owner = ARGV[2]}), 'PX', ARGV[3])
  return {'acquired'}
end
local ok, rec = pcall(cjson.decode, raw)
if not ok or type(rec) ~= 'table' or type(rec.fp) ~= 'string' then return {'corrupt'} end
if rec.fp ~= ARGV[1] then return {'conflict', rec.fp} end
if rec.state == 'in_progress' then return {'in_progress', rec.owner or '', redis.call('PTTL', KEYS[1])} end
if rec.state == 'succeeded' or rec.state == 'failed' then return {rec.state, rec.result or ''} end
return {'corrupt'}
`;

const COMPLETE_LUA = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 'lost' end
local ok, rec = pcall(cjson.decode, raw)
if not ok or type(rec) ~= 'table' or rec.state ~= 'in_progress' or rec.owner ~= ARGV[1] then return 'lost' end
redis.call('SET', KEYS[1], cjson.encode({state = ARGV[2], fp = rec.fp, result = ARGV[3]}), 'PX', ARGV[4])
return 'ok'
`;

interface ScriptedRedis extends Redis {
  idemBegin(key: string, fp: string, owner: string, leaseMs: number): Promise<unknown[]>;
  idemComplete(key: string, owner: string, outcome: string, result: string, ttlMs: number): Promise<string>;
}

/** Redis could not be reached or stopped answering. */
export class RedisUnavailableError extends UserError {}

export interface RedisStoreOptions {
  /** How long to wait for the connection (ms). */
  connectTimeoutMs?: number;
  /** How long any one command may take before it fails (ms). */
  commandTimeoutMs?: number;
}

export class RedisStore implements IdempotencyStore {
  readonly kind = 'redis' as const;
  readonly where: string;

  /** The socket's last error (ECONNREFUSED…), which says more than the command's "Connection is closed." */
  private lastSocketError: string | undefined;

  private constructor(private readonly redis: ScriptedRedis, url: string) {
    this.where = describeRedisUrl(url);
    // Without a listener an 'error' event would throw; failures surface through the commands.
    redis.on('error', (e: Error) => { this.lastSocketError = e.message; });
    redis.on('ready', () => { this.lastSocketError = undefined; });
  }

  /** Connects and checks the server answers; throws RedisUnavailableError if it does not. */
  static async connect(url: string, opts: RedisStoreOptions = {}): Promise<RedisStore> {
    const target = parseRedisUrl(url);
    const redis = new Redis({
      ...target,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: opts.connectTimeoutMs ?? 2000,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      // Reconnect briefly after a drop, then give up; the next step reconnects on demand.
      retryStrategy: (times) => (times <= 3 ? 100 * times : null),
      protocol: 2,
      disableClientInfo: true,
    }) as ScriptedRedis;
    redis.defineCommand('idemBegin', { numberOfKeys: 1, lua: BEGIN_LUA });
    redis.defineCommand('idemComplete', { numberOfKeys: 1, lua: COMPLETE_LUA });
    const store = new RedisStore(redis, url);
    await store.ensureConnected();
    return store;
  }

  /** Reconnects if the client gave up after a drop; throws RedisUnavailableError if Redis is still away. */
  async ensureConnected(): Promise<void> {
    if (this.redis.status === 'ready') return;
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end' || this.redis.status === 'close') await this.redis.connect();
      await this.redis.ping();
    } catch (e) {
      this.redis.disconnect();
      throw this.unavailable(e, 'connect to');
    }
  }

  private unavailable(e: unknown, doing: string): RedisUnavailableError {
    // With retries off, ioredis reports a dropped connection as "max retries per request"; say what happened.
    const message = e instanceof Error ? (e.name === 'MaxRetriesPerRequestError' ? 'the connection was lost' : e.message) : String(e);
    const why = this.lastSocketError ?? message;
    // The server's own error codes: it is up, but wants (other) credentials.
    if (/\bNOAUTH\b/.test(why))
      return new RedisUnavailableError(`Redis at ${this.where} needs a password (${why}). Give its password, or switch to the in-memory store ("Use In-Memory Store").`);
    if (/\bWRONGPASS\b|invalid password/i.test(why))
      return new RedisUnavailableError(`Redis at ${this.where} refused the user name or password (${why}). Give the right password, or switch to the in-memory store ("Use In-Memory Store").`);
    return new RedisUnavailableError(
      `Could not ${doing} Redis at ${this.where} (${why}). Start redis-server or check the URL, or switch to the in-memory store ("Use In-Memory Store").`,
    );
  }

  /** Runs one command; a Redis error reply is passed on as is, anything else means Redis is unreachable. */
  private async run<T>(doing: string, cmd: () => Promise<T>): Promise<T> {
    try {
      return await cmd();
    } catch (e) {
      if (e instanceof Error && e.name === 'ReplyError') throw e;
      throw this.unavailable(e, doing);
    }
  }

  async setNx(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run('write to', () => this.redis.set(key, value, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  get(key: string): Promise<string | null> {
    return this.run('read from', () => this.redis.get(key));
  }

  del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.run('write to', () => this.redis.del(...keys));
  }

  pttl(key: string): Promise<number> {
    return this.run('read from', () => this.redis.pttl(key));
  }

  async begin(key: string, fingerprint: string, owner: string, leaseMs: number): Promise<BeginReply> {
    const r = await this.run('write to', () => this.redis.idemBegin(key, fingerprint, owner, leaseMs));
    const status = r[0];
    switch (status) {
      case 'acquired':
        return { status };
      case 'in_progress':
        return { status, owner: String(r[1]), ttlMs: Number(r[2]) };
      case 'succeeded':
      case 'failed':
        return { status, result: String(r[1]) };
      case 'conflict':
        return { status, fingerprint: String(r[1]) };
      default:
        throw new Error(corruptKeyMessage(key));
    }
  }

  async complete(key: string, owner: string, outcome: 'succeeded' | 'failed', result: string, ttlMs: number): Promise<CompleteReply> {
    const r = await this.run('write to', () => this.redis.idemComplete(key, owner, outcome, result, ttlMs));
    return r === 'ok' ? 'ok' : 'lost';
  }

  async scan(prefix: string, limit: number): Promise<{ entries: StoreEntry[]; total: number }> {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.run('read from', () => this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    // Message ids grow, so the numerically last keys are the newest (the in-memory store lists newest first too).
    const shown = keys.sort((a, b) => b.localeCompare(a, 'en', { numeric: true })).slice(0, limit);
    const pipe = this.redis.pipeline();
    for (const k of shown) pipe.get(k).pttl(k);
    const replies = shown.length ? ((await this.run('read from', () => pipe.exec())) ?? []) : [];
    const entries: StoreEntry[] = [];
    for (let i = 0; i < shown.length; i++) {
      const [errV, v] = replies[2 * i] ?? [];
      const [errT, t] = replies[2 * i + 1] ?? [];
      // A key that expired between SCAN and GET is simply gone.
      if (errV || errT || typeof v !== 'string' || typeof t !== 'number' || t === -2) continue;
      entries.push({ key: shown[i]!, value: v, pttlMs: t });
    }
    return { entries, total: keys.length };
  }

  async close(): Promise<void> {
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
    } catch {
      // Closing a connection that is already gone is not a failure.
    }
    this.redis.disconnect();
  }
}

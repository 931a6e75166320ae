/**
 * A pool's settings, named after HikariCP's where they mean the same thing (maxUses after
 * node-postgres, maxIdle after mysql2). Times are in ms and 0 switches a feature off.
 */
import { UserError } from '../core/model';
import { arr, bool, int, obj, str, type Infer } from '../core/schema';

const DAY_MS = 86_400_000;

export const poolConfigSchema = obj({
  /** Idle connections the pool keeps open, opening more in the background when it has fewer. */
  minIdle: int({ min: 0, max: 1000 }),
  /** Connections at most, idle and in use together; borrowers beyond it wait in a FIFO queue. */
  maxSize: int({ min: 1, max: 1000 }),
  /** Idle connections above this are closed when nobody is waiting for them. */
  maxIdle: int({ min: 0, max: 1000 }),
  /** A connection is closed after this many borrows (1 = connect per request); 0 = no limit. */
  maxUses: int({ min: 0, max: 1_000_000_000 }),
  /** How long a borrower waits in the queue before giving up with an acquire timeout. */
  acquireTimeoutMs: int({ min: 1, max: DAY_MS }),
  /** An idle connection above minIdle unused this long is closed. */
  idleTimeoutMs: int({ min: 0, max: DAY_MS }),
  /** A connection this old is closed when idle (or when returned). */
  maxLifetimeMs: int({ min: 0, max: DAY_MS }),
  /** An idle connection with no traffic this long gets a ping, which also resets the server's wait_timeout. */
  keepaliveMs: int({ min: 0, max: DAY_MS }),
  /** Ping a connection before handing it out; a dead one is discarded and the borrower gets another. */
  validateOnBorrow: bool(),
  /** A connection borrowed this long is reported as a probable leak, with the borrower's stack. */
  leakThresholdMs: int({ min: 0, max: DAY_MS }),
  /** Statements every new connection runs before first use, e.g. SET SESSION wait_timeout = 2. */
  initSql: arr(str({ min: 1, max: 500 }), { max: 10 }),
});
export type PoolConfig = Infer<typeof poolConfigSchema>;

export const defaultPoolConfig: PoolConfig = {
  minIdle: 2,
  maxSize: 4,
  maxIdle: 4,
  maxUses: 0,
  acquireTimeoutMs: 2_000,
  idleTimeoutMs: 60_000,
  maxLifetimeMs: 1_800_000,
  keepaliveMs: 0,
  validateOnBorrow: false,
  leakThresholdMs: 0,
  initSql: [],
};

/** The cross-field rules a schema cannot say; throws a UserError naming the conflict. */
export function checkPoolConfig(c: PoolConfig): PoolConfig {
  if (c.minIdle > c.maxSize) throw new UserError(`minIdle (${c.minIdle}) is above maxSize (${c.maxSize}): the pool can never hold that many idle connections. Lower minIdle or raise maxSize.`);
  if (c.maxIdle > c.maxSize) throw new UserError(`maxIdle (${c.maxIdle}) is above maxSize (${c.maxSize}). Lower maxIdle to at most maxSize.`);
  if (c.minIdle > c.maxIdle) throw new UserError(`minIdle (${c.minIdle}) is above maxIdle (${c.maxIdle}): the pool would open idle connections only to close them. Make minIdle ≤ maxIdle.`);
  if (c.keepaliveMs > 0 && c.maxLifetimeMs > 0 && c.keepaliveMs >= c.maxLifetimeMs)
    throw new UserError(`keepaliveMs (${c.keepaliveMs}) is not below maxLifetimeMs (${c.maxLifetimeMs}): connections would retire before their first ping. Lower keepaliveMs.`);
  return c;
}

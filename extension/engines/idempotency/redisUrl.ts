/**
 * Redis URLs: redis://[user[:password]@]host[:port][/db]. Parsing, the form that may be shown,
 * logged or recorded (host, port and database, never credentials), and adding a password kept
 * elsewhere. Free of the Redis client, so the extension host can check a URL without loading it.
 */
import { UserError } from '../core/model';

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** The URL as typed, with any credentials masked: safe to put in an error message. */
function masked(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^@/?#]*@/i, '$1***@');
}

export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`"${masked(url)}" is not a Redis URL. Write it as redis://HOST:PORT, for example redis://127.0.0.1:6379.`);
  }
  if (u.protocol !== 'redis:') throw new UserError(`"${u.protocol}" URLs are not supported here; write a redis:// URL, for example redis://127.0.0.1:6379.`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db) || db < 0 || db > 15)
    throw new UserError(`"${dbText}" is not a Redis database number; use /0 … /15 after the port, or nothing for database 0.`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new UserError(`The Redis URL "${masked(url)}" has no host; write it as redis://HOST:PORT.`);
  return {
    host,
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** A redis:// URL as the user may read it back: host, port and database, never the password. */
export function describeRedisUrl(url: string): string {
  const u = parseRedisUrl(url);
  return `redis://${u.host}:${u.port}${u.db ? `/${u.db}` : ''}`;
}

/** The URL with `password` in place of any it had (keeping its user name). */
export function withRedisPassword(url: string, password: string): string {
  parseRedisUrl(url);
  const u = new URL(url);
  // encodeURIComponent first: the setter alone would leave a literal "%" to be misread as an escape.
  u.password = encodeURIComponent(password);
  return u.toString();
}

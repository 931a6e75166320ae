/**
 * Where a real MySQL/MariaDB server is and how to log in, and what to tell the user when that
 * fails. The password is never part of the settings that get shown, logged or exported: it is
 * passed separately (the host keeps it in SecretStorage, the CLI reads DSI_MYSQL_PASSWORD).
 */
import type { mysqlSettingsSchema } from '../../protocol/pool';
import { UserError } from '../core/model';
import type { Infer } from '../core/schema';
import type { DriverError } from './driver';

export type MysqlSettings = Infer<typeof mysqlSettingsSchema>;

/** mysql://user@host:port/db, without the password. */
export function describeTarget(s: MysqlSettings): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `mysql://${encodeURIComponent(s.user)}@${host}:${s.port}/${encodeURIComponent(s.database)}`;
}

/** Checks settings that came from a user or a webview before any socket is opened. */
export function checkSettings(s: MysqlSettings): void {
  if (!s.host.trim()) throw new UserError('The MySQL host is empty. Enter a host name or address, e.g. 127.0.0.1.');
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new UserError(`The MySQL port ${s.port} is not a TCP port. Use a number from 1 to 65535 (MySQL listens on 3306 by default).`);
  if (!s.user) throw new UserError('The MySQL user is empty. Enter the account to log in with.');
  if (!s.database) throw new UserError('The MySQL database is empty. Enter the schema to connect to (any existing one will do; the inspector creates no tables).');
}

/**
 * Parses mysql://user[:password]@host[:port]/database. The password, when the URL has one, is
 * returned apart from the settings so it can be kept out of everything that is displayed.
 */
export function parseMysqlUrl(url: string): { settings: MysqlSettings; password?: string } {
  // Messages quote the URL with any password masked: they end up in logs and terminals.
  const shown = url.replace(/^([^:/]+:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`"${shown}" is not a URL. Write it as mysql://user@host:port/database.`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') throw new UserError(`The URL scheme is "${u.protocol}", not "mysql:". Write it as mysql://user@host:port/database.`);
  if (!u.username) throw new UserError(`The URL ${shown} names no user. Write it as mysql://user@host:port/database.`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw new UserError(`The URL ${shown} names no database (or more than one path segment). Write it as mysql://user@host:port/database.`);
  const settings: MysqlSettings = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    database,
  };
  checkSettings(settings);
  return u.password ? { settings, password: decodeURIComponent(u.password) } : { settings };
}

/** How a refused login is worded, so the host can tell it from other failures and ask for the password again. */
const REFUSED_LOGIN = 'refused the login for user';
export const isRefusedLogin = (message: string): boolean => message.includes(REFUSED_LOGIN);

/** What failed, why, and what to do, for a connection the server or the network refused. */
export function explainConnectError(e: DriverError, s: MysqlSettings): string {
  const where = `${s.host}:${s.port}`;
  const target = describeTarget(s);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Could not connect to MySQL at ${where}: nothing is listening there (connection refused). Start the server, or check the host and port (MySQL's default port is 3306).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not connect to MySQL at ${where}: the host name "${s.host}" does not resolve. Check the spelling, or use an IP address.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Could not connect to MySQL at ${where}: the server did not answer (${e.code}). Check that the host is reachable and that no firewall drops port ${s.port}.`;
    case 'ER_ACCESS_DENIED_ERROR':
      return `MySQL at ${where} ${REFUSED_LOGIN} "${s.user}": ${e.message}. Check the user name and password (the password is kept in VS Code's secret storage; enter it again when asked).`;
    case 'ER_DBACCESS_DENIED_ERROR':
      return `MySQL at ${where} accepted user "${s.user}" but denied access to database "${s.database}": ${e.message}. Use a database this user may access, or GRANT it access.`;
    case 'ER_BAD_DB_ERROR':
      return `MySQL at ${where} has no database "${s.database}": ${e.message}. Use an existing database (the inspector creates no tables; any schema will do), or create it with CREATE DATABASE.`;
    case 'ER_HOST_NOT_PRIVILEGED':
    case 'ER_HOST_IS_BLOCKED':
      return `MySQL at ${where} does not accept connections from this machine: ${e.message}. Allow this host for user "${s.user}" on the server.`;
    case 'ER_CON_COUNT_ERROR':
      return `MySQL at ${where} refused the connection: all its max_connections are in use. Close other clients or raise max_connections, then retry.`;
    default:
      return `Could not connect to ${target}: ${e.message} (${e.code}). Check the connection settings and that the server is running.`;
  }
}

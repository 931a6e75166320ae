/**
 * A throwaway MariaDB for contract tests and benchmarks: `mariadb-install-db` into a temp
 * directory, `mariadbd` on a free loopback port with its own socket, a password-protected test
 * user and database, and a stop that removes it all. Never touches the machine's own server.
 * Installs Debian's mariadb-server when the binaries are missing.
 */
import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2';
import { ensureBinary, freePort, makeTempDir, startServer, type ServerProcess } from './process';

export interface MariaDbService {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** A user with every privilege (needed for SET GLOBAL and KILL), reachable over TCP. */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly maxConnections: number;
  /** Runs SQL as root over the server's private socket; for setup outside the code under test. */
  rootQuery(sql: string): Promise<unknown>;
  stop(): Promise<void>;
}

export interface MariaDbOptions {
  /** The server's max_connections (MariaDB accepts 10 at the least); default 20. */
  maxConnections?: number;
}

function rootQueryOver(socketPath: string, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = createConnection({ socketPath, user: 'root', connectTimeout: 2000, multipleStatements: true });
    conn.once('error', reject);
    conn.query(sql, (err, rows) => {
      conn.destroy();
      if (err) reject(err);
      else resolve(rows);
    });
  });
}

export async function startMariaDb(opts: MariaDbOptions = {}): Promise<MariaDbService> {
  const installDb = ensureBinary('mariadb-install-db', 'mariadb-server');
  const mariadbd = ensureBinary('mariadbd', 'mariadb-server');
  const dir = makeTempDir('dsi-mariadb');
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  // mariadbd refuses to run as root unless told to, and then must be told which user it is.
  const asUser = [`--user=${userInfo().username}`];

  const install = spawnSync(installDb, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser], { encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed (${install.error?.message ?? `exit ${install.status}`}):\n${(install.stderr || install.stdout).slice(-2000)}`);

  const port = await freePort();
  const maxConnections = opts.maxConnections ?? 20;
  if (maxConnections < 10) throw new Error(`maxConnections ${maxConnections} is below MariaDB's minimum of 10.`);
  const server: ServerProcess = await startServer({
    name: 'mariadbd',
    binary: mariadbd,
    port,
    dir,
    args: [
      '--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--skip-networking=0', '--bind-address=127.0.0.1', `--port=${port}`, ...asUser,
      `--max-connections=${maxConnections}`, '--skip-name-resolve', '--skip-log-bin', '--performance-schema=OFF',
      '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=8M', '--skip-innodb-doublewrite',
    ],
    ready: async () => (await rootQueryOver(socket, 'SELECT 1'), true),
  });

  const user = 'dsi';
  const password = 'dsi-test-secret';
  const database = 'dsi_test';
  try {
    await rootQueryOver(socket, [
      `CREATE DATABASE ${database}`,
      `CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`,
      `GRANT ALL PRIVILEGES ON *.* TO '${user}'@'127.0.0.1'`,
    ].join(';'));
  } catch (e) {
    await server.stop();
    throw new Error(`MariaDB started but the test user could not be created: ${(e as Error).message}`);
  }

  return {
    host: '127.0.0.1', port, user, password, database, maxConnections,
    rootQuery: (sql) => rootQueryOver(socket, sql),
    stop: () => server.stop(),
  };
}

/**
 * A throwaway Redis for contract tests and benchmarks: Debian's `redis-server` on a free loopback
 * port, with no persistence (`--save "" --appendonly no`) in a temp directory, and a stop that
 * removes it. Never the machine's own server on 6379. Installs redis-server when it is missing.
 */
import { connect } from 'node:net';
import { ensureBinary, freePort, makeTempDir, startServer, type ServerProcess } from './process';

export interface RedisService {
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  /** Stops the server at once (no graceful save: it keeps nothing) and removes its directory. */
  stop(): Promise<void>;
}

/** True once the server answers PING (with PONG, or NOAUTH when it wants a password); accepting TCP is not enough while it loads. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => { sock.destroy(); resolve(ok); };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

/** `password`: the server asks for it (`requirepass`), as a production Redis does. */
export async function startRedis(opts: { password?: string } = {}): Promise<RedisService> {
  const binary = ensureBinary('redis-server', 'redis-server');
  const dir = makeTempDir('dsi-redis');
  const port = await freePort();
  const server: ServerProcess = await startServer({
    name: 'redis-server',
    binary,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning', ...(opts.password !== undefined ? ['--requirepass', opts.password] : [])],
    port,
    dir,
    ready: () => answersPing(port),
    timeoutMs: 20_000,
  });
  return { port, url: `redis://127.0.0.1:${port}`, stop: () => server.stop(2000) };
}

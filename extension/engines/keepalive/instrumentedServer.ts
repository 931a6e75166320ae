/**
 * The experiment's server: a real `node:http` server on 127.0.0.1 (ephemeral port) with the
 * settings under test, watching its own sockets. For every response it reads the idle timer Node
 * arms on the socket (keepAliveTimeout plus Node's own buffer: the server's true deadline, read
 * rather than assumed) and tells whoever asked, in the same turn of the event loop, so a client
 * can aim a request at the very moment the server closes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerSettings } from '../../protocol/keepalive';
import { UserError } from '../core/model';
import type { RunRecorder } from './recorder';
import type { SocketTracker } from './socketTracker';

/** Request header carrying the run's request number, so both ends speak of the same request. */
export const REQUEST_ID_HEADER = 'x-dsi-request';

export class InstrumentedServer {
  private readonly idleWatchers = new Map<number, (timeoutMs: number) => void>();
  private readonly delays = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(settings: ServerSettings, tracker: SocketTracker, rec: RunRecorder): Promise<InstrumentedServer> {
    const server = createServer({
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      // Node enforces headersTimeout on this period; the default (30 s) would blur short timeouts.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(settings.headersTimeoutMs / 4))),
    });
    let self: InstrumentedServer | undefined;
    server.on('connection', (socket: Socket) => tracker.serverSocket(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => self?.handle(req, res, settings, tracker, rec));
    server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        tracker.serverIntent(socket, 'server-headers-timeout', `request headers did not arrive within headersTimeout ${settings.headersTimeoutMs} ms`);
        if (socket.writable) socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
        else socket.destroy();
        return;
      }
      // What Node does without a listener: a reset needs no answer, anything else gets a 400.
      if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
      });
    } catch (e) {
      throw new UserError(`Could not start the experiment's HTTP server on 127.0.0.1: ${(e as Error).message}. Check that loopback networking is available, then run again.`);
    }
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new UserError('The experiment server started without a TCP port; run again.');
    self = new InstrumentedServer(server, addr.port);
    return self;
  }

  /**
   * Calls `armed` in the very turn of the event loop in which the server arms its idle timer after
   * answering request `req` (with the timer's length), or never, if it does not arm one.
   */
  onIdleArmed(req: number, armed: (timeoutMs: number) => void): void {
    this.idleWatchers.set(req, armed);
  }

  forgetIdleWatch(req: number): void {
    this.idleWatchers.delete(req);
  }

  /** Closes every connection and the listening socket. */
  async close(): Promise<void> {
    for (const t of this.delays) clearTimeout(t);
    this.delays.clear();
    this.idleWatchers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, settings: ServerSettings, tracker: SocketTracker, rec: RunRecorder): void {
    const socket = req.socket;
    const id = Number(req.headers[REQUEST_ID_HEADER]) || 0;
    rec.emit({ e: 'arrive', at: rec.now(), req: id, socket: tracker.idOfServer(socket) });
    req.resume();
    const keepAlive = res.shouldKeepAlive;
    // Naming the Connection header ourselves stops Node from adding its Keep-Alive: timeout= hint.
    if (keepAlive && !settings.advertiseKeepAlive) res.setHeader('Connection', 'keep-alive');
    res.on('finish', () => {
      if (!keepAlive) {
        tracker.serverIntent(socket, 'server-connection-close', 'the request asked for Connection: close, so the server closed after answering');
        return;
      }
      // Node armed the idle timer in its own 'finish' listener, which ran just before this one.
      const timeoutMs = socket.timeout ?? 0;
      if (timeoutMs <= 0) return;
      rec.emit({ e: 'serverIdle', at: rec.now(), socket: tracker.idOfServer(socket), timeoutMs });
      const armed = this.idleWatchers.get(id);
      this.idleWatchers.delete(id);
      armed?.(timeoutMs);
    });
    const respond = (): void => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('ok\n');
    };
    if (settings.responseDelayMs <= 0) return respond();
    const t = setTimeout(() => { this.delays.delete(t); if (!res.destroyed) respond(); }, settings.responseDelayMs);
    this.delays.add(t);
    res.on('close', () => { clearTimeout(t); this.delays.delete(t); });
  }
}

/**
 * The `node:http` client: a real Agent with the settings under test, subclassed only at its two
 * documented extension points to watch sockets being created (createConnection) and kept after a
 * response (keepSocketAlive, where Node applies the free-socket timeout and the server's
 * `Keep-Alive: timeout=` hint, minus its fixed 1 s margin).
 */
import { Agent, request } from 'node:http';
import type { AgentOptions, ClientRequestArgs } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AttemptResult, ClientContext, HttpClient, SettledAttempt } from './httpClient';
import { attemptFailure, codedError } from './httpClient';
import { REQUEST_ID_HEADER } from './instrumentedServer';

class WatchedAgent extends Agent {
  constructor(
    opts: AgentOptions,
    private readonly watch: { created(s: Socket): void; kept(s: Socket, kept: boolean): void },
  ) {
    super(opts);
  }

  override createConnection(options: ClientRequestArgs, cb?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const s = super.createConnection(options, cb);
    if (s instanceof Socket) this.watch.created(s);
    return s;
  }

  // Node's implementation returns whether to keep the socket; its typings say void.
  override keepSocketAlive(socket: Duplex): boolean {
    const kept = (super.keepSocketAlive(socket) as unknown) !== false;
    if (socket instanceof Socket) this.watch.kept(socket, kept);
    return kept;
  }
}

export class NodeHttpClient implements HttpClient {
  private readonly agent: WatchedAgent;
  /** The Keep-Alive header of the last response on each socket, to explain the agent's choice. */
  private readonly hints = new WeakMap<Socket, string>();

  constructor(private readonly ctx: ClientContext) {
    const s = ctx.settings;
    this.agent = new WatchedAgent(
      { keepAlive: s.keepAlive, maxSockets: s.maxSockets, maxFreeSockets: s.maxFreeSockets, ...(s.idleTimeoutMs > 0 ? { timeout: s.idleTimeoutMs } : {}) },
      { created: (sock) => ctx.tracker.clientSocket(sock), kept: (sock, kept) => this.onKept(sock, kept) },
    );
    // Runs after the agent's own 'free' handler, which destroys a socket it will not keep.
    this.agent.on('free', (sock: Socket) => {
      if (sock.destroyed) ctx.tracker.clientIntent(sock, 'client-not-kept', `maxFreeSockets (${s.maxFreeSockets}) idle sockets were already kept`);
    });
  }

  send(req: number, attempt: number): Promise<SettledAttempt> {
    const { tracker, signal, attemptTimeoutMs, settings, port, method } = this.ctx;
    return new Promise<SettledAttempt>((resolve) => {
      let over = false;
      // Node frees the socket for the next request on the tick after the response's 'end' handlers: settle here, before that.
      const done = (r: AttemptResult): void => {
        if (over) return;
        over = true;
        clearTimeout(guard);
        resolve(this.ctx.settle(req, attempt, r));
      };
      const r = request({ host: '127.0.0.1', port, method, path: '/', agent: this.agent, headers: { [REQUEST_ID_HEADER]: String(req) }, signal });
      const guard = setTimeout(() => r.destroy(codedError('ETIMEDOUT', `no response within ${attemptTimeoutMs} ms`)), attemptTimeoutMs);
      r.on('socket', (sock) => {
        if (!(sock instanceof Socket)) return;
        const written = (): void => tracker.sent(sock, req, attempt);
        if (sock.connecting) sock.once('connect', written);
        else written();
      });
      r.on('response', (res) => {
        const sock = res.socket;
        const hint = res.headers['keep-alive'];
        if (sock instanceof Socket && typeof hint === 'string') this.hints.set(sock, hint);
        res.resume();
        res.on('end', () => {
          if (!settings.keepAlive && sock instanceof Socket) tracker.clientIntent(sock, 'client-no-keepalive', 'keep-alive is off: the client sent Connection: close and closes after the response');
          done({ ok: true, status: res.statusCode ?? 0 });
        });
        res.on('error', (e) => done(attemptFailure(e, signal)));
        res.on('close', () => { if (!res.complete) done(attemptFailure(codedError('ECONNRESET', 'the response was cut off'), signal)); });
      });
      r.on('error', (e) => done(attemptFailure(e, signal)));
      // The agent's `timeout` also applies while a request waits for its response.
      r.on('timeout', () => r.destroy(codedError('ETIMEDOUT', `the socket was silent for the client's timeout (${settings.idleTimeoutMs} ms) while waiting for the response`)));
      r.end();
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private onKept(sock: Socket, kept: boolean): void {
    const { tracker, rec, settings } = this.ctx;
    const hint = this.hints.get(sock);
    if (!kept) {
      tracker.clientIntent(sock, 'client-not-kept', `the server's hint "Keep-Alive: ${hint ?? '?'}" minus Node's 1 s margin leaves no time to reuse the socket`);
      return;
    }
    const timeoutMs = sock.timeout ?? 0;
    if (timeoutMs > 0) rec.emit({ e: 'clientIdle', at: rec.now(), socket: tracker.idOf(sock), timeoutMs, fromHint: timeoutMs !== settings.idleTimeoutMs });
  }
}

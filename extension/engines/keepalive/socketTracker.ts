/**
 * Follows every socket of a run from both ends. The client side registers each socket it creates;
 * the server side reports each connection it accepts, matched to the client socket by port (the
 * server's remote port is the client's local port on loopback). Each end notes when it decided to
 * close and why (an "intent": the server's idle timer fired, the agent's free-socket timer fired,
 * …), so when the client socket closes the tracker can say who started the close and why, even
 * when the close arrived as a reset in the middle of a request.
 */
import type { Socket } from 'node:net';
import type { CloseReason, CloseSide } from '../../protocol/keepalive';
import { roundMs } from './recorder';
import type { RunRecorder } from './recorder';

interface Intent {
  at: number;
  reason: CloseReason;
  detail?: string;
}

interface Track {
  id: number;
  socket: Socket;
  createdAt: number;
  connected: boolean;
  port: number;
  /** Requests written on this socket so far. */
  sent: number;
  inFlight: number;
  clientIntent?: Intent;
  serverIntent?: Intent;
  /** The server's FIN reached the client. */
  gotFin: boolean;
  errorCode?: string;
  closed: boolean;
}

/** Where a request attempt went. */
export interface SendRecord {
  socket: number;
  reused: boolean;
}

/** Codes meaning "the peer reset or closed the connection under us". */
const PEER_RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export class SocketTracker {
  private readonly tracks: Track[] = [];
  private readonly bySocket = new WeakMap<Socket, Track>();
  private readonly byPort = new Map<number, Track>();
  private readonly serverSide = new WeakMap<Socket, Track>();
  private readonly sends = new Map<number, { track: Track; reused: boolean }>();
  private open = 0;
  private onAllClosed: (() => void) | undefined;

  constructor(private readonly rec: RunRecorder) {}

  /** Registers a socket the client just created (connecting or already connected). */
  clientSocket(socket: Socket, createdAt = this.rec.now()): number {
    const t: Track = { id: this.tracks.length + 1, socket, createdAt, connected: false, port: 0, sent: 0, inFlight: 0, gotFin: false, closed: false };
    this.tracks.push(t);
    this.bySocket.set(socket, t);
    this.open++;
    const connected = (): void => {
      t.connected = true;
      t.port = socket.localPort ?? 0;
      this.byPort.set(t.port, t);
      const at = this.rec.now();
      this.rec.emit({ e: 'open', at, socket: t.id, port: t.port, connectMs: Math.max(0, roundMs(at - createdAt)) });
    };
    if (socket.connecting) socket.once('connect', connected);
    else connected();
    socket.on('end', () => { t.gotFin = true; });
    socket.on('error', (err: Error & { code?: string }) => this.onClientError(t, err));
    // The agent's own 'timeout' handler is installed after this one, so the socket is still ours to judge.
    socket.on('timeout', () => {
      if (t.inFlight === 0) this.clientIntent(socket, 'client-idle-timeout', `the client's idle timer fired after ${socket.timeout ?? 0} ms`);
    });
    socket.once('close', () => this.finish(t));
    return t.id;
  }

  /** Registers a connection the server accepted. */
  serverSocket(socket: Socket): void {
    const port = socket.remotePort ?? 0;
    const t = this.trackOfServer(socket);
    this.rec.emit({ e: 'accept', at: this.rec.now(), socket: t?.id ?? 0, port });
    socket.on('timeout', () => {
      // Node's server arms this timer only on idle keep-alive sockets and destroys the socket when it fires.
      this.serverIntent(socket, 'server-idle-timeout', `the server's idle timer fired after ${socket.timeout ?? 0} ms (keepAliveTimeout plus Node's buffer)`);
    });
  }

  /** The client socket id behind a server-side socket (0 when it cannot be matched). */
  idOfServer(socket: Socket): number {
    return this.trackOfServer(socket)?.id ?? 0;
  }

  idOf(socket: Socket): number {
    return this.bySocket.get(socket)?.id ?? 0;
  }

  /** Records that attempt `attempt` of request `req` was written on `socket`. */
  sent(socket: Socket, req: number, attempt: number): void {
    const t = this.bySocket.get(socket);
    if (!t) return;
    const reused = t.sent > 0;
    t.sent++;
    t.inFlight++;
    this.sends.set(req, { track: t, reused });
    this.rec.emit({ e: 'send', at: this.rec.now(), req, socket: t.id, reused, attempt });
  }

  /** Where request `req`'s latest attempt went, if it reached a socket. */
  sendOf(req: number): SendRecord | undefined {
    const s = this.sends.get(req);
    return s && { socket: s.track.id, reused: s.reused };
  }

  /** The latest attempt of `req` is over (response ended or failed); its socket may go idle. */
  settled(req: number): void {
    const s = this.sends.get(req);
    if (s && s.track.inFlight > 0) s.track.inFlight--;
    this.sends.delete(req);
  }

  clientIntent(socket: Socket, reason: CloseReason, detail?: string): void {
    const t = this.bySocket.get(socket);
    if (t && !t.clientIntent) t.clientIntent = { at: this.rec.now(), reason, ...(detail !== undefined ? { detail } : {}) };
  }

  serverIntent(serverSocket: Socket, reason: CloseReason, detail?: string): void {
    const t = this.trackOfServer(serverSocket);
    if (t && !t.serverIntent) t.serverIntent = { at: this.rec.now(), reason, ...(detail !== undefined ? { detail } : {}) };
  }

  /** The run is ending: whatever is still open is closed by the client because of that. */
  endRun(): void {
    for (const t of this.tracks) if (!t.closed) this.clientIntent(t.socket, 'run-ended', 'the experiment ended');
  }

  /** Resolves once every client socket has closed, or after `timeoutMs`, destroying stragglers. */
  async allClosed(timeoutMs: number): Promise<void> {
    if (this.open > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.onAllClosed = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      this.onAllClosed = undefined;
    }
    for (const t of this.tracks) if (!t.closed) t.socket.destroy();
  }

  private trackOfServer(socket: Socket): Track | undefined {
    const known = this.serverSide.get(socket);
    if (known) return known;
    const port = socket.remotePort;
    if (port === undefined) return undefined;
    let t = this.byPort.get(port);
    // The server may see the connection before the client's 'connect' event has run; the client
    // socket already has its local port then.
    if (!t || t.closed) t = this.tracks.find((x) => !x.closed && x.socket.localPort === port);
    if (t) this.serverSide.set(socket, t);
    return t;
  }

  private onClientError(t: Track, err: Error & { code?: string }): void {
    if (err.code === 'UND_ERR_INFO') {
      // undici closes sockets it no longer wants with an informational error; its message says why.
      if (/idle timeout/i.test(err.message)) this.clientIntent(t.socket, 'client-idle-timeout', "undici's keep-alive timer fired");
      else if (/reset/i.test(err.message)) this.clientIntent(t.socket, 'client-not-kept', 'undici would not keep the socket (Connection: close, or the Keep-Alive hint minus keepAliveTimeoutThreshold left no time)');
      return;
    }
    t.errorCode ??= err.code ?? err.name;
  }

  private finish(t: Track): void {
    if (t.closed) return;
    t.closed = true;
    this.open--;
    if (t.connected) {
      const { by, reason, detail } = this.closeCause(t);
      this.rec.emit({ e: 'close', at: this.rec.now(), socket: t.id, by, reason, ...(detail !== undefined ? { detail } : {}) });
    }
    if (this.open === 0) this.onAllClosed?.();
  }

  /** The earlier intent wins: that end started the close; a reset with no intent is blamed on the peer. */
  private closeCause(t: Track): { by: CloseSide; reason: CloseReason; detail?: string } {
    const c = t.clientIntent;
    const s = t.serverIntent;
    const withError = (d: string | undefined): string | undefined =>
      t.errorCode ? `${d ? `${d}; ` : ''}the client saw ${t.errorCode}` : d;
    if (c && (!s || c.at <= s.at)) return { by: 'client', reason: c.reason, detail: withError(c.detail) };
    if (s) return { by: 'server', reason: s.reason, detail: withError(s.detail) };
    if (t.errorCode) return PEER_RESET_CODES.has(t.errorCode)
      ? { by: 'server', reason: 'error', detail: `the server reset the connection (${t.errorCode})` }
      : { by: 'client', reason: 'error', detail: t.errorCode };
    if (t.gotFin) return { by: 'server', reason: 'peer-closed', detail: 'the server closed without saying why' };
    return { by: 'unknown', reason: 'peer-closed' };
  }
}

/**
 * The undici client: a real Pool with the settings under test. Its sockets are watched through a
 * connector wrapped around undici's own, and which socket carried which request comes from
 * undici's `undici:client:sendHeaders` diagnostics channel (filtered to this pool's sockets).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Socket } from 'node:net';
import { Pool, buildConnector } from 'undici';
import type { AttemptResult, ClientContext, HttpClient, SettledAttempt } from './httpClient';
import { attemptFailure } from './httpClient';
import { REQUEST_ID_HEADER } from './instrumentedServer';

/** undici's ceiling for keep-alive timeouts (keepAliveMaxTimeout default); "no idle timeout" maps to it. */
const UNDICI_MAX_KEEPALIVE_MS = 600_000;
const SEND_HEADERS = 'undici:client:sendHeaders';
const REQUEST_ID = new RegExp(`^${REQUEST_ID_HEADER}: (\\d+)\\r$`, 'im');

export class UndiciHttpClient implements HttpClient {
  private readonly pool: Pool;
  private readonly own = new WeakSet<Socket>();
  private readonly attempts = new Map<number, number>();
  private readonly onSendHeaders = (message: unknown): void => {
    const { headers, socket } = message as { headers?: unknown; socket?: unknown };
    if (!(socket instanceof Socket) || !this.own.has(socket) || typeof headers !== 'string') return;
    const m = REQUEST_ID.exec(headers);
    if (!m) return;
    const req = Number(m[1]);
    this.ctx.tracker.sent(socket, req, this.attempts.get(req) ?? 1);
  };

  constructor(private readonly ctx: ClientContext) {
    const s = ctx.settings;
    const connector = buildConnector({});
    this.pool = new Pool(`http://127.0.0.1:${ctx.port}`, {
      connections: s.maxSockets,
      pipelining: s.pipelining,
      keepAliveTimeout: s.idleTimeoutMs > 0 ? s.idleTimeoutMs : UNDICI_MAX_KEEPALIVE_MS,
      keepAliveMaxTimeout: UNDICI_MAX_KEEPALIVE_MS,
      keepAliveTimeoutThreshold: s.hintMarginMs,
      connect: (opts, cb) => {
        const createdAt = ctx.rec.now();
        connector(opts, (...args) => {
          const socket = args[1];
          if (socket instanceof Socket) {
            this.own.add(socket);
            ctx.tracker.clientSocket(socket, createdAt);
          }
          cb(...args);
        });
      },
    });
    subscribe(SEND_HEADERS, this.onSendHeaders);
  }

  send(req: number, attempt: number): Promise<SettledAttempt> {
    const { settings, signal, attemptTimeoutMs, method } = this.ctx;
    this.attempts.set(req, attempt);
    return new Promise<SettledAttempt>((resolve) => {
      let status = 0;
      let hint: string | undefined;
      let over = false;
      // undici calls onResponseEnd before it moves on to the next queued request: settle there.
      const done = (r: AttemptResult): void => {
        if (over) return;
        over = true;
        this.attempts.delete(req);
        resolve(this.ctx.settle(req, attempt, r));
      };
      this.pool.dispatch(
        {
          path: '/',
          method,
          headers: { [REQUEST_ID_HEADER]: String(req) },
          // undici has no keep-alive switch per pool; a reset request says Connection: close.
          reset: !settings.keepAlive,
          headersTimeout: attemptTimeoutMs,
          bodyTimeout: attemptTimeoutMs,
        },
        {
          // undici takes a handler for its current API only when it has onRequestStart.
          onRequestStart(controller) {
            if (signal.aborted) controller.abort(new Error('the run was cancelled'));
          },
          onResponseStart(_c, statusCode, headers) {
            status = statusCode;
            const h = headers['keep-alive'];
            hint = typeof h === 'string' ? h : undefined;
          },
          onResponseEnd: () => {
            if (settings.keepAlive) this.noteIdleTimer(req, hint);
            done({ ok: true, status });
          },
          onResponseError: (_c, err) => done(attemptFailure(err, signal)),
        },
      );
    });
  }

  async close(): Promise<void> {
    unsubscribe(SEND_HEADERS, this.onSendHeaders);
    if (!this.pool.destroyed) await this.pool.destroy();
  }

  /** undici's documented rule: the hint minus keepAliveTimeoutThreshold (capped), else keepAliveTimeout. */
  private noteIdleTimer(req: number, hint: string | undefined): void {
    const { tracker, rec, settings } = this.ctx;
    const where = tracker.sendOf(req);
    if (!where) return;
    const hintS = hint === undefined ? undefined : /timeout=(\d+)/i.exec(hint)?.[1];
    const timeoutMs = hintS !== undefined
      ? Math.min(Number(hintS) * 1000 - settings.hintMarginMs, UNDICI_MAX_KEEPALIVE_MS)
      : settings.idleTimeoutMs > 0 ? settings.idleTimeoutMs : UNDICI_MAX_KEEPALIVE_MS;
    if (timeoutMs > 0) rec.emit({ e: 'clientIdle', at: rec.now(), socket: where.socket, timeoutMs, fromHint: hintS !== undefined });
  }
}

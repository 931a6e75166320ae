/**
 * What an experiment records: one event per thing that happened on the real sockets, in the order
 * it happened. These events are the timeline's steps; seeking folds them into state (state.ts) and
 * never touches the network again. `at` is ms since the run started; sockets are numbered from 1
 * in the order the client created them (0: no socket), requests from 1 in issue order.
 */
import { Infer, bool, int, lit, num, obj, optional, str, tagged } from '../core/schema';
import { PRESET_IDS, keepAliveSettingsSchema } from '../../protocol/keepalive';

const at = num({ min: 0, max: 1e9 });
const id = int({ min: 0, max: 1e7 });
const code = str({ max: 64 });
const text = str({ max: 500 });

export const CLOSE_REASONS = [
  'server-idle-timeout',
  'server-connection-close',
  'server-headers-timeout',
  'client-idle-timeout',
  'client-not-kept',
  'client-no-keepalive',
  'error',
  'peer-closed',
  'run-ended',
] as const;

export const keepAliveEventSchema = tagged('e', {
  /** A run began with these settings. */
  run: obj({ run: int({ min: 1 }), preset: lit(...PRESET_IDS, 'custom'), settings: keepAliveSettingsSchema }),
  /** The settings were replaced (configure intent). */
  settings: obj({ settings: keepAliveSettingsSchema }),
  /** The workload issued request `req`. */
  issue: obj({ at, req: id }),
  /** The server accepted a connection from the client's `socket` (0: not matched to a client socket). */
  accept: obj({ at, socket: id, port: int({ min: 0, max: 65535 }) }),
  /** A client socket finished its TCP connect. */
  open: obj({ at, socket: id, port: int({ min: 0, max: 65535 }), connectMs: num({ min: 0, max: 1e9 }) }),
  /** Attempt `attempt` of `req` was written to `socket`; `reused` when the socket had carried a request before. */
  send: obj({ at, req: id, socket: id, reused: bool(), attempt: int({ min: 1, max: 2 }) }),
  /** The server received the request on the connection that is the client's `socket`. */
  arrive: obj({ at, req: id, socket: id }),
  /** The server armed its idle timer on `socket` for `timeoutMs` after a response. */
  serverIdle: obj({ at, socket: id, timeoutMs: num({ min: 0, max: 1e9 }) }),
  /** The client armed its idle timer on a socket it keeps; `fromHint` when the server's Keep-Alive hint set the value. */
  clientIdle: obj({ at, socket: id, timeoutMs: num({ min: 0, max: 1e9 }), fromHint: bool() }),
  /** The response to an attempt ended. */
  response: obj({ at, req: id, socket: id, status: int({ min: 100, max: 599 }), attempt: int({ min: 1, max: 2 }) }),
  /** An attempt failed; `retry` when the client tries the request again. */
  error: obj({ at, req: id, socket: id, attempt: int({ min: 1, max: 2 }), code, message: text, retry: bool() }),
  /** A socket closed on the client side, and who started the close and why, as seen from both ends. */
  close: obj({ at, socket: id, by: lit('client', 'server', 'unknown'), reason: lit(...CLOSE_REASONS), detail: optional(text) }),
  /** The run ended; everything it opened is closed. */
  end: obj({ at, outcome: lit('finished', 'cancelled', 'failed'), message: optional(text) }),
});
export type KeepAliveEvent = Infer<typeof keepAliveEventSchema>;

/** Events recorded during a run (everything but `run` and `settings`). */
export type RunEvent = Exclude<KeepAliveEvent, { e: 'run' } | { e: 'settings' }>;

const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** The scrubber's words for one step. */
export function eventLabel(ev: KeepAliveEvent): string {
  switch (ev.e) {
    case 'run':
      return `run #${ev.run}: ${ev.preset} (${ev.settings.client.kind}, ${ev.settings.workload.requests} requests)`;
    case 'settings':
      return 'settings changed';
    case 'issue':
      return `${ms(ev.at)}  request #${ev.req} issued`;
    case 'accept':
      return `${ms(ev.at)}  server accepted socket ${ev.socket || '?'} (port ${ev.port})`;
    case 'open':
      return `${ms(ev.at)}  socket ${ev.socket} opened (port ${ev.port}, connect ${ms(ev.connectMs)})`;
    case 'send':
      return `${ms(ev.at)}  request #${ev.req}${ev.attempt > 1 ? ' (retry)' : ''} → socket ${ev.socket}${ev.reused ? ' (reused)' : ' (new)'}`;
    case 'arrive':
      return `${ms(ev.at)}  server got request #${ev.req} on socket ${ev.socket}`;
    case 'serverIdle':
      return `${ms(ev.at)}  server idle timer on socket ${ev.socket}: ${ms(ev.timeoutMs)}`;
    case 'clientIdle':
      return `${ms(ev.at)}  client idle timer on socket ${ev.socket}: ${ms(ev.timeoutMs)}${ev.fromHint ? ' (from Keep-Alive hint)' : ''}`;
    case 'response':
      return `${ms(ev.at)}  request #${ev.req} ← ${ev.status} on socket ${ev.socket}`;
    case 'error':
      return `${ms(ev.at)}  request #${ev.req} failed: ${ev.code}${ev.socket ? ` on socket ${ev.socket}` : ''}${ev.retry ? ', retrying' : ''}`;
    case 'close':
      return `${ms(ev.at)}  socket ${ev.socket} closed by ${ev.by}: ${ev.reason}`;
    case 'end':
      return `${ms(ev.at)}  run ${ev.outcome}${ev.message ? `: ${ev.message}` : ''}`;
  }
}

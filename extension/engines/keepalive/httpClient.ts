/**
 * What the workload needs from a client library: send one attempt of a request and say how it
 * ended, and close everything. Where the attempt went (socket, reused or not) is reported by the
 * client to the SocketTracker as it happens, and how it ended is handed to `settle` in the very
 * callback where the library learns it: a promise continuation would come too late, after the
 * library has already given the freed socket to the next request.
 */
import type { ClientSettings } from '../../protocol/keepalive';
import type { RunRecorder } from './recorder';
import type { SocketTracker } from './socketTracker';

export type AttemptResult = { ok: true; status: number } | { ok: false; code: string; message: string };

/** An attempt's result once recorded, with the decision whether to send the request again. */
export type SettledAttempt = AttemptResult & { retry: boolean };

export interface HttpClient {
  send(req: number, attempt: number): Promise<SettledAttempt>;
  /** Destroys every socket the client holds; in-flight attempts fail. */
  close(): Promise<void>;
}

export interface ClientContext {
  settings: ClientSettings;
  method: 'GET' | 'POST';
  port: number;
  tracker: SocketTracker;
  rec: RunRecorder;
  /** Aborted when the run is cancelled or stopped; attempts in flight fail as CANCELLED. */
  signal: AbortSignal;
  /** Longest an attempt may take before it is abandoned with ETIMEDOUT. */
  attemptTimeoutMs: number;
  /** Records how an attempt ended; called once per attempt, synchronously as it ends. */
  settle(req: number, attempt: number, result: AttemptResult): SettledAttempt;
}

/** Turns whatever a client library threw into a code and a message; a cancelled run says so. */
export function attemptFailure(e: unknown, signal: AbortSignal): AttemptResult {
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  if (signal.aborted) return { ok: false, code: 'CANCELLED', message: 'the run was cancelled' };
  const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'ERROR';
  return { ok: false, code, message: typeof err.message === 'string' ? err.message : String(e) };
}

/** An Error with a Node-style code. */
export function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

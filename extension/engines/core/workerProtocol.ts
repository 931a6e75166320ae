/** Messages between the extension host (ModelClient) and a model's worker thread (serveModel). */
import type { ModelOptions } from './model';
import type { SessionFile } from './sessionFile';

export interface WorkerInit {
  kind: string;
  /** Start fresh from this configuration (validated in the worker)… */
  config?: unknown;
  /** …or rebuild from an exported session's text. */
  sessionText?: string;
  /** What the host allows the model (see ModelOptions). */
  options?: ModelOptions;
  /** One Int32: set to 1 by the host to cancel the running step; the worker resets it. */
  cancel: SharedArrayBuffer;
}

export type ToWorker =
  | { id: number; op: 'dispatch'; intent: unknown }
  | { id: number; op: 'seek'; step: number }
  | { id: number; op: 'export' }
  | { id: number; op: 'dispose' };

export interface WorkerError {
  message: string;
  /** True when the message is written for the user (UserError, SessionFileError). */
  user: boolean;
}

export type FromWorker =
  | { type: 'ready'; parts: Record<string, unknown> }
  | { type: 'failed'; error: WorkerError }
  | { type: 'parts'; parts: Record<string, unknown> }
  | { type: 'progress'; id: number; fraction: number; message?: string }
  | { type: 'result'; id: number; error?: WorkerError; session?: SessionFile };

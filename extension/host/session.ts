/**
 * One open inspector: a model running in its own worker thread, the current view parts, and the
 * webviews watching it. Operations run through `run`, which shows a cancellable progress
 * notification when a step takes long and reports failures to the user without losing the session.
 */
import * as vscode from 'vscode';
import type { ModelOptions } from '../engines/core/model';
import { ModelClient } from '../engines/core/modelClient';
import type { SessionFile } from '../engines/core/sessionFile';
import type { BusyState, InspectorKind, SessionInfo } from '../protocol';
import type { InspectorDefinition } from './inspectors/definition';
import { log, reportError } from './log';

/** How long a step may run before a progress notification appears. */
const NOTIFY_AFTER_MS = 400;

export interface SessionEvents {
  parts(changed: Record<string, unknown>): void;
  busy(state: BusyState | null): void;
  ended(reason: string): void;
  /** A failure the views should show in place (it has already been logged and notified). */
  error(message: string): void;
}

export class InspectorSession implements vscode.Disposable {
  private listeners: Partial<SessionEvents>[] = [];
  private busyState: BusyState | null = null;
  private endedReason: string | undefined;
  private disposed = false;

  private constructor(
    readonly id: string,
    readonly definition: InspectorDefinition,
    public title: string,
    private client: ModelClient,
    private readonly workerFile: string,
    /** What the host allowed the model (kept for a restart). */
    private readonly options: ModelOptions,
  ) {
    this.wire();
  }

  static async start(opts: {
    id: string;
    definition: InspectorDefinition;
    title: string;
    workerFile: string;
    init: { config?: unknown; sessionText?: string; options?: ModelOptions };
  }): Promise<InspectorSession> {
    const client = await ModelClient.start(opts.workerFile, { kind: opts.definition.kind, ...opts.init });
    return new InspectorSession(opts.id, opts.definition, opts.title, client, opts.workerFile, opts.init.options ?? {});
  }

  get kind(): InspectorKind {
    return this.definition.kind;
  }

  get info(): SessionInfo {
    return { id: this.id, kind: this.kind, title: this.title };
  }

  get parts(): Record<string, unknown> {
    return this.client.view;
  }

  get busy(): BusyState | null {
    return this.busyState;
  }

  get ended(): string | undefined {
    return this.endedReason;
  }

  on(l: Partial<SessionEvents>): vscode.Disposable {
    this.listeners.push(l);
    return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } };
  }

  /**
   * Applies an intent. Resolves to true when it was applied; on failure the user has been told
   * why (error message, log, and the views' error banner) and the session keeps its last state.
   */
  async run(intent: unknown, label: string): Promise<boolean> {
    const parsed = this.definition.intentSchema.parse(intent, 'intent');
    if (!parsed.ok) {
      log().warn(`Rejected ${this.definition.title} operation "${label}": ${parsed.error}`);
      return false;
    }
    if (this.busyState) {
      void vscode.window.showWarningMessage(`${this.title} is still busy with "${this.busyState.label}". Wait for it or cancel it first.`);
      return false;
    }
    log().info(`${this.title}: ${label}`);
    this.setBusy({ label });
    let notifyProgress: ((fraction: number, message?: string) => void) | undefined;
    let done = false;
    const started = Date.now();
    const timer = setTimeout(() => {
      if (done) return;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${this.title}: ${label}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => this.cancel());
          let reported = 0;
          notifyProgress = (fraction, message) => {
            const pct = Math.round(fraction * 100);
            progress.report({ increment: Math.max(0, pct - reported), ...(message ? { message } : {}) });
            reported = Math.max(reported, pct);
          };
          return new Promise<void>((resolve) => {
            const poll = setInterval(() => { if (done) { clearInterval(poll); resolve(); } }, 50);
          });
        },
      );
    }, NOTIFY_AFTER_MS);
    try {
      await this.client.dispatch(parsed.value, (fraction, message) => {
        this.setBusy({ label, fraction, ...(message !== undefined ? { message } : {}) });
        notifyProgress?.(fraction, message);
      });
      log().debug(`${this.title}: "${label}" took ${Date.now() - started} ms`);
      return true;
    } catch (e) {
      this.emit('error', reportError(`${this.title}: "${label}" failed`, e));
      return false;
    } finally {
      done = true;
      clearTimeout(timer);
      this.setBusy(null);
    }
  }

  async seek(step: number): Promise<void> {
    try {
      await this.client.seek(step);
    } catch (e) {
      this.emit('error', reportError(`${this.title}: could not move to step ${step}`, e));
    }
  }

  /** Asks the running step to stop; it records what it finished. */
  cancel(): void {
    if (this.busyState) {
      log().info(`${this.title}: cancel requested for "${this.busyState.label}"`);
      this.client.cancel();
    }
  }

  exportSession(): Promise<SessionFile> {
    return this.client.exportSession();
  }

  /** Replaces a dead engine with a fresh one from the last saved state. */
  async restart(sessionText: string | undefined): Promise<void> {
    const client = await ModelClient.start(this.workerFile, { kind: this.kind, ...(sessionText ? { sessionText } : {}), options: this.options });
    void this.client.dispose();
    this.client = client;
    this.endedReason = undefined;
    this.wire();
    this.emit('parts', this.client.view);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.client.dispose();
    this.listeners = [];
  }

  private wire(): void {
    const client = this.client;
    client.onParts((parts) => { if (client === this.client) this.emit('parts', parts); });
    client.onExit((reason) => {
      if (client !== this.client || this.disposed) return;
      this.endedReason = reason;
      log().error(`${this.title}: ${reason}`);
      this.emit('ended', reason);
    });
  }

  private setBusy(state: BusyState | null): void {
    this.busyState = state;
    this.emit('busy', state);
  }

  private emit<K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>): void {
    for (const l of this.listeners) (l[event] as ((...a: Parameters<SessionEvents[K]>) => void) | undefined)?.(...args);
  }
}

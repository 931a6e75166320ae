/**
 * Streams one session's state into one webview: a full snapshot when the webview says it is ready
 * (first load, reload, or after it noticed a gap), then patches with only the changed parts,
 * coalesced so the webview gets at most one update per animation frame however fast the engine
 * produces them. Messages from the webview are parsed here; rejected ones are logged with why.
 */
import * as vscode from 'vscode';
import type { HostMessage, SessionInfo, WebviewCommand } from '../protocol';
import { routeWebviewMessage } from './messageRouter';
import { log } from './log';
import type { InspectorSession } from './session';

/** One display frame; patches closer together than this are merged. */
const FRAME_MS = 16;

export interface ConnectionOptions {
  /** Only these parts are streamed (the side bar needs just the summary and timeline). */
  parts?: readonly string[];
  /** Handles the named host commands a webview may request. */
  onCommand(command: WebviewCommand, session: InspectorSession | undefined): void;
  /** Name for log lines, e.g. "panel Hash Table 1". */
  name: string;
}

export class ViewConnection implements vscode.Disposable {
  private session: InspectorSession | undefined;
  private sessionSubscription: vscode.Disposable | undefined;
  private seq = 0;
  private pending: Record<string, unknown> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly webview: vscode.Webview, private readonly opts: ConnectionOptions) {
    this.disposables.push(webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
  }

  get current(): InspectorSession | undefined {
    return this.session;
  }

  /** Shows another session (or none) in this webview. */
  attach(session: InspectorSession | undefined): void {
    if (session === this.session) return;
    this.sessionSubscription?.dispose();
    this.session = session;
    this.sessionSubscription = session?.on({
      parts: (changed) => this.queue(changed),
      busy: (busy) => this.post({ type: 'busy', busy }),
      ended: (reason) => this.post({ type: 'ended', reason }),
      error: (message) => this.post({ type: 'error', message }),
    });
    if (this.ready) this.sendSnapshot();
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.sessionSubscription?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private filter(parts: Record<string, unknown>): Record<string, unknown> | undefined {
    if (!this.opts.parts) return parts;
    let out: Record<string, unknown> | undefined;
    for (const k of this.opts.parts) if (k in parts) (out ??= {})[k] = parts[k];
    return out;
  }

  private sendSnapshot(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = undefined;
    const s = this.session;
    const info: SessionInfo | null = s ? s.info : null;
    this.post({ type: 'snapshot', seq: ++this.seq, session: info, parts: s ? (this.filter(s.parts) ?? {}) : {}, busy: s?.busy ?? null });
    if (s?.ended) this.post({ type: 'ended', reason: s.ended });
  }

  private queue(changed: Record<string, unknown>): void {
    if (!this.ready) return;
    const parts = this.filter(changed);
    if (!parts) return;
    this.pending = { ...this.pending, ...parts };
    if (this.flushTimer) return;
    const wait = Math.max(0, FRAME_MS - (Date.now() - this.lastFlush));
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.pending) return;
    const parts = this.pending;
    this.pending = undefined;
    this.lastFlush = Date.now();
    this.post({ type: 'patch', seq: ++this.seq, parts });
  }

  private post(m: HostMessage): void {
    // A hidden webview drops messages; it sends "ready" again when shown, and gets a snapshot.
    void this.webview.postMessage(m).then(undefined, (e: unknown) => log().debug(`${this.opts.name}: post failed: ${String(e)}`));
  }

  private receive(raw: unknown): void {
    const s = this.session;
    const rejected = routeWebviewMessage(raw, s ? (s.definition.webviewIntentSchema ?? s.definition.intentSchema) : undefined, {
      ready: () => {
        this.ready = true;
        this.sendSnapshot();
      },
      resync: (seen) => {
        log().debug(`${this.opts.name}: resync after patch ${seen} (now at ${this.seq})`);
        this.sendSnapshot();
      },
      intent: (intent, label) => void s?.run(intent, label),
      seek: (step) => void s?.seek(step),
      cancel: () => s?.cancel(),
      command: (command) => this.opts.onCommand(command, s),
    });
    if (rejected) log().warn(`Rejected a message from ${this.opts.name}: ${rejected}`);
  }
}

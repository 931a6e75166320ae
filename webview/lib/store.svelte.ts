/**
 * The webview's copy of a session's view: filled by the host's snapshot, then patched part by part.
 * Incoming messages are applied once per animation frame, so a burst of patches costs one render.
 * A gap in patch numbers (a message lost while the view was hidden) asks the host for a snapshot.
 */
import type { BusyState, HostMessage, SessionInfo, WebviewCommand } from '../../extension/protocol';
import { persist, post } from './vscodeApi';

class ViewStore {
  session = $state<SessionInfo | null>(null);
  /** The view parts; replaced part by part so components re-render only what changed. */
  parts = $state<Record<string, unknown>>({});
  /**
   * The same parts as the plain objects that arrived, for views that read large arrays (tens of
   * thousands of numbers), where each element read through the state proxy would cost a signal.
   * Not reactive: read `parts[name]` first to be told when it changes (see `plain`).
   */
  private rawParts: Record<string, unknown> = {};
  busy = $state<BusyState | null>(null);
  /** The last failure reported by the host, shown until dismissed or the next success. */
  error = $state<string | null>(null);
  /** Set when the engine behind the session stopped. */
  ended = $state<string | null>(null);
  /** False until the first snapshot arrives. */
  connected = $state(false);

  private seq = 0;
  /** Waiting for a snapshot after a gap: patches until then are stale. */
  private resyncing = false;
  private inbox: HostMessage[] = [];
  private frame = 0;

  start(): void {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data as HostMessage));
    post({ type: 'ready' });
  }

  /** Part `name` as a plain object; re-read whenever the part is replaced, like `parts[name]`. */
  plain<T>(name: string): T | undefined {
    void this.parts[name];
    return this.rawParts[name] as T | undefined;
  }

  intent(intent: unknown, label: string): void {
    this.error = null;
    // An intent often carries a piece of a part (a run to replay), which is a state proxy here:
    // postMessage cannot clone proxies, so send a plain copy.
    post({ type: 'intent', intent: $state.snapshot(intent) as never, label });
  }

  seek(step: number): void {
    post({ type: 'seek', step: Math.max(0, Math.round(step)) });
  }

  cancel(): void {
    post({ type: 'cancel' });
  }

  command(command: WebviewCommand): void {
    post({ type: 'command', command });
  }

  private receive(m: HostMessage): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    this.inbox.push(m);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.drain());
  }

  private drain(): void {
    this.frame = 0;
    const batch = this.inbox;
    this.inbox = [];
    let merged: Record<string, unknown> | undefined;
    const flush = (): void => {
      if (merged) { Object.assign(this.rawParts, merged); Object.assign(this.parts, merged); merged = undefined; }
    };
    for (const m of batch) {
      switch (m.type) {
        case 'snapshot':
          merged = undefined;
          this.seq = m.seq;
          this.resyncing = false;
          this.session = m.session;
          this.rawParts = { ...m.parts };
          this.parts = m.parts;
          this.busy = m.busy;
          this.ended = null;
          this.connected = true;
          if (m.session) persist({ sessionId: m.session.id, kind: m.session.kind });
          break;
        case 'patch':
          if (this.resyncing) break;
          if (m.seq !== this.seq + 1) {
            this.resyncing = true;
            post({ type: 'resync', seen: this.seq });
            merged = undefined;
            break;
          }
          this.seq = m.seq;
          merged = { ...merged, ...m.parts };
          break;
        case 'busy':
          // A new operation starting (from a command as much as from this view) retires the last error.
          if (m.busy && !this.busy) this.error = null;
          this.busy = m.busy;
          break;
        case 'error':
          this.error = m.message;
          break;
        case 'ended':
          this.ended = m.reason;
          break;
      }
    }
    flush();
  }
}

export const view = new ViewStore();

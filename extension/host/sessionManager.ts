/**
 * All inspector sessions of this window: creating, importing, restoring after a reload, closing,
 * and which one is active (the one whose panel was focused last), which the side bar follows.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ModelOptions } from '../engines/core/model';
import { parseSessionFile, SessionFileError } from '../engines/core/sessionFile';
import { json } from '../engines/core/schema';
import { isInspectorKind, type InspectorKind } from '../protocol';
import type { InspectorDefinition } from './inspectors/definition';
import { log } from './log';
import { InspectorSession } from './session';
import { SessionStore, type SavedSessionRef } from './sessionStore';

export class SessionManager implements vscode.Disposable {
  private readonly live = new Map<string, InspectorSession>();
  private readonly restoring = new Map<string, Promise<InspectorSession | undefined>>();
  private activeId: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly activeChanged = new vscode.EventEmitter<InspectorSession | undefined>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeActive = this.activeChanged.event;
  readonly store: SessionStore;
  /** Opens (or reveals, without taking focus unless asked) a session's editor panel; set by the panel manager. */
  showPanel: (session: InspectorSession, opts?: { focus?: boolean }) => void = () => undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly definitions: readonly InspectorDefinition[],
  ) {
    this.store = new SessionStore(context);
  }

  definition(kind: InspectorKind): InspectorDefinition {
    const d = this.definitions.find((x) => x.kind === kind);
    if (!d) throw new Error(`No inspector of kind ${kind}`);
    return d;
  }

  get allDefinitions(): readonly InspectorDefinition[] {
    return this.definitions;
  }

  /** Live sessions and saved ones not restored yet, in creation order. */
  entries(): { ref: SavedSessionRef; session: InspectorSession | undefined }[] {
    return this.store.index().map((ref) => ({ ref, session: this.live.get(ref.id) }));
  }

  get active(): InspectorSession | undefined {
    return this.activeId ? this.live.get(this.activeId) : undefined;
  }

  setActive(session: InspectorSession | undefined): void {
    if (session?.id === this.activeId) return;
    this.activeId = session?.id;
    this.activeChanged.fire(session);
    this.changed.fire();
  }

  get(id: string): InspectorSession | undefined {
    return this.live.get(id);
  }

  /** Starts a new session of `kind` with its default (or given) configuration, and what the model may do (ModelOptions). */
  async create(kind: InspectorKind, config?: unknown, options?: ModelOptions): Promise<InspectorSession> {
    const def = this.definition(kind);
    const n = this.store.index().filter((r) => r.kind === kind).length + 1;
    return this.start(randomUUID(), def, `${def.title} ${n}`, { ...(config === undefined ? {} : { config }), ...(options ? { options } : {}) });
  }

  /** Imports an exported session file's text as a new session. */
  async importText(text: string): Promise<InspectorSession> {
    // The envelope is checked here for a clear message; the worker checks the inspector's own parts.
    const file = parseSessionFile(text, (kind) => (isInspectorKind(kind) ? { config: json(), step: json() } : undefined));
    if (!isInspectorKind(file.kind)) throw new SessionFileError(`Unknown inspector "${file.kind}".`);
    const def = this.definition(file.kind);
    return this.start(randomUUID(), def, `${def.title} (imported)`, { sessionText: text });
  }

  /** The live session with this id, restoring a saved one after a window reload. */
  restore(id: string): Promise<InspectorSession | undefined> {
    const live = this.live.get(id);
    if (live) return Promise.resolve(live);
    let p = this.restoring.get(id);
    if (!p) {
      p = this.doRestore(id).finally(() => this.restoring.delete(id));
      this.restoring.set(id, p);
    }
    return p;
  }

  /** The active session if it is of `kind`, else the most recent live one of that kind, else a new one. */
  async ensure(kind: InspectorKind): Promise<InspectorSession> {
    const a = this.active;
    if (a?.kind === kind && !a.ended) return a;
    const recent = [...this.live.values()].reverse().find((s) => s.kind === kind && !s.ended);
    if (recent) return recent;
    const s = await this.create(kind);
    this.showPanel(s);
    return s;
  }

  async close(id: string): Promise<void> {
    const s = this.live.get(id);
    this.live.delete(id);
    s?.dispose();
    await this.store.forget(id);
    if (this.activeId === id) this.setActive(undefined);
    this.changed.fire();
  }

  async flush(): Promise<void> {
    await this.store.flush([...this.live.values()]);
  }

  dispose(): void {
    for (const s of this.live.values()) s.dispose();
    this.live.clear();
    this.changed.dispose();
    this.activeChanged.dispose();
  }

  private async doRestore(id: string): Promise<InspectorSession | undefined> {
    const ref = this.store.index().find((r) => r.id === id);
    if (!ref) return undefined;
    const text = await this.store.load(id);
    const def = this.definition(ref.kind);
    try {
      // Saved sessions are this window's own: one made from a selection may run it again while the workspace stays trusted.
      return await this.start(id, def, ref.title, { ...(text === undefined ? {} : { sessionText: text }), options: { runSelectedCode: vscode.workspace.isTrusted } });
    } catch (e) {
      log().warn(`Could not restore ${ref.title} (${(e as Error).message}); starting it afresh.`);
      return this.start(id, def, ref.title, {});
    }
  }

  private async start(id: string, def: InspectorDefinition, title: string, init: { config?: unknown; sessionText?: string; options?: ModelOptions }): Promise<InspectorSession> {
    const workerFile = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'workers', `${def.kind}.js`).fsPath;
    const session = await InspectorSession.start({ id, definition: def, title, workerFile, init });
    this.live.set(id, session);
    session.on({ parts: (p) => { if ('timeline' in p) this.store.scheduleSave(session); if ('summary' in p) this.changed.fire(); } });
    await this.store.remember({ id, kind: def.kind, title });
    this.store.scheduleSave(session);
    log().info(`Opened ${title}`);
    this.changed.fire();
    return session;
  }
}

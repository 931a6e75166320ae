/**
 * Keeps every open session on disk (as its exported session file) so a window reload loses
 * nothing: panels are restored by the serializer, and the sessions tree lists saved sessions until
 * they are closed. Saving is debounced; a failed save is logged, never fatal.
 */
import * as vscode from 'vscode';
import { isInspectorKind, type InspectorKind } from '../protocol';
import { log } from './log';
import type { InspectorSession } from './session';

export interface SavedSessionRef {
  id: string;
  kind: InspectorKind;
  title: string;
}

const INDEX_KEY = 'dsInspector.sessions';
const SAVE_DELAY_MS = 1000;

export class SessionStore {
  private readonly dir: vscode.Uri;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.dir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'sessions');
  }

  index(): SavedSessionRef[] {
    const raw = this.context.workspaceState.get<unknown>(INDEX_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (r): r is SavedSessionRef =>
        typeof r === 'object' && r !== null && typeof r.id === 'string' && /^[\w-]{1,64}$/.test(r.id) && isInspectorKind(r.kind) && typeof r.title === 'string',
    );
  }

  async remember(ref: SavedSessionRef): Promise<void> {
    const rest = this.index().filter((r) => r.id !== ref.id);
    await this.context.workspaceState.update(INDEX_KEY, [...rest, ref]);
  }

  async forget(id: string): Promise<void> {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    await this.context.workspaceState.update(INDEX_KEY, this.index().filter((r) => r.id !== id));
    await vscode.workspace.fs.delete(this.file(id)).then(undefined, () => undefined);
  }

  /** Schedules a save of the session's current state. */
  scheduleSave(session: InspectorSession): void {
    clearTimeout(this.timers.get(session.id));
    this.timers.set(session.id, setTimeout(() => void this.save(session), SAVE_DELAY_MS));
  }

  async save(session: InspectorSession): Promise<void> {
    this.timers.delete(session.id);
    if (session.ended) return;
    try {
      const file = await session.exportSession();
      await vscode.workspace.fs.createDirectory(this.dir);
      await vscode.workspace.fs.writeFile(this.file(session.id), Buffer.from(JSON.stringify(file)));
    } catch (e) {
      log().warn(`Could not save ${session.title} for the next window reload: ${(e as Error).message}`);
    }
  }

  async load(id: string): Promise<string | undefined> {
    try {
      return Buffer.from(await vscode.workspace.fs.readFile(this.file(id))).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** Saves everything still pending (on deactivation). */
  async flush(sessions: InspectorSession[]): Promise<void> {
    const pending = sessions.filter((s) => this.timers.has(s.id));
    for (const s of pending) clearTimeout(this.timers.get(s.id));
    await Promise.all(pending.map((s) => this.save(s)));
  }

  private file(id: string): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, `${id}.json`);
  }
}

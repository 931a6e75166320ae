/** Commands that work on any inspector session: show, export, import, close, restart, step. */
import * as vscode from 'vscode';
import type { InspectorKind } from '../protocol';
import { log, reportError } from './log';
import type { InspectorSession } from './session';
import type { SessionManager } from './sessionManager';

/** Tree items pass their node; palette calls pass nothing; webviews and tests pass an id. */
type SessionArg = string | { ref: { id: string } } | undefined;

function argId(arg: SessionArg): string | undefined {
  return typeof arg === 'string' ? arg : arg?.ref?.id;
}

/** The session a command should act on: the one named, else the active one, else the user picks. */
export async function resolveSession(manager: SessionManager, arg: SessionArg, kind?: InspectorKind): Promise<InspectorSession | undefined> {
  const id = argId(arg);
  if (id) return manager.restore(id);
  const active = manager.active;
  if (active && (!kind || active.kind === kind)) return active;
  const entries = manager.entries().filter((e) => !kind || e.ref.kind === kind);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No inspector is open. Open one from the DS Inspector view or the command palette ("DS Inspector: Open …").');
    return undefined;
  }
  if (entries.length === 1) return manager.restore(entries[0]!.ref.id);
  const pick = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.ref.title, description: e.session ? '' : 'saved', id: e.ref.id })),
    { placeHolder: 'Which inspector session?' },
  );
  return pick ? manager.restore(pick.id) : undefined;
}

export function registerSessionCommands(manager: SessionManager): vscode.Disposable[] {
  const reg = (id: string, fn: (...args: never[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  return [
    reg('dsInspector.showPanel', async (arg: SessionArg) => {
      const s = await resolveSession(manager, arg);
      if (s) manager.showPanel(s, { focus: true });
    }),
    reg('dsInspector.exportSession', async (arg: SessionArg) => {
      const s = await resolveSession(manager, arg);
      if (!s) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${s.title.replace(/[^\w.-]+/g, '-').toLowerCase()}.dsi.json`;
      const target = await vscode.window.showSaveDialog({
        title: `Export ${s.title}`,
        filters: { 'DS Inspector session': ['json'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      });
      if (!target) return;
      try {
        const file = await s.exportSession();
        await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(file, null, 1)));
        log().info(`Exported ${s.title} (${file.steps.length} steps) to ${target.toString()}`);
        void vscode.window.showInformationMessage(`Exported ${s.title} (${file.steps.length} steps) to ${vscode.workspace.asRelativePath(target)}.`);
      } catch (e) {
        reportError(`Could not export ${s.title}`, e);
      }
    }),
    reg('dsInspector.importSession', async (uri?: vscode.Uri) => {
      const target = uri ?? (await vscode.window.showOpenDialog({ title: 'Import DS Inspector session', canSelectMany: false, filters: { 'DS Inspector session': ['json'] } }))?.[0];
      if (!target) return;
      try {
        const stat = await vscode.workspace.fs.stat(target);
        if (stat.size > 256 * 1024 * 1024) throw new Error(`the file is ${Math.round(stat.size / 1048576)} MB; sessions over 256 MB are not imported`);
        const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
        const s = await manager.importText(text);
        manager.showPanel(s);
        return s.id;
      } catch (e) {
        reportError(`Could not import ${vscode.workspace.asRelativePath(target)}`, e);
        return undefined;
      }
    }),
    reg('dsInspector.closeSession', async (arg: SessionArg) => {
      const id = argId(arg) ?? (await resolveSession(manager, undefined))?.id;
      if (id) await manager.close(id);
    }),
    reg('dsInspector.restartSession', async (arg: SessionArg) => {
      const s = await resolveSession(manager, arg);
      if (!s) return;
      try {
        await s.restart(await manager.store.load(s.id));
        log().info(`Restarted ${s.title}`);
      } catch (e) {
        reportError(`Could not restart ${s.title}`, e);
      }
    }),
    reg('dsInspector.stepBack', async (arg: SessionArg) => step(manager, arg, -1)),
    reg('dsInspector.stepForward', async (arg: SessionArg) => step(manager, arg, +1)),
    reg('dsInspector.showLog', () => log().show()),
  ];
}

async function step(manager: SessionManager, arg: SessionArg, delta: number): Promise<void> {
  const s = await resolveSession(manager, arg);
  const t = s?.parts['timeline'] as { cursor: number; length: number } | undefined;
  if (!s || !t) return;
  const next = t.cursor + delta;
  if (next < 0 || next > t.length) {
    void vscode.window.showInformationMessage(next < 0 ? `${s.title} is at its first step.` : `${s.title} is at its last step.`);
    return;
  }
  await s.seek(next);
}

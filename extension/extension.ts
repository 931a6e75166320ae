/**
 * Activation: wires the sessions, their panels and side bar views, and every command. Kept light
 * (engines load in worker threads only when a session starts) so activation stays fast.
 */
import * as vscode from 'vscode';
import { registerSessionCommands } from './host/commands';
import { registerExplain } from './host/explain/explainCommands';
import { INSPECTORS } from './host/inspectors';
import { initLog, log } from './host/log';
import { PanelManager } from './host/panels';
import { SessionManager } from './host/sessionManager';
import { SESSIONS_VIEW_ID, SessionsTree } from './host/sessionsTree';
import { SIDEBAR_VIEW_ID, SidebarView } from './host/sidebarView';
import { webviewCommandHandler } from './host/webviewCommands';

let manager: SessionManager | undefined;

/** Set by a banner and a footer of the bundle (see esbuild.mjs); absent when run from source. */
declare const __dsiLoadStart: number | undefined;
declare const __dsiLoadEnd: number | undefined;

export function activate(context: vscode.ExtensionContext): { manager: SessionManager } {
  const started = performance.now();
  const loadMs = typeof __dsiLoadStart === 'number' && typeof __dsiLoadEnd === 'number' ? __dsiLoadEnd - __dsiLoadStart : 0;
  initLog(context);
  manager = new SessionManager(context, INSPECTORS);
  const onCommand = webviewCommandHandler();
  const sidebar = new SidebarView(context.extensionUri, manager, onCommand);
  const tree = new SessionsTree(manager);
  context.subscriptions.push(
    manager,
    new PanelManager(context.extensionUri, manager, onCommand),
    sidebar,
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar),
    tree,
    vscode.window.createTreeView(SESSIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false }),
    ...registerSessionCommands(manager),
    ...INSPECTORS.flatMap((d) => d.registerCommands(manager!, context)),
    ...registerExplain(context, manager),
  );
  const activateMs = performance.now() - started;
  log().info(`DS Inspector activated in ${(loadMs + activateMs).toFixed(1)} ms (loading the bundle ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms)`);
  return { manager };
}

export async function deactivate(): Promise<void> {
  await manager?.flush();
}

/** The host commands a webview may trigger by name (see WEBVIEW_COMMANDS in the protocol). */
import * as vscode from 'vscode';
import type { WebviewCommand } from '../protocol';
import type { InspectorSession } from './session';

export type WebviewCommandHandler = (command: WebviewCommand, session: InspectorSession | undefined) => void;

export function webviewCommandHandler(): WebviewCommandHandler {
  return (command, session) => {
    const args = session ? [session.id] : [];
    switch (command) {
      case 'exportSession':
        void vscode.commands.executeCommand('dsInspector.exportSession', ...args);
        return;
      case 'importSession':
        void vscode.commands.executeCommand('dsInspector.importSession');
        return;
      case 'openPanel':
        void vscode.commands.executeCommand('dsInspector.showPanel', ...args);
        return;
      case 'restart':
        void vscode.commands.executeCommand('dsInspector.restartSession', ...args);
        return;
      case 'useRedis':
        // The host asks for the URL and any password (kept in SecretStorage), never the webview.
        void vscode.commands.executeCommand('dsInspector.idempotency.useRedis', ...(session ? [{ session: session.id }] : []));
        return;
      case 'useMysql':
        // Likewise the MySQL password: the host reads it from SecretStorage or asks for it.
        void vscode.commands.executeCommand('dsInspector.pool.useMysql', ...(session ? [{ session: session.id }] : []));
        return;
    }
  };
}

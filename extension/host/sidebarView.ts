/**
 * The side bar's live view: a compact rendering (headline metrics and the timeline) of whichever
 * inspector session is active, following focus from panel to panel.
 */
import * as vscode from 'vscode';
import { ViewConnection } from './connection';
import type { SessionManager } from './sessionManager';
import type { WebviewCommandHandler } from './webviewCommands';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const SIDEBAR_VIEW_ID = 'dsInspector.live';

export class SidebarView implements vscode.WebviewViewProvider, vscode.Disposable {
  private connection: ViewConnection | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: SessionManager,
    private readonly onCommand: WebviewCommandHandler,
  ) {
    this.subscription = manager.onDidChangeActive((s) => this.connection?.attach(s));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidebar', 'DS Inspector');
    this.connection?.dispose();
    const connection = new ViewConnection(view.webview, { name: 'side bar view', parts: ['summary', 'timeline'], onCommand: this.onCommand });
    this.connection = connection;
    connection.attach(this.manager.active);
    view.onDidDispose(() => {
      connection.dispose();
      if (this.connection === connection) this.connection = undefined;
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.connection?.dispose();
  }
}

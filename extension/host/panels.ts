/**
 * The editor panels that show full inspectors, one per session. A panel whose window reloads comes
 * back through the serializer: its webview state names the session, which is restored from disk.
 */
import * as vscode from 'vscode';
import { isInspectorKind, type PersistedWebviewState } from '../protocol';
import { ViewConnection } from './connection';
import type { WebviewCommandHandler } from './webviewCommands';
import { log } from './log';
import type { InspectorSession } from './session';
import type { SessionManager } from './sessionManager';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const PANEL_VIEW_TYPE = 'dsInspector.inspector';

export class PanelManager implements vscode.Disposable, vscode.WebviewPanelSerializer<unknown> {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: SessionManager,
    private readonly onCommand: WebviewCommandHandler,
  ) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this));
    manager.showPanel = (s, opts) => this.show(s, opts);
    manager.onDidChange(() => {
      for (const [id, panel] of this.panels) {
        const s = manager.get(id);
        if (!s) panel.dispose();
        else if (panel.title !== s.title) panel.title = s.title;
      }
    }, undefined, this.disposables);
  }

  /**
   * Opens the session's panel, or brings it to the front. An open panel is revealed without taking
   * focus unless asked: commands reveal it while their own quick picks and input boxes are open.
   */
  show(session: InspectorSession, opts: { focus?: boolean } = {}): void {
    const column = vscode.ViewColumn.Active;
    const existing = this.panels.get(session.id);
    if (existing) {
      existing.reveal(existing.viewColumn ?? column, !opts.focus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, session.title, column, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: false,
    });
    this.bind(panel, session);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = state as Partial<PersistedWebviewState> | undefined;
    const session = s && typeof s.sessionId === 'string' && isInspectorKind(s.kind) ? await this.manager.restore(s.sessionId) : undefined;
    if (!session) {
      log().info('A DS Inspector panel from the last window had no saved session; closing it.');
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.bind(panel, session);
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private bind(panel: vscode.WebviewPanel, session: InspectorSession): void {
    this.panels.set(session.id, panel);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, session.kind, session.title);
    const connection = new ViewConnection(panel.webview, { name: `panel "${session.title}"`, onCommand: this.onCommand });
    connection.attach(session);
    this.manager.setActive(session);
    const subs = [
      connection,
      panel.onDidChangeViewState((e) => { if (e.webviewPanel.active) this.manager.setActive(session); }),
      panel.onDidDispose(() => {
        this.panels.delete(session.id);
        for (const d of subs) d.dispose();
      }),
    ];
  }
}

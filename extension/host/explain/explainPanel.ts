/**
 * The explanation view: one editor panel beside the code, reused by every explanation. It shows
 * the state it is given and passes on what the view asks for, after checking it against the
 * protocol's schema; anything else is logged and dropped.
 */
import * as vscode from 'vscode';
import { type ExplainHostMessage, type ExplainRequest, type ExplainState, explainRequest } from '../../protocol/explain';
import { log } from '../log';
import { webviewHtml, webviewOptions } from '../webviewHtml';

export const EXPLAIN_VIEW_TYPE = 'dsInspector.explain';

export class ExplainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: ExplainState | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onRequest: (r: Exclude<ExplainRequest, { type: 'ready' }>) => void,
    private readonly onClose: () => void,
  ) {}

  /** Shows the panel beside the active editor (creating it if needed) without taking the focus. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(EXPLAIN_VIEW_TYPE, 'Explain Selection', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'explain', 'Explain Selection');
    panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.onClose();
    });
    this.panel = panel;
  }

  update(state: ExplainState): void {
    this.state = state;
    this.post();
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private post(): void {
    if (!this.panel || !this.state) return;
    const m: ExplainHostMessage = { type: 'state', state: this.state };
    // A hidden panel drops messages; it sends "ready" again when shown.
    void this.panel.webview.postMessage(m).then(undefined, (e: unknown) => log().debug(`Explain view: post failed: ${String(e)}`));
  }

  private receive(raw: unknown): void {
    let parsed;
    try {
      parsed = explainRequest.parse(raw, 'message');
    } catch (e) {
      parsed = { ok: false as const, error: `message could not be read (${(e as Error).message})` };
    }
    if (!parsed.ok) {
      log().warn(`Rejected a message from the Explain view: ${parsed.error}`);
      return;
    }
    if (parsed.value.type === 'ready') this.post();
    else this.onRequest(parsed.value);
  }
}

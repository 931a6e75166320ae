/** The tree of inspector sessions in the side bar: live ones with their headline, saved ones dimmed. */
import * as vscode from 'vscode';
import type { Summary } from '../protocol';
import type { SavedSessionRef } from './sessionStore';
import type { InspectorSession } from './session';
import type { SessionManager } from './sessionManager';

export const SESSIONS_VIEW_ID = 'dsInspector.sessions';

interface Node {
  ref: SavedSessionRef;
  session: InspectorSession | undefined;
}

export class SessionsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly manager: SessionManager) {
    this.subscription = manager.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: Node): Node[] {
    return node ? [] : this.manager.entries();
  }

  getTreeItem({ ref, session }: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(ref.title, vscode.TreeItemCollapsibleState.None);
    item.id = ref.id;
    const def = this.manager.definition(ref.kind);
    const active = this.manager.active?.id === ref.id;
    item.iconPath = new vscode.ThemeIcon(def.icon);
    const summary = session?.parts['summary'] as Summary | undefined;
    item.description = session
      ? [active ? '● active' : '', session.ended ? 'stopped' : summary?.subtitle ?? ''].filter(Boolean).join(' · ')
      : 'saved';
    item.tooltip = new vscode.MarkdownString(
      [`**${ref.title}** — ${def.title}`, ...(summary?.metrics ?? []).map((m) => `- ${m.label}: ${m.value}`)].join('\n'),
    );
    item.contextValue = session ? 'session.live' : 'session.saved';
    item.command = { command: 'dsInspector.showPanel', title: 'Show', arguments: [ref.id] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

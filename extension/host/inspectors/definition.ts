/** What the host knows about one kind of inspector: its names, its intents, its own commands. */
import type * as vscode from 'vscode';
import type { Schema } from '../../engines/core/schema';
import type { InspectorKind } from '../../protocol';
import type { SessionManager } from '../sessionManager';

export interface InspectorDefinition {
  kind: InspectorKind;
  /** "Hash Table": used for panel titles and messages. */
  title: string;
  /** Codicon id for the tree and the panel. */
  icon: string;
  /** Intents this inspector accepts from its webview and its commands. */
  intentSchema: Schema<unknown>;
  /** Intents its webview may send, when fewer than `intentSchema` (e.g. none that carry a password the host adds itself). */
  webviewIntentSchema?: Schema<unknown>;
  /** Registers this inspector's palette commands (`context` for what they keep, e.g. secrets). */
  registerCommands(manager: SessionManager, context: vscode.ExtensionContext): vscode.Disposable[];
}

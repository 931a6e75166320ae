/**
 * Explain Selection's entry points: "DS Inspector: Explain Selection" (palette, editor context
 * menu, and a code action on any non-empty selection in the languages it reads) and "DS Inspector:
 * Use Selection as Hash Function" (trusted workspaces only). Both also take a document and a range
 * as arguments, as the code action passes them (and tests do), and the hash command a target to
 * open ("hashtable" or "ring") once the function is measured.
 */
import * as vscode from 'vscode';
import { UserError } from '../../engines/core/model';
import { languageFromId } from '../../explain/language';
import { log, reportError } from '../log';
import type { SessionManager } from '../sessionManager';
import { ExplainClient } from './explainClient';
import { ExplainController, type SelectionInput, UNTRUSTED } from './explainController';

/** VS Code language ids Explain Selection reads (see extension/explain/language.ts). */
export const EXPLAIN_LANGUAGE_IDS = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'go', 'python'] as const;

class ExplainCodeActions implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Empty.append('dsInspector.explain');

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    if (range.isEmpty) return [];
    const action = new vscode.CodeAction('Explain with DS Inspector', ExplainCodeActions.kind);
    action.command = { command: 'dsInspector.explainSelection', title: 'Explain with DS Inspector', arguments: [document.uri, range] };
    return [action];
  }
}

export function registerExplain(context: vscode.ExtensionContext, manager: SessionManager): vscode.Disposable[] {
  const client = new ExplainClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'explain.js').fsPath);
  const controller = new ExplainController(context.extensionUri, client, manager);
  const reg = vscode.commands.registerCommand;
  return [
    { dispose: () => client.dispose() },
    controller,
    vscode.languages.registerCodeActionsProvider(EXPLAIN_LANGUAGE_IDS.map((language) => ({ language })), new ExplainCodeActions(), {
      providedCodeActionKinds: [ExplainCodeActions.kind],
    }),
    reg('dsInspector.explainSelection', async (uri?: vscode.Uri, range?: vscode.Range) => {
      try {
        const input = await selectionInput(uri, range, 'explain');
        const language = input && readableLanguage(input.languageId);
        return input && language ? await controller.explain(input, language) : undefined;
      } catch (e) {
        reportError('Explain Selection', e);
        return undefined;
      }
    }),
    reg('dsInspector.useSelectionAsHash', async (uri?: vscode.Uri, range?: vscode.Range, target?: 'hashtable' | 'ring') => {
      try {
        if (!vscode.workspace.isTrusted) {
          log().info('Use Selection as Hash Function: refused in an untrusted workspace.');
          const manage = 'Manage Workspace Trust';
          if ((await vscode.window.showWarningMessage(UNTRUSTED, manage)) === manage) await vscode.commands.executeCommand('workbench.trust.manage');
          return undefined;
        }
        const input = await selectionInput(uri, range, 'measure as a hash function');
        const language = input && readableLanguage(input.languageId);
        if (!input || !language) return undefined;
        if (language !== 'typescript' && language !== 'javascript')
          throw new UserError(`it runs JavaScript and TypeScript functions, and this selection is ${language}. Select a JS or TS function that takes a key and returns a number`);
        const state = await controller.measureHash(input, language);
        if (state.hash && (target === 'hashtable' || target === 'ring')) return await controller.useHash(target);
        return state;
      } catch (e) {
        reportError('Use Selection as Hash Function', e);
        return undefined;
      }
    }),
  ];
}

/** The language Explain Selection reads the document as, or undefined after saying which ones it reads. */
function readableLanguage(languageId: string): string | undefined {
  try {
    return languageFromId(languageId);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    log().info(e.message);
    void vscode.window.showWarningMessage(e.message);
    return undefined;
  }
}

/** The selected code: of the given document and range, else of the active editor (or a visible one with a selection). */
async function selectionInput(uri: vscode.Uri | undefined, range: vscode.Range | undefined, what: string): Promise<SelectionInput | undefined> {
  let document: vscode.TextDocument;
  let selection: vscode.Range;
  if (uri instanceof vscode.Uri) {
    document = await vscode.workspace.openTextDocument(uri);
    selection = range ?? vscode.window.visibleTextEditors.find((e) => e.document === document)?.selection ?? new vscode.Range(0, 0, 0, 0);
  } else {
    // With the explanation view focused there is no active text editor: use the one whose selection the user made.
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => !e.selection.isEmpty);
    if (!editor) {
      void vscode.window.showInformationMessage(`Open a file and select the code to ${what} (TypeScript, JavaScript, Java, Go or Python).`);
      return undefined;
    }
    document = editor.document;
    selection = editor.selection;
  }
  if (selection.isEmpty || document.getText(selection).trim() === '') {
    void vscode.window.showInformationMessage(`Select the code to ${what} first: a function, a configuration object, or a few lines around a call.`);
    return undefined;
  }
  return { uri: document.uri, text: document.getText(selection), languageId: document.languageId, range: selection };
}

/** Inspector commands through the real `vscode` API: they open editor panels and act on sessions. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId } from './manifest';

/** The open editor tabs that show a DS Inspector webview panel. */
function inspectorTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dsInspector.inspector'));
}

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('inspector commands', () => {
  let sessionId: string;

  before(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Open Hash Table" starts a session and shows it in an editor panel', async () => {
    const before = inspectorTabs().length;
    sessionId = await vscode.commands.executeCommand<string>('dsInspector.openHashTable');
    assert.equal(typeof sessionId, 'string');
    await until('a new inspector panel', () => inspectorTabs().length === before + 1);
    assert.match(inspectorTabs().at(-1)!.label, /^Hash Table/);
  });

  it('runs "Insert Keys…" with arguments, without prompting', async () => {
    assert.equal(await vscode.commands.executeCommand('dsInspector.hashtable.insertKeys', { keys: ['alice', 'bob'] }), true);
  });

  it('"Close Session" closes the session\'s panel', async () => {
    const open = inspectorTabs().length;
    await vscode.commands.executeCommand('dsInspector.closeSession', sessionId);
    await until('the panel to close', () => inspectorTabs().length === open - 1);
  });
});

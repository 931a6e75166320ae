/** The extension as VS Code sees it: found, activated, and everything it declares really exists. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionLogFiles, extensionLogText } from '../../harness/extensionLogs';
import { contributedCommands, contributedSettings, extensionId, manifest } from './manifest';

function userDataDir(): string {
  const dir = process.env.DSI_USER_DATA_DIR;
  assert.ok(dir, 'DSI_USER_DATA_DIR is not set: run these suites through test/integration/run.mjs');
  return dir;
}

describe('DS Inspector extension', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `extension ${extensionId} is not loaded`);
    extension = found;
    await extension.activate();
  });

  it('opens the sample workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map((f) => f.name), ['sample-workspace']);
  });

  it('is loaded from this checkout under its manifest id, with its built entry point', () => {
    assert.equal(extension.packageJSON.version, manifest.version);
    assert.ok(existsSync(join(extension.extensionPath, extension.packageJSON.main)), `no ${extension.packageJSON.main} in ${extension.extensionPath}`);
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('logs its activation to the "DS Inspector" output channel', async () => {
    // The channel's file appears when the channel writes; allow the host a moment to flush.
    const deadline = Date.now() + 5000;
    while (!/activated/i.test(extensionLogText(userDataDir(), extensionId, 'DS Inspector')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const files = extensionLogFiles(userDataDir(), extensionId);
    assert.match(extensionLogText(userDataDir(), extensionId, 'DS Inspector'), /activated/i, `no activation line in ${JSON.stringify(files)}`);
  });

  it('registers every command it contributes, under the "DS Inspector" category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(missing, [], 'contributed but not registered after activation');
    const uncategorised = contributedCommands.filter((c) => c.category !== 'DS Inspector').map((c) => c.command);
    assert.deepEqual(uncategorised, [], 'every command belongs in the palette under "DS Inspector"');
  });

  it('opens its activity bar container and focuses each of its views', async () => {
    const containers = manifest.contributes.viewsContainers?.['activitybar'] ?? [];
    assert.ok(containers.length > 0, 'no activity bar container contributed');
    for (const c of containers) await vscode.commands.executeCommand(`workbench.view.extension.${c.id}`);
    const views = Object.values(manifest.contributes.views ?? {}).flat();
    for (const v of views) await vscode.commands.executeCommand(`${v.id}.focus`);
  });

  it('shows its log from the "Show Log" command', async () => {
    await vscode.commands.executeCommand('dsInspector.showLog');
  });

  it('declares settings under dsInspector.* whose defaults VS Code reports back', () => {
    for (const [key, def] of contributedSettings()) {
      assert.match(key, /^dsInspector\./);
      assert.deepEqual(vscode.workspace.getConfiguration().inspect(key)?.defaultValue, def, key);
    }
  });
});

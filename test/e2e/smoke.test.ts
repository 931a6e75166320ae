/**
 * The packaged .vsix in a real VS Code (code-server), driven like a user: proves the harness and
 * that the installed extension shows up where a user looks for it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { listExtensions } from '../harness/codeServer';
import { extensionId } from '../harness/vsix';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';
import { waitFor } from '../harness/workbench';

describe('DS Inspector in code-server (packaged .vsix)', { timeout: 180_000 }, () => {
  let vs: VsCodeSession;

  before(async () => {
    vs = await openVsCode('smoke');
  });

  after(async () => {
    await vs?.close();
  });

  it('is installed from the .vsix as users install it', () => {
    const installed = listExtensions(vs.profile);
    assert.ok(installed.some((e) => e.startsWith(`${extensionId()}@`)), `installed: ${installed.join(', ') || 'nothing'}`);
  });

  it('opens its side bar from the activity bar in one click, with the live view and the sessions welcome', async () => {
    await vs.check('side bar', async (wb) => {
      await wb.openViewContainer('DS Inspector');
      const live = await wb.webview('No inspector is active');
      assert.match(await live.locator('[data-testid="no-session"]').innerText(), /Open one from the Sessions list/);
      await wb.page.locator('.part.sidebar .welcome-view-content', { hasText: 'No inspector is open yet.' }).waitFor();
    });
  });

  it('runs "DS Inspector: Show Log" from the palette and shows its log channel', async () => {
    await vs.check('show log', async (wb) => {
      await wb.runCommand('DS Inspector: Show Log');
      await wb.waitForOutput(/activated in [\d.]+ ms/);
      assert.match(vs.extensionLog(), /activated in [\d.]+ ms/, 'the log file and the Output view agree');
    });
  });

  it('tells the user what to do when a command has no session to act on', async () => {
    await vs.check('step back without a session', async (wb) => {
      await wb.runCommand('DS Inspector: Step Back');
      assert.match(await wb.waitForNotification(/No inspector is open/), /DS Inspector: Open/);
      await wb.clearNotifications();
    });
  });

  it('takes screenshots of the empty side bar in the light and the dark theme', async () => {
    await vs.check('screenshots', async (wb) => {
      await wb.openViewContainer('DS Inspector');
      await wb.webview('No inspector is active');
      const shots = await wb.screenshotThemes('sidebar-empty');
      for (const s of shots) assert.ok(existsSync(s), s);
    });
  });

  // The harness's quick pick and input box paths on a real inspector command (test/e2e/hashtable.test.ts
  // covers the Hash Table inspector itself).
  it("answers an inspector's quick pick, and reports an input box's refusal with its reason", async () => {
    await vs.check('quick pick and refused input', async (wb) => {
      await wb.runCommand('DS Inspector: Open Hash Table');
      const panel = await wb.webviewWith('[data-testid="slots"]');
      await wb.runCommand('DS Inspector: Set Collision Strategy…');
      await wb.pick('Robin Hood');
      await waitFor('the panel to show Robin Hood', async () => /Robin Hood/.test(await panel.getByTestId('subtitle').innerText()) || undefined);
      await wb.runCommand('DS Inspector: Resize…');
      await assert.rejects(wb.answer('1'), /refused "1": Enter a number from 2 to/);
      await wb.dismissQuickInput();
      await wb.runCommand('DS Inspector: Resize…');
      await wb.answer('64');
      await waitFor('the panel to show 64 slots', async () => /64 slots/.test(await panel.getByTestId('subtitle').innerText()) || undefined);
    });
  });
});

/**
 * The Hash Table inspector in a real VS Code, used as a user would: palette commands, the panel's
 * webview, the timeline, the live side bar view, a window reload, and bad input.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { waitFor } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';

const fullSlots = (f: Frame): Promise<number> => f.locator('[data-table="main"] [data-state="full"]').count();
const position = async (f: Frame): Promise<string> => (await f.getByTestId('timeline-position').innerText()).replace(/\s+/g, ' ');

describe('Hash Table inspector in code-server', { timeout: 300_000 }, () => {
  let vs: VsCodeSession;
  let panel: Frame;

  before(async () => {
    vs = await openVsCode('hashtable', { settings: { 'dsInspector.hashTable.initialSize': 16, 'dsInspector.hashTable.strategy': 'linear' } });
  });
  after(async () => { await vs?.close(); });

  it('opens from the palette and inserts keys typed into "Insert Keys…"', async () => {
    await vs.check('open and insert', async (wb) => {
      await wb.runCommand('DS Inspector: Open Hash Table');
      panel = await wb.webview(/Hash Table 1[\s\S]*Bulk insert/);
      await wb.runCommand('DS Inspector: Insert Keys…');
      await wb.answer('alice, bob, carol, dave');
      await waitFor('4 full slots', async () => ((await fullSlots(panel)) === 4 ? true : undefined));
      const keys = await panel.locator('[data-table="main"] [data-state="full"] text.key').allTextContents();
      assert.deepEqual([...keys].sort(), ['alice', 'bob', 'carol', 'dave']);
      await wb.runCommand('DS Inspector: Insert Keys…');
      await wb.answer('erin');
      await waitFor('5 full slots', async () => ((await fullSlots(panel)) === 5 ? true : undefined));
      assert.equal(await position(panel), 'event 2 / 2 insert erin');
    });
  });

  it('steps the timeline back and forward, and the buckets follow', async () => {
    await vs.check('timeline', async () => {
      await panel.getByRole('button', { name: 'Step back' }).click();
      await waitFor('the view to go back to 4 keys', async () => ((await fullSlots(panel)) === 4 ? true : undefined));
      assert.match(await position(panel), /^event 1 \/ 2 insert alice, bob, carol \(\+1\)/);
      await vs.workbench.runCommand('DS Inspector: Step Forward');
      await waitFor('the view to come back to 5 keys', async () => ((await fullSlots(panel)) === 5 ? true : undefined));
    });
  });

  it('shows the active table in the side bar live view', async () => {
    await vs.check('side bar', async (wb) => {
      await wb.openViewContainer('DS Inspector');
      const live = await wb.webview(/Keys\s*5/);
      assert.equal(await live.getByTestId('sidebar-title').innerText(), 'Hash Table 1');
    });
  });

  it('bulk-inserts 200,000 keys off the main thread and draws them as density cells', async () => {
    await vs.check('bulk insert', async (wb) => {
      await wb.runCommand('DS Inspector: Insert Keys…');
      await wb.answer('200000');
      await wb.pick('random');
      const density = panel.getByTestId('density');
      await density.waitFor({ timeout: 60_000 });
      assert.match(await panel.getByTestId('subtitle').innerText(), /slots/);
      assert.match(await panel.locator('[data-metric="keys"] dd').innerText(), /^200,005$/);
      await wb.screenshotThemes('hashtable-panel');
    });
  });

  it('comes back after a window reload with its timeline', async () => {
    await vs.check('reload', async (wb) => {
      // Give the debounced save a moment, then reload as a user would.
      await wb.page.waitForTimeout(1500);
      await wb.runCommand('Developer: Reload Window');
      await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      panel = await wb.webview(/Hash Table 1[\s\S]*Bulk insert/, 60_000);
      await waitFor('the restored timeline', async () => ((await position(panel)).startsWith('event 3 / 3') ? true : undefined), 60_000);
      assert.match(await panel.locator('[data-metric="keys"] dd').innerText(), /^200,005$/);
    });
  });

  it('rejects a broken session file with a clear message and keeps the open table', async () => {
    await vs.check('bad import', async (wb) => {
      const broken = join(vs.dir, 'broken.dsi.json');
      writeFileSync(broken, '{"format":"ds-inspector.session","version":1,"kind":"hashtable"');
      await wb.runCommand('DS Inspector: Import Session…');
      await wb.answer(broken);
      assert.match(await wb.waitForNotification(/Could not import/), /not valid JSON/);
      await wb.clearNotifications();
      assert.match(await panel.locator('[data-metric="keys"] dd').innerText(), /^200,005$/);
    });
  });
});

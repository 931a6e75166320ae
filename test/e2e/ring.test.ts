/**
 * The Hash Ring inspector in a real VS Code, used as a user would: open the ring from the palette,
 * insert keys, fail a server from the palette, and read in the webview that only that server's keys
 * moved — as many as the engine itself reports for the same steps. Then the comparison of every
 * scheme, the timeline, and a refused server name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { ringFactory } from '../../extension/engines/ring';
import type { MovementReport, RingView } from '../../extension/protocol/ring';
import { waitFor } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';

const SERVERS = ['s1', 's2', 's3', 's4'];
const VNODES = 16;
const KEYS = 500;

/** What the engine reports for the same steps, run here in-process: the session is deterministic. */
function engineReport(): MovementReport {
  const m = ringFactory.create({ ...ringFactory.defaults(), servers: SERVERS.map((name) => ({ name })), vnodes: VNODES });
  m.dispatch({ type: 'insertKeys', count: KEYS }, noRunContext);
  m.dispatch({ type: 'failServer', name: 's3' }, noRunContext);
  return (m.view() as unknown as RingView).movement!;
}

const position = async (f: Frame): Promise<string> => (await f.getByTestId('timeline-position').innerText()).replace(/\s+/g, ' ');

describe('Hash Ring inspector in code-server', { timeout: 300_000 }, () => {
  let vs: VsCodeSession;
  let panel: Frame;

  before(async () => {
    vs = await openVsCode('ring', { settings: { 'dsInspector.ring.servers': SERVERS, 'dsInspector.ring.virtualNodes': VNODES } });
  });
  after(async () => { await vs?.close(); });

  it('opens from the palette with the servers and virtual nodes of the settings, and inserts keys', async () => {
    await vs.check('open and insert', async (wb) => {
      await wb.runCommand('DS Inspector: Open Hash Ring');
      panel = await wb.webview(/Hash Ring 1[\s\S]*Compare schemes/);
      assert.equal(await panel.locator('[data-testid="load"] tr[data-server]').count(), SERVERS.length);
      assert.equal(await panel.locator('line[data-point]').count(), SERVERS.length * VNODES);
      await wb.runCommand('DS Inspector: Insert Keys into Ring…');
      await wb.answer(String(KEYS));
      await waitFor(`${KEYS} key dots`, async () => ((await panel.locator('circle[data-key]').count()) === KEYS ? true : undefined));
    });
  });

  it('fails a server from the palette: only its keys moved, as many as the engine reports', async () => {
    const expected = engineReport();
    await vs.check('fail a server', async (wb) => {
      await wb.runCommand('DS Inspector: Fail Server…');
      await wb.pick('s3');
      await panel.getByTestId('movement').waitFor();
      const moved = panel.locator('circle[data-moved]');
      await waitFor('the moved keys to be marked', async () => ((await moved.count()) > 0 ? true : undefined));
      assert.equal(await moved.count(), expected.moved, 'moved dots in the webview = keys the engine moved');
      assert.equal(await panel.getByTestId('moved-count').innerText(), String(expected.moved));
      assert.equal(await panel.getByTestId('wrong-moves').innerText(), '0');
      const newOwners = new Set(await moved.evaluateAll((els) => els.map((e) => e.getAttribute('data-owner'))));
      assert.ok(!newOwners.has('s3'), 'no moved key stayed on s3');
      assert.match(await panel.getByTestId('movement').innerText(), /Every moved key came from s3; the other servers kept theirs/);
      assert.equal(await panel.locator('[data-testid="load"] tr[data-server="s3"] [data-testid="count"]').innerText(), '0');
      const keysMoved = await panel.locator('[data-testid="moved-keys"] li:not(.muted)').allTextContents();
      assert.ok(keysMoved.length > 0 && keysMoved.every((t) => / s3 → s[124]$/.test(t)), `every listed key went from s3 to a live server: ${keysMoved.slice(0, 3).join('; ')}`);
      assert.equal(await position(panel), 'event 2 / 2 fail s3');
      // Let the travelling keys land.
      await wb.page.waitForTimeout(2000);
      await wb.screenshotThemes('ring-panel-fail');
    });
  });

  it('offers only the failed server to recover, and steps the timeline back through the failure', async () => {
    await vs.check('recover and timeline', async (wb) => {
      await wb.runCommand('DS Inspector: Recover Server…');
      await wb.pick('s3');
      await waitFor('the recovery', async () => (/recover s3/.test(await panel.getByTestId('centre').innerText()) ? true : undefined));
      assert.match(await panel.getByTestId('movement').innerText(), /Every moved key went to s3/);
      await wb.runCommand('DS Inspector: Step Back');
      await waitFor('the view to go back to the failure', async () => ((await position(panel)).startsWith('event 2 / 3 fail s3') ? true : undefined));
      assert.equal(await panel.locator('[data-testid="load"] tr[data-server="s3"] [data-testid="count"]').innerText(), '0');
      await wb.runCommand('DS Inspector: Step Forward');
      await waitFor('the view to come back', async () => ((await position(panel)).startsWith('event 3 / 3') ? true : undefined));
    });
  });

  it('compares every scheme on the same keys from the palette', async () => {
    await vs.check('compare', async (wb) => {
      await wb.runCommand('DS Inspector: Compare Schemes');
      const cmp = panel.getByTestId('comparison');
      await cmp.waitFor({ timeout: 60_000 });
      assert.equal(await cmp.locator('tbody tr').count(), 7);
      assert.match(await panel.getByTestId('comparison-story').innerText(), /hash mod N moves \d+\.\d% of the keys, the consistent ring/);
      await cmp.scrollIntoViewIfNeeded();
      await wb.screenshotThemes('ring-panel-comparison');
    });
  });

  it('refuses a server name already in the list, saying why', async () => {
    await vs.check('bad server name', async (wb) => {
      await wb.runCommand('DS Inspector: Add Server…');
      await assert.rejects(wb.answer('s2'), /"s2" is already in the list/);
      await wb.dismissQuickInput();
      assert.equal(await panel.locator('[data-testid="load"] tr[data-server]').count(), SERVERS.length);
    });
  });
});

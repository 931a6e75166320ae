/**
 * The Connection Pool inspector in a real VS Code, used as a user would: presets run from the
 * command palette on the embedded server and their counters read back from the panel (and checked
 * against the same model run in-process), a connection killed on the server and caught by
 * validation; then a throwaway MariaDB: the password asked for, refused, asked again, the stale
 * preset on the real server, and the server gone, with the inspector staying on the embedded one.
 * The machine's own MariaDB is never used.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { poolModelFactory } from '../../extension/engines/pool';
import type { PoolAction, PoolView } from '../../extension/protocol/pool';
import { waitFor } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';
import { startMariaDb, type MariaDbService } from '../services/mariadb';

const text = async (f: Frame, selector: string): Promise<string> => ((await f.locator(selector).first().innerText({ timeout: 2000 })) ?? '').replace(/\s+/g, ' ').trim();
const metric = (f: Frame, label: string): Promise<string> => text(f, `[data-metric="${label}"] dd`);

/** Waits until the element's text is `want`, or matches it. */
async function shows(f: Frame, selector: string, want: string | RegExp, what: string, timeoutMs = 60_000): Promise<string> {
  return waitFor(what, async () => {
    const t = await text(f, selector).catch(() => '');
    return (typeof want === 'string' ? t === want : want.test(t)) ? t : undefined;
  }, timeoutMs, () => text(f, selector).catch((e: unknown) => `(${String(e)})`));
}

/** The same model run in-process on the same steps: what the panel should show. */
async function expected(actions: PoolAction[]): Promise<PoolView> {
  const m = poolModelFactory.create(poolModelFactory.defaults());
  for (const a of actions) await m.dispatch(a, noRunContext);
  return m.view() as PoolView;
}

function filesContaining(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesContaining(p, needle));
    else if (readFileSync(p, 'latin1').includes(needle)) out.push(p);
  }
  return out;
}

describe('Connection Pool inspector in code-server', { timeout: 600_000 }, () => {
  let db: MariaDbService;
  let vs: VsCodeSession;
  let panel: Frame;
  const steps: PoolAction[] = [];

  before(async () => {
    db = await startMariaDb();
    vs = await openVsCode('pool', {
      settings: { 'dsInspector.mysql.host': db.host, 'dsInspector.mysql.port': db.port, 'dsInspector.mysql.user': db.user, 'dsInspector.mysql.database': db.database },
    });
  });
  after(async () => {
    await vs?.close();
    await db?.stop();
  });

  it('runs the stale preset from the palette: the first queries after the idle gap fail', async () => {
    await vs.check('stale', async (wb) => {
      await wb.runCommand('DS Inspector: Open Connection Pool');
      panel = await wb.webview(/Connection Pool 1[\s\S]*reuse buys throughput/i);
      assert.match(await text(panel, '[data-testid="subtitle"]'), /^embedded server$/);

      await wb.runCommand('DS Inspector: Run Pool Preset…');
      await wb.pick('Stale connections');
      steps.push({ type: 'runPreset', preset: 'stale' });
      const want = await expected(steps);
      const stale = want.results.byPreset.stale!;
      assert.equal(stale.failedQueries, 4);
      await shows(panel, '[data-testid="last-stale"]', `${stale.failedQueries} of ${stale.queries} queries failed`, 'the stale preset\'s result');
      assert.equal(await text(panel, '[data-testid="headline"]'), stale.verdict);
      assert.equal(await metric(panel, 'failed queries'), String(want.metrics.failedQueries));
      assert.equal(await metric(panel, 'created'), String(want.metrics.created));
      assert.equal(await panel.locator('.lane').count(), want.connections.cells.length + 4, 'the 4 connections that went stale, and their 4 replacements');
      assert.equal(await panel.locator('.mark[data-mark="query-failed"]').count(), 4);
    });
  });

  it('runs the stale trio and the throughput pair side by side, with the engine\'s numbers', async () => {
    await vs.check('side by side', async (wb) => {
      await wb.runCommand('DS Inspector: Run Pool Preset…');
      await wb.pick('Stale vs keep-alive vs validation');
      steps.push(...(['stale', 'stale-keepalive', 'stale-validate'] as const).map((preset) => ({ type: 'runPreset' as const, preset })));
      await shows(panel, '[data-testid="failed-stale-validate"]', '0 of 16', 'the validation preset in the comparison');
      assert.equal(await text(panel, '[data-testid="failed-stale"]'), '4 of 16');
      assert.equal(await text(panel, '[data-testid="failed-stale-keepalive"]'), '0 of 16');

      await wb.runCommand('DS Inspector: Run Pool Preset…');
      await wb.pick('Connect per query vs pooled');
      steps.push({ type: 'runPreset', preset: 'per-query' }, { type: 'runPreset', preset: 'pooled' });
      const want = await expected(steps);
      const [perQuery, pooled] = [want.results.byPreset['per-query']!, want.results.byPreset.pooled!];
      await shows(panel, '[data-testid="qps-pooled"]', Math.round(pooled.throughputQps).toLocaleString('en-US'), 'the pooled throughput');
      assert.equal(await text(panel, '[data-testid="qps-per-query"]'), Math.round(perQuery.throughputQps).toLocaleString('en-US'));
      assert.match(await text(panel, '[data-testid="reuse-sentence"]'), new RegExp(`^Pooled ran ${(pooled.throughputQps / perQuery.throughputQps).toFixed(1)}× the queries per second`));
      assert.ok(pooled.throughputQps > 4 * perQuery.throughputQps);
      assert.match(await text(panel, '[data-testid="timeline-position"]'), /^event 6 \/ 6 Pooled: /);
      await wb.screenshotThemes('pool-panel');
    });
  });

  it('kills a connection on the server from the palette; validation on borrow catches it', async () => {
    await vs.check('kill and validate', async (wb) => {
      const thread = await panel.locator('[data-testid="server"] tr[data-thread]').first().getAttribute('data-thread');
      const conn = await panel.locator(`[data-testid="server"] tr[data-thread="${thread}"]`).getAttribute('data-conn');
      await wb.runCommand('DS Inspector: Kill Connection on Server…');
      await wb.pick(`thread ${thread}`);
      steps.push({ type: 'kill', threadId: Number(thread) });
      await shows(panel, '[data-testid="headline"]', new RegExp(`^1 idle connection in the pool was already closed by the server \\(#${conn}\\)`), 'the killed connection called stale');
      assert.equal(await panel.locator(`.cell[data-conn="${conn}"][data-stale="true"]`).count(), 1);

      await wb.runCommand('DS Inspector: Configure Pool…');
      await wb.pick('validate on borrow');
      await wb.pick('on');
      await wb.pick('Apply');
      await shows(panel, '[data-testid="timeline-position"]', /^event 8 \/ 8 new pool settings/, 'the new settings recorded');
      steps.push({ type: 'configure', pool: { ...(await expected(steps)).config.pool, validateOnBorrow: true } });
      // Borrow every idle connection: the dead one is validated, discarded and replaced.
      for (let i = 0; i < 4; i++) {
        await panel.getByTestId('borrow').click();
        await shows(panel, '[data-testid="timeline-position"]', new RegExp(`^event ${9 + i} / ${9 + i} borrow`), `borrow ${i + 1}`);
        steps.push({ type: 'borrow' });
      }
      const want = (await expected(steps)).metrics;
      assert.equal(want.validationFailures, 1, 'the killed connection is caught by validation');
      assert.equal(await metric(panel, 'validations'), `${want.validations} (1 dead)`);
      assert.equal(await metric(panel, 'failed queries'), '0');
      assert.equal(await panel.locator('.cell[data-stale="true"]').count(), 0);
    });
  });

  it('connects to MariaDB: the password is asked for, asked again after a refused login, and never stored in the open', async () => {
    await vs.check('mysql', async (wb) => {
      const target = `mysql://${db.user}@127.0.0.1:${db.port}/${db.database}`;
      await wb.runCommand('DS Inspector: Use MySQL / MariaDB…');
      await wb.answer('not-the-password');
      assert.match(await wb.waitForNotification(/refused the login/, 30_000), /Access denied/);
      await wb.answer(db.password);
      await shows(panel, '[data-testid="subtitle"]', target, 'the pool on MariaDB', 30_000);
      await wb.clearNotifications();
      // The server's own list, each of the pool's minIdle threads linked to its cell.
      await waitFor('the process list to show the pool\'s 4 idle connections', async () => ((await panel.locator('[data-testid="server"] tr[data-conn]').count()) === 4 ? true : undefined), 15_000);
      assert.equal(await panel.locator('.cell[data-state="idle"]').count(), 4);
      assert.match(await text(panel, '[data-var="max_connections"] dd'), new RegExp(`^${db.maxConnections}$`));

      await wb.runCommand('DS Inspector: Run Pool Preset…');
      await wb.pick('Stale connections');
      await shows(panel, '[data-testid="last-stale"]', '4 of 16 queries failed', 'the stale preset on MariaDB', 120_000);
      assert.match(await text(panel, '[data-testid="timeline-position"]'), /Stale connections: 4 of 16 queries failed \(4× PROTOCOL_CONNECTION_LOST\)/);
      // The preset's connections keep its 2 s wait_timeout: once idle that long, the server drops them, and the view says so.
      await shows(panel, '[data-testid="headline"]', /^4 idle connections in the pool were already closed by the server/, 'the server closing the idle connections', 20_000);
      assert.match(await text(panel, '[data-testid="story"]'), /wait_timeout \(2 seconds, from the pool's init SQL\)/);
      assert.equal(await panel.locator('.cell[data-stale="true"]').count(), 4);
      assert.equal(await panel.locator('[data-testid="server"] tr[data-conn]').count(), 0, 'the server lists none of them');
      // The pool beside the server's own list is what real mode adds: show it.
      await panel.getByTestId('server').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await wb.screenshotThemes('pool-mysql-panel');

      await wb.runCommand('DS Inspector: Use Embedded Server');
      await shows(panel, '[data-testid="subtitle"]', /^embedded server/, 'back on the embedded server');

      // The session is saved (debounced) as its exported file; neither it nor the log holds the password.
      await wb.page.waitForTimeout(1500);
      const saved = filesContaining(join(vs.profile.userDataDir, 'User', 'workspaceStorage'), `127.0.0.1:${db.port}`);
      assert.ok(saved.length > 0, 'the saved session should name the server it used');
      for (const f of saved) assert.ok(!readFileSync(f, 'latin1').includes(db.password), `the password is in ${f}`);
      assert.match(vs.extensionLog(), new RegExp(`use mysql://${db.user}@127\\.0\\.0\\.1:${db.port}/${db.database}`));
      assert.ok(!vs.extensionLog().includes(db.password), 'the password is in the log');
    });
  });

  it('with the server gone, says so and stays on the embedded server (the stored password is not asked again)', async () => {
    await vs.check('server gone', async (wb) => {
      await db.stop();
      await wb.runCommand('DS Inspector: Use MySQL / MariaDB…');
      assert.match(await wb.waitForNotification(/nothing is listening there/, 30_000), new RegExp(`127\\.0\\.0\\.1:${db.port}.*Start the server`));
      assert.match(await text(panel, '[data-testid="subtitle"]'), /^embedded server/);
      assert.match(await text(panel, '[data-testid="error"]'), /nothing is listening there/);
    });
  });
});

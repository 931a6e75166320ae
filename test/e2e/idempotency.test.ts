/**
 * The Idempotency lab in a real VS Code, used as a user would: duplicates sent from the command
 * palette, the counters read back from the webview and checked against the engine run in-process
 * on the same steps; Redis unreachable; a password-protected Redis whose password is asked for,
 * kept in secret storage and found nowhere in the log or the saved session.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { noRunContext } from '../../extension/engines/core/model';
import { IdempotencyModel } from '../../extension/engines/idempotency/model';
import { defaultSettings, type CountersPart, type IdempotencyIntent } from '../../extension/protocol/idempotency';
import { waitFor } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';
import { startRedis, type RedisService } from '../services/redis';

const HEADLINE = { delivered: 'delivered', dropped: 'duplicatesDropped', slipped: 'duplicatesSlipped', effects: 'effects', violations: 'orderViolations' } as const;

/** The five headline counters as the webview shows them. */
async function shown(panel: Frame): Promise<Record<keyof typeof HEADLINE, number>> {
  const out = {} as Record<keyof typeof HEADLINE, number>;
  for (const id of Object.keys(HEADLINE) as (keyof typeof HEADLINE)[]) out[id] = Number((await panel.locator(`[data-metric="${id}"] dd.value`).innerText()).replace(/,/g, ''));
  return out;
}

/** The same counters from the engine itself, after the intents the palette commands sent. */
async function expected(intents: IdempotencyIntent[]): Promise<Record<keyof typeof HEADLINE, number>> {
  const m = new IdempotencyModel({ seed: 1, settings: defaultSettings() });
  for (const i of intents) await m.dispatch(i, noRunContext);
  const c = m.view().counters as CountersPart;
  return Object.fromEntries(Object.entries(HEADLINE).map(([id, k]) => [id, c[k]])) as Record<keyof typeof HEADLINE, number>;
}

/** Waits until the panel's counters equal `want` (patches arrive a frame after the step). */
async function countersBecome(panel: Frame, want: Record<string, number>, what: string): Promise<void> {
  let last = {};
  await waitFor(what, async () => {
    last = await shown(panel);
    return JSON.stringify(last) === JSON.stringify(want) ? true : undefined;
  }, 20_000, async () => `shown ${JSON.stringify(last)}, expected ${JSON.stringify(want)}`);
}

/** Every file under `dir` whose text contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) hits.push(...filesContaining(p, needle));
    else if (st.size < 64 * 1024 * 1024 && readFileSync(p).includes(needle)) hits.push(p);
  }
  return hits;
}

describe('Idempotency lab in code-server', { timeout: 420_000 }, () => {
  let vs: VsCodeSession;
  let panel: Frame;
  const steps: IdempotencyIntent[] = [];

  before(async () => {
    vs = await openVsCode('idempotency');
  });
  after(async () => { await vs?.close(); });

  it('sends messages and duplicates from the palette; the counters tell the weak check\'s story', async () => {
    await vs.check('weak check from the palette', async (wb) => {
      await wb.runCommand('DS Inspector: Open Idempotency Lab');
      panel = await wb.webview(/Idempotency & Ordering 1[\s\S]*Message stream/);

      await wb.runCommand('DS Inspector: Set Check (off/weak/strong)…');
      await wb.pick('Weak (SET NX with a TTL)');
      steps.push({ type: 'setCheck', check: 'weak' });
      await panel.locator('[data-verdict="duplicates"]', { hasText: 'Nothing sent yet' }).waitFor();

      await wb.runCommand('DS Inspector: Send Messages…');
      await wb.answer('20');
      await wb.pick('Payments');
      steps.push({ type: 'send', count: 20, scenario: 'payment' });
      await countersBecome(panel, await expected(steps), 'the counters after 20 payments');

      // A duplicate inside the TTL is dropped.
      await wb.runCommand('DS Inspector: Send Duplicate…');
      await wb.pick('m20');
      await wb.pick('Same payload');
      steps.push({ type: 'duplicate', message: 'm20', changePayload: false });
      const inside = await expected(steps);
      await countersBecome(panel, inside, 'the counters after a duplicate inside the TTL');
      assert.equal(inside.slipped, 0);

      // Past the TTL the key is gone: the same duplicate runs again.
      await wb.runCommand('DS Inspector: Advance Lab Time…');
      await wb.answer('30001');
      steps.push({ type: 'advance', ms: 30001 });
      await wb.runCommand('DS Inspector: Send Duplicate…');
      await wb.pick('m20');
      await wb.pick('Same payload');
      steps.push({ type: 'duplicate', message: 'm20', changePayload: false });
      const late = await expected(steps);
      assert.equal(late.slipped, inside.slipped + 1);
      assert.equal(late.dropped, inside.dropped);
      await countersBecome(panel, late, 'the counters after a duplicate past the TTL');
      assert.match(await panel.locator('[data-verdict="duplicates"]').innerText(), /Weak check: 1 copy slipped through/);
      assert.match(await panel.getByTestId('ledger-total').innerText(), /overcharged in 1 double charge/);
      assert.match(await panel.getByTestId('timeline-position').innerText(), /event 5 \/ 5[\s\S]*send m20 again: 1 effect, 1 slipped through/);
      await wb.screenshotThemes('idempotency-panel');
      await panel.locator('#stream-title').scrollIntoViewIfNeeded();
      await wb.screenshotThemes('idempotency-stream');
    });
  });

  it('breaks per-key order with round robin, set from the palette', async () => {
    await vs.check('round robin', async (wb) => {
      await wb.runCommand('DS Inspector: Set Dispatch…');
      await wb.pick('Round robin');
      steps.push({ type: 'setDispatch', dispatch: 'roundrobin' });
      await wb.runCommand('DS Inspector: Set Workers…');
      await wb.answer('8');
      steps.push({ type: 'setWorkers', workers: 8 });
      await wb.runCommand('DS Inspector: Send Messages…');
      await wb.answer('60');
      await wb.pick('Payments');
      steps.push({ type: 'send', count: 60, scenario: 'payment' });
      const want = await expected(steps);
      await countersBecome(panel, want, 'the counters after 60 payments over 8 round-robin workers');
      assert.ok(want.violations > 0, 'round robin should break some key\'s order');
      assert.match(await panel.locator('[data-verdict="order"]').innerText(), /Round robin × 8: \d+ order violations?/);
    });
  });

  it('says so when Redis cannot be reached, and stays on the in-memory store', async () => {
    await vs.check('redis unreachable', async (wb) => {
      await wb.runCommand('DS Inspector: Use Redis…');
      await wb.answer('redis://127.0.0.1:1');
      assert.match(await wb.waitForNotification(/Could not connect to Redis at redis:\/\/127\.0\.0\.1:1/), /ECONNREFUSED[\s\S]*in-memory store/);
      await wb.clearNotifications();
      assert.match(await panel.getByTestId('store-kind').innerText(), /in-memory/);
      // Still usable: one more duplicate lands on the in-memory lab.
      await wb.runCommand('DS Inspector: Send Duplicate…');
      await wb.pick('m80');
      await wb.pick('Same payload');
      steps.push({ type: 'duplicate', message: 'm80', changePayload: false });
      await countersBecome(panel, await expected(steps), 'the counters after a duplicate on the in-memory store');
    });
  });

  describe('with a Redis that wants a password', () => {
    const password = `pw-${process.pid}-s3cret`;
    let redis: RedisService;
    before(async () => { redis = await startRedis({ password }); });
    after(async () => { await redis?.stop(); });

    it('asks for the password, keeps it secret, and runs the lab on Redis', async () => {
      await vs.check('redis with a password', async (wb) => {
        await wb.runCommand('DS Inspector: Use Redis…');
        await wb.answer(redis.url);
        // Redis says NOAUTH; the command asks for the password instead of giving up.
        await wb.answer(password);
        await waitFor('the lab to show Redis as its store', async () => ((await panel.getByTestId('store-kind').innerText()).includes(`127.0.0.1:${redis.port}`) ? true : undefined));
        await wb.clearNotifications();

        await wb.runCommand('DS Inspector: Send Messages…');
        await wb.answer('5');
        await wb.pick('Payments');
        await waitFor('five keys in the Redis table', async () => (/5 keys/.test(await panel.getByTestId('store-total').innerText()) ? true : undefined), 30_000);
        await wb.runCommand('DS Inspector: Send Duplicate…');
        await wb.pick('m85');
        await wb.pick('Same payload');
        await waitFor('the duplicate dropped by the weak key in Redis', async () => ((await panel.locator('[data-testid="lanes"] [data-kind="dropped"][data-msg="m85"]').count()) > 0 ? true : undefined), 30_000);

        // Connecting again (the password now comes from secret storage) asks nothing.
        await wb.runCommand('DS Inspector: Use In-Memory Store');
        await waitFor('the lab back on the in-memory store', async () => (/in-memory/.test(await panel.getByTestId('store-kind').innerText()) ? true : undefined));
        await wb.runCommand('DS Inspector: Use Redis…');
        await wb.answer(redis.url);
        await waitFor('the lab on Redis again without a password prompt', async () => ((await panel.getByTestId('store-kind').innerText()).includes(`127.0.0.1:${redis.port}`) ? true : undefined));
        await wb.screenshotThemes('idempotency-redis');

        // The session is saved (debounced) as its exported file; neither it nor the log holds the password.
        await wb.page.waitForTimeout(1500);
        const saved = filesContaining(join(vs.profile.userDataDir, 'User', 'workspaceStorage'), `127.0.0.1:${redis.port}`);
        assert.ok(saved.length > 0, 'the saved session should mention the Redis it used');
        for (const f of saved) assert.ok(!readFileSync(f, 'utf8').includes(password), `the password is in ${f}`);
        assert.match(vs.extensionLog(), new RegExp(`use Redis at redis://127\\.0\\.0\\.1:${redis.port}`));
        assert.ok(!vs.extensionLog().includes(password), 'the password is in the log');
      });
    });
  });
});

/**
 * The Distributed Transactions inspector in a real VS Code, used as a user would: an order flow
 * run with a fault from the command palette (two-phase commit, the coordinator crashing after the
 * votes), the lanes and invariants read back from the panel and checked against the same run made
 * in-process; the run stepped back; a replay from the history stepped through and broken with a
 * fault built in the guided picker; a mistyped fault refused while it is typed; the explorer
 * finding the planted bug and opening its counterexample where atomicity broke.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { txnFactory } from '../../extension/engines/txn';
import type { RunSpec, TxnView } from '../../extension/protocol/txn';
import { waitFor } from '../harness/workbench';
import { openVsCode, type VsCodeSession } from '../harness/vscodeSession';

const text = async (f: Frame, selector: string): Promise<string> => ((await f.locator(selector).first().innerText({ timeout: 2000 })) ?? '').replace(/\s+/g, ' ').trim();

/** Waits until the element's text matches `want`. */
async function shows(f: Frame, selector: string, want: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(what, async () => {
    const t = await text(f, selector).catch(() => '');
    return want.test(t) ? t : undefined;
  }, timeoutMs, () => text(f, selector).catch((e: unknown) => `(${String(e)})`));
}

const position = (f: Frame): Promise<string> => text(f, '[data-testid="diagram-position"]');
const statuses = async (f: Frame): Promise<Record<string, string | null>> =>
  Object.fromEntries(await Promise.all((await f.locator('[data-invariant]').all()).map(async (l) => [await l.getAttribute('data-invariant'), await l.getAttribute('data-status')] as const)));

/** The same run made in-process: what the panel should show. */
function expected(run: RunSpec): TxnView {
  return txnFactory.create({ initial: run }).view() as TxnView;
}

describe('Transactions inspector in code-server', { timeout: 420_000 }, () => {
  let vs: VsCodeSession;
  let panel: Frame;
  const crashRun: RunSpec = { protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes'], seed: 1 };
  const want = expected(crashRun);
  const length = want.lanes!.length;
  const since = want.invariants!.blockedSince!;

  before(async () => {
    vs = await openVsCode('txn', { settings: { 'dsInspector.transactions.participants': 3 } });
  });
  after(async () => { await vs?.close(); });

  it('opens with a clean order flow: every service commits', async () => {
    await vs.check('open', async (wb) => {
      await wb.runCommand('DS Inspector: Open Transactions');
      panel = await wb.webview(/Transactions 1[\s\S]*Sequence diagram/);
      await shows(panel, '[data-verdict="outcome"]', /All 3 committed/, 'the default run settled');
      assert.deepEqual(await panel.locator('.lane-head strong').allInnerTexts(), ['Coordinator', 'Order', 'Payment', 'Coupon']);
    });
  });

  it('runs two-phase commit with the coordinator crashing after the votes, from the palette', async () => {
    await vs.check('run with a fault', async (wb) => {
      await wb.runCommand('DS Inspector: Run Order Flow…');
      await wb.pick('Two-phase commit');
      await wb.pick('3 participants');
      await wb.pick('Coordinator crashes after the votes');
      await shows(panel, '[data-verdict="blocked"]', new RegExp(`From step ${since} to \\d+, order, payment and coupon held their locks in doubt while coordinator was down`), 'the blocked verdict');
      assert.equal(await position(panel), `step ${length} of ${length}`);
      // Lanes: every participant was blocked holding its lock; the coordinator was down; all of it as the engine says.
      assert.equal(await panel.locator('[data-blocked]').count(), want.lanes!.blocked.length);
      assert.equal(await panel.locator('[data-down="coordinator"]').count(), 1);
      assert.equal(await panel.locator('[data-fate="dropped"]').count(), want.lanes!.arrows.filter((a) => a.fate === 'dropped').length);
      assert.equal(await panel.locator('[data-lock][data-end="released"]').count(), 3);
      assert.deepEqual(await statuses(panel), { atomicity: 'holds', money: 'holds', coupon: 'holds', consistency: 'holds', locks: 'holds', blocked: 'blocked' });
      assert.match(await text(panel, '[data-testid="run-outcome"]'), /^aborted$/);
      assert.match(await text(panel, '[data-fault="crash:coordinator@after-votes"]'), /fired/);
    });
  });

  it('steps back through the run: the invariants are pending again and the locks come back', async () => {
    await vs.check('step back', async (wb) => {
      for (let i = 1; i <= 3; i++) {
        await wb.runCommand('DS Inspector: Step Transaction Back');
        await shows(panel, '[data-testid="diagram-position"]', new RegExp(`^step ${length - i} of ${length}$`), `step ${length - i}`);
      }
      assert.equal((await statuses(panel))['consistency'], 'pending');
      // The blocked verdict's link takes the cursor to where the blocking began.
      await panel.locator('[data-verdict="blocked"] .link').click();
      await shows(panel, '[data-testid="diagram-position"]', new RegExp(`^step ${since} of ${length}$`), 'the cursor at the blocking');
      assert.equal(await panel.locator('.lane-head.down[data-lane="coordinator"]').count(), 1, 'the coordinator is down');
      assert.equal(await panel.locator('.lane-head.doubt').count(), 3, 'every participant is in doubt');
      assert.equal(await panel.locator('[data-lock][data-end="held"]').count(), 3, 'each holds its lock');
      assert.deepEqual(await statuses(panel), { atomicity: 'pending', money: 'pending', coupon: 'holds', consistency: 'pending', locks: 'pending', blocked: 'blocked' });
      await wb.screenshotThemes('txn-blocked');
    });
  });

  it('replays the run from the history, steps through it and breaks it with a fault built step by step', async () => {
    await vs.check('replay and inject', async (wb) => {
      await wb.runCommand('DS Inspector: Replay Transaction…');
      await wb.pick('2PC · 3 participants · crash:coordinator@after-votes');
      await shows(panel, '[data-verdict="outcome"]', /^Ready/, 'the replay at its start');
      for (let i = 1; i <= 2; i++) {
        await wb.runCommand('DS Inspector: Step Transaction Forward');
        await shows(panel, '[data-testid="diagram-position"]', new RegExp(`^step ${i} of ${i}$`), `replay step ${i}`);
      }
      await wb.runCommand('DS Inspector: Step Transaction Back');
      await shows(panel, '[data-testid="diagram-position"]', /^step 1 of 2$/, 'one step back in the replay');
      assert.match((await panel.locator('text.log.at').textContent()) ?? '', /client → coordinator: place order/, 'the step log reads the row at the cursor');

      await wb.runCommand('DS Inspector: Inject Fault…');
      await wb.pick('Lose a message…');
      await wb.pick('The next prepare message…');
      await wb.pick('prepare to payment');
      await shows(panel, '[data-testid="run-outcome"]', /^aborted$/, 'the run settled after the injection');
      assert.equal(await panel.locator('[data-fate="lost"]').count(), 1, 'the prepare to payment is lost');
      assert.match(await text(panel, '[data-testid="faults"]'), /lose:prepare->payment:from=1/);
    });
  });

  it('refuses a mistyped fault while it is typed, with the engine\'s reason', async () => {
    await vs.check('bad fault', async (wb) => {
      await wb.runCommand('DS Inspector: Inject Fault…');
      await wb.pick('Type a fault SPEC…');
      await assert.rejects(wb.answer('crash:nobody@start'), /there is no node "nobody" in this run\. Nodes: coordinator, order, payment, coupon/);
      await wb.dismissQuickInput();
    });
  });

  it('explores the planted bug and opens its counterexample where atomicity broke', async () => {
    await vs.check('explore', async (wb) => {
      await wb.runCommand('DS Inspector: Explore Failures…');
      await wb.pick('Two-phase commit');
      await wb.pick('3 participants');
      await wb.pick('1 crash');
      await wb.pick('No message fault');
      await wb.pick('Planted bug: commit-before-log');
      await shows(panel, '[data-exploration="0"] [data-cell="atomicity"]', /✕ \d+/, 'the explorer row');
      await wb.waitForNotification(/violated: atomicity/);
      await wb.clearNotifications();
      await panel.locator('[data-exploration="0"] [data-cell="atomicity"] button').click();
      await shows(panel, '[data-invariant="atomicity"]', /VIOLATED/i, 'the counterexample opened');
      assert.equal(await panel.locator('[data-invariant="atomicity"]').getAttribute('data-status'), 'violated');
      assert.match(await text(panel, '[data-verdict="invariants"]'), /Atomicity violated/);
      await wb.screenshotThemes('txn-counterexample');
    });
  });
});

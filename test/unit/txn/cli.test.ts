import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDsi, spawnDsi } from '../cli/runDsi';

test('dsi txn run --json prints one object with the outcome, the invariants and the schedule', async () => {
  const r = await runDsi('txn', 'run', '--protocol', '2pc', '--participants', '3', '--fault', 'crash:coordinator@after-votes', '--json');
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const o = JSON.parse(lines[0]!);
  assert.equal(o.outcome, 'aborted');
  assert.equal(o.status, 'settled');
  assert.ok(o.blockedSince > 0);
  assert.equal(o.invariants.atomicity.status, 'holds');
  assert.equal(o.schedule.length, o.steps);
  assert.match(o.schedule[0], /^1\. client → coordinator: place order$/);
});

test('dsi txn explore --json finds the planted bug and prints a replayable counterexample', async () => {
  const r = await runDsi('txn', 'explore', '--protocol', '2pc', '--participants', '3', '--crashes', '1', '--variant', 'commit-before-log', '--json');
  assert.equal(r.status, 0);
  const o = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(o).slice(0, 9), ['protocol', 'variant', 'participants', 'crashes', 'messages', 'runs', 'violations', 'blocked', 'counterexample']);
  assert.equal(o.runs, 44);
  assert.ok(o.violations.atomicity > 0);
  assert.ok(o.counterexample.length > 0 && o.counterexample.some((l: string) => /crashes/.test(l)));
  const replay = await runDsi('txn', 'run', '--protocol', '2pc', '--participants', '3', '--variant', 'commit-before-log', '--fault', o.counterexampleFaults.join(','), '--json');
  const run = JSON.parse(replay.stdout);
  assert.equal(run.invariants[o.counterexampleInvariant].status, 'violated');
  assert.deepEqual(run.schedule, o.counterexample);
});

test('dsi txn: bad arguments exit 2 with the reason and the usage (a real process)', () => {
  const r = spawnDsi('txn', 'run', '--protocol', '2pc', '--participants', '3', '--fault', 'crash:coordinatr@after-votes');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /there is no node "coordinatr" in this run/);
  assert.match(r.stderr, /Usage:\n  dsi txn run/);
  const v = spawnDsi('txn', 'explore', '--protocol', 'saga', '--participants', '3', '--crashes', '1', '--variant', 'commit-before-log');
  assert.equal(v.status, 2);
  assert.match(v.stderr, /planted bug in 2pc, not in saga/);
});

test('dsi txn run without --json prints the steps and a verdict per invariant', async () => {
  const r = await runDsi('txn', 'run', '--protocol', 'outbox', '--participants', '3', '--fault', 'dup:publish', '--variant', 'no-consumer-dedup');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Transactional outbox, 3 participants, faults: dup:publish/);
  // Payment applied the order twice: the wallet paid 60 for a 30 order.
  assert.match(r.stdout, /violated\s+money\s+since step \d+: total 70, was 100/);
});

/**
 * The transactions explorer: states per second, and the time to explore every placement of two
 * crashes for three participants, per protocol.
 *
 * Peer, measured in the same run: the same placements explored without sharing prefixes, each run
 * re-simulated from the start from its recorded faults (what a "list every fault plan, run each"
 * checker does). Both must reach the same verdicts; the ratio is what branching on copies saves.
 */
import { explore, startRun, verdicts } from '../extension/engines/txn';
import type { ExploreSpec, ProtocolName, RunSpec } from '../extension/protocol/txn';
import { PROTOCOL_NAMES } from '../extension/protocol/txn';
import os from 'node:os';
import { fmt, median, printTable, ratio } from './stats';

const RUNS = 7;

/** Wall and CPU time of one call: on a shared machine CPU time says more about the code. */
function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

/** Re-simulates every plan from the start, judging each run as the explorer does. */
function fromScratch(plans: readonly RunSpec[]): { states: number; violations: number } {
  let states = 0;
  let violations = 0;
  for (const plan of plans) {
    const sim = startRun(plan);
    sim.settle();
    states += sim.steps;
    if (verdicts(sim.state, sim.logic, sim.setup.flow, true, sim.stuck).some((v) => v.status === 'violated')) violations++;
  }
  return { states, violations };
}

function measure(protocol: ProtocolName, crashes: number, messages: number): Record<string, string | number> {
  const spec: ExploreSpec = { protocol, participants: 3, crashes, messages };
  const plans: RunSpec[] = [];
  const first = explore(spec, undefined, { onRun: (run) => plans.push(run) });
  const scratchCheck = fromScratch(plans);
  if (scratchCheck.violations !== 0 || first.violations.length !== 0) throw new Error(`${protocol}: a correct protocol broke an invariant`);
  // Interleaved, so a burst of load on the machine hits both sides alike.
  const dfs: { ms: number; cpuMs: number }[] = [];
  const scratch: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    dfs.push(timed(() => explore(spec)));
    scratch.push(timed(() => fromScratch(plans)));
  }
  const dfsCpu = median(dfs.map((t) => t.cpuMs));
  const scratchCpu = median(scratch.map((t) => t.cpuMs));
  return {
    protocol,
    faults: `${crashes} crash${crashes === 1 ? '' : 'es'}${messages ? ` + ${messages} msg` : ''}`,
    runs: first.runs,
    states: first.states,
    blocked: first.blocked,
    'explore ms': median(dfs.map((t) => t.ms)),
    'explore cpu ms': dfsCpu,
    'states/cpu-s': first.states / (dfsCpu / 1000),
    'scratch states': scratchCheck.states,
    'scratch cpu ms': scratchCpu,
    'scratch states/cpu-s': scratchCheck.states / (scratchCpu / 1000),
    'explore vs scratch': ratio(scratchCpu, dfsCpu),
  };
}

console.log(`Explorer, 3 participants, medians of ${RUNS} interleaved runs (after one warm-up exploration); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores\n`);
const rows = PROTOCOL_NAMES.map((p) => measure(p, 2, 0));
printTable(rows);
console.log('\nOne crash and one lost or duplicated message:\n');
printTable(PROTOCOL_NAMES.map((p) => measure(p, 1, 1)));
const total = rows.reduce((a, r) => a + (r['explore ms'] as number), 0);
console.log(`\nAll two-crash placements, four protocols: ${fmt(total)} ms wall.`);

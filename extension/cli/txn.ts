/** `dsi txn`: run an order flow through a distributed-transaction protocol with faults, or explore every fault placement. */
import { UserError } from '../engines/core/model';
import { FAULT_GRAMMAR, PROTOCOL_SHAPES, explore, startRun, stepLabel, verdicts } from '../engines/txn';
import type { Simulation } from '../engines/txn';
import type { ExploreSpec, RunSpec } from '../protocol/txn';
import { PARTICIPANT_IDS, PROTOCOL_NAMES, TXN_LIMITS, VARIANT_NAMES, VARIANT_PROTOCOL, shortestCounterexample } from '../protocol/txn';
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';

const usage = `Usage:
  dsi txn run     --protocol P --participants N [--fault SPEC] [--variant NAME] [--seed S] [--json]
  dsi txn explore --protocol P --participants N --crashes K [--messages M] [--variant NAME]
                  [--fault SPEC] [--seed S] [--json]

run      simulates one order until it settles and prints every step and the invariants; with
         --json one object: {"protocol","participants","variant","seed","faults","status",
         "outcome","steps","timeMs","blockedSince","messages","invariants":{name:{status,since,detail}},
         "schedule":[step labels]}.
explore  runs every placement of exactly K crashes and M message faults (each a lost or a
         duplicated message), each to quiescence, and prints {"runs","violations":{invariant:runs},
         "blocked","counterexample":[step labels of the shortest violating run],
         "counterexampleFaults":[SPEC…] (give them to dsi txn run to replay it),
         "counterexampleInvariant","held","stuck","states","complete","ms"}.

  --protocol P      ${PROTOCOL_NAMES.join(' | ')}
  --participants N  ${TXN_LIMITS.minParticipants}…${TXN_LIMITS.maxParticipants}: the first N of
                    ${PARTICIPANT_IDS.join(', ')}
  --variant NAME    correct (default) or a planted bug: ${Object.entries(VARIANT_PROTOCOL).map(([v, p]) => `${v} (${p})`).join(', ')}
  --crashes K       0…${TXN_LIMITS.maxExploreCrashes}      --messages M   0…${TXN_LIMITS.maxExploreMessageFaults} (default 0)
  --seed S          network latency seed (default 1)
  --fault SPEC      faults of the run (explore: faults every explored run starts with)

Nodes: coordinator (2pc, tcc), orchestrator (saga), broker (outbox) and the participants; in
outbox, order is the service with the outbox and its relay.
Milestones (for crash:NODE@after-MILESTONE) and messages, per protocol:
${PROTOCOL_NAMES.map((p) => `  ${p.padEnd(7)} ${PROTOCOL_SHAPES[p].milestones.join(', ')}; messages ${PROTOCOL_SHAPES[p].messageTypes.join(', ')}`).join('\n')}

${FAULT_GRAMMAR}

Examples:
  dsi txn run --protocol 2pc --participants 3 --fault crash:coordinator@after-votes --json
  dsi txn explore --protocol 2pc --participants 3 --crashes 1 --variant commit-before-log --json`;

function common(o: Options): { protocol: RunSpec['protocol']; participants: number; faults: string[]; variant: RunSpec['variant']; seed: number } {
  const protocol = o.choice('protocol', PROTOCOL_NAMES);
  const participants = o.int('participants', undefined, { min: TXN_LIMITS.minParticipants, max: TXN_LIMITS.maxParticipants });
  const faults = o.has('fault') ? o.list('fault') : [];
  const variant = o.choice('variant', VARIANT_NAMES, 'correct');
  const seed = o.int('seed', 1, { min: 0, max: 0xffffffff });
  return { protocol, participants, faults, variant, seed };
}

/** A fresh simulation of the run; the engine's complaints about it (an unknown node in a fault, a variant of another protocol) are usage errors. */
function checkedRun(run: RunSpec): Simulation {
  try {
    return startRun(run);
  } catch (e) {
    throw e instanceof UserError ? new UsageError(e.message) : e;
  }
}

/** Runs a spec to the end, keeping every step's label. */
function simulate(run: RunSpec): { sim: Simulation; schedule: string[] } {
  const sim = checkedRun(run);
  const schedule: string[] = [];
  sim.settle((info) => schedule.push(`${info.step}. ${stepLabel(info)}`));
  return { sim, schedule };
}

function runCommand(o: Options): number {
  const run = common(o);
  const json = o.flag('json');
  o.done();
  const { sim, schedule } = simulate(run);
  const settled = sim.quiescent;
  const vs = verdicts(sim.state, sim.logic, sim.setup.flow, true, sim.stuck);
  const blockedSince = sim.state.monitor.blockedSince ?? null;
  const status = sim.stuck ? 'stuck' : 'settled';
  if (json) {
    printJson({
      ...run, faults: sim.faultTexts(), status, outcome: sim.outcome(), steps: sim.steps, timeMs: sim.time, blockedSince,
      messages: sim.state.stats,
      invariants: Object.fromEntries(vs.map((v) => [v.name, { status: v.status, ...(v.since !== undefined ? { since: v.since } : {}), detail: v.detail }])),
      schedule,
    });
    return 0;
  }
  const out = process.stdout;
  out.write(`${sim.logic.title}, ${run.participants} participants${run.faults.length ? `, faults: ${run.faults.join(', ')}` : ''}\n\n`);
  for (const line of schedule) out.write(`  ${line}\n`);
  out.write(`\n${settled ? 'Settled' : `Did not settle within ${TXN_LIMITS.maxRunSteps} steps`} after ${sim.steps} steps, ${sim.time} ms simulated. Outcome: ${sim.outcome()}.\n`);
  if (blockedSince !== null) out.write(`Blocked: a participant held its locks in doubt while the coordinator was down (from step ${blockedSince}).\n`);
  for (const v of vs) out.write(`  ${v.status.padEnd(9)} ${v.name.padEnd(12)} ${v.since !== undefined ? `since step ${v.since}: ` : ''}${v.detail}\n`);
  return 0;
}

function exploreCommand(o: Options): number {
  const base = common(o);
  const crashes = o.int('crashes', undefined, { min: 0, max: TXN_LIMITS.maxExploreCrashes });
  const messages = o.int('messages', 0, { min: 0, max: TXN_LIMITS.maxExploreMessageFaults });
  const json = o.flag('json');
  o.done();
  const spec: ExploreSpec = { ...base, crashes, messages };
  // Check the base run (names in --fault, the variant) before a long exploration.
  checkedRun(base);
  let lastLine = 0;
  const r = explore(spec, {
    cancelled: false,
    progress(fraction, message) {
      if (json || !process.stderr.isTTY || Date.now() - lastLine < 500) return;
      lastLine = Date.now();
      process.stderr.write(`\r  exploring… ${Math.round(fraction * 100)}% ${message ?? ''}   `);
    },
  });
  if (!json && process.stderr.isTTY) process.stderr.write('\r' + ' '.repeat(60) + '\r');
  const best = shortestCounterexample(r);
  const schedule = best ? simulate(best.run).schedule : [];
  const summary = {
    protocol: r.protocol, variant: r.variant, participants: r.participants, crashes: r.crashes, messages: r.messages,
    runs: r.runs,
    violations: Object.fromEntries(r.violations.map((v) => [v.invariant, v.runs])),
    blocked: r.blocked,
    counterexample: schedule,
    counterexampleFaults: best?.run.faults ?? [],
    counterexampleInvariant: best?.invariant ?? null,
    held: r.held, stuck: r.stuck, states: r.states, complete: r.complete, ms: Math.round(r.ms),
  };
  if (json) {
    printJson(summary);
    return 0;
  }
  const out = process.stdout;
  out.write(`${r.protocol}${r.variant !== 'correct' ? ` (${r.variant})` : ''}, ${r.participants} participants: ${r.runs.toLocaleString('en-US')} runs with ${r.crashes} crash(es) and ${r.messages} message fault(s), ${r.states.toLocaleString('en-US')} states, ${Math.round(r.ms)} ms\n`);
  out.write(`  held:     ${r.held.join(', ') || '—'}\n`);
  out.write(`  violated: ${r.violations.map((v) => `${v.invariant} in ${v.runs} runs`).join(', ') || 'none'}\n`);
  out.write(`  blocked:  ${r.blocked} runs${r.stuck ? `; did not settle: ${r.stuck} runs` : ''}\n`);
  if (best) {
    out.write(`\nShortest counterexample (${best.invariant}, ${best.length} steps; replay with --fault ${best.run.faults.join(',')}):\n`);
    for (const line of schedule) out.write(`  ${line}\n`);
  }
  return 0;
}

export const txnCommand: CliCommand = {
  name: 'txn',
  summary: 'run an order flow through 2PC, TCC, saga or outbox with faults, or explore every crash placement',
  usage,
  run(argv) {
    const [sub, ...rest] = argv;
    const o = new Options(parseArgs(rest, ['json']));
    if (sub === 'run') return runCommand(o);
    if (sub === 'explore') return exploreCommand(o);
    throw new UsageError(sub === undefined ? 'say run or explore' : `unknown subcommand "${sub}": say run or explore`);
  },
};

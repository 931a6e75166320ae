/**
 * Exhaustive exploration of fault placements for a small configuration: every placement of K
 * crashes and M message faults (each one lost or one duplicated message), every run taken to
 * quiescence and judged by the invariants.
 *
 * The search is a depth-first walk over one simulation: the fault-free run is stepped once, and at
 * every step where a fault can go, a clone of the simulation takes the fault and goes on
 * exploring, so prefixes are shared instead of re-run. Placements:
 * - a crash of node X goes right after each of X's own steps (and before the first step). A crash
 *   between two steps of *other* nodes differs only in when X's downtime starts; X itself cannot
 *   tell, so every distinct point in X's life is covered once;
 * - a lost or duplicated message is each message sent.
 * Every placement is recorded as fault specs, so a counterexample replays exactly in the model.
 *
 * Runs in whatever thread calls it: the model calls it from its worker with the worker's progress
 * and cancel; `dsi txn explore` and the benchmark call it directly.
 */
import type { ExploreSpec, ExplorerCounterexample, ExplorerResult, InvariantName, RunSpec } from '../../protocol/txn';
import { INVARIANT_NAMES, TXN_LIMITS } from '../../protocol/txn';
import type { RunContext } from '../core/model';
import { noRunContext } from '../core/model';
import { verdicts } from './invariants';
import { normalizeRun, startRun } from './runSpec';
import type { Simulation } from './simulation';
import type { StepInfo } from './state';

/** How often (in simulation steps) the cancel flag and progress are looked at. */
const CHECK_EVERY = 256;

export interface ExploreOptions {
  /** Stop after this many runs (the result then says it is incomplete). */
  maxRuns?: number;
  /** Sees every run explored: its spec (replays it from scratch), its length and what it broke. */
  onRun?(run: RunSpec, steps: number, violated: InvariantName[]): void;
}

class Search {
  runs = 0;
  states = 0;
  blocked = 0;
  stuck = 0;
  stopped = false;
  readonly violations = new Map<InvariantName, number>();
  readonly shortest = new Map<InvariantName | 'blocked', ExplorerCounterexample>();
  private applicable = new Set<InvariantName>();
  private baselineSteps = 1;
  private readonly maxRuns: number;

  constructor(private readonly base: RunSpec & { seed: number }, private readonly ctx: RunContext, private readonly opts: ExploreOptions) {
    this.maxRuns = opts.maxRuns ?? TXN_LIMITS.maxExploreRuns;
  }

  start(crashes: number, messages: number): void {
    const root = startRun(this.base);
    const probe = root.clone();
    probe.settle();
    this.baselineSteps = Math.max(1, probe.steps);
    this.atStart(root, crashes, messages, [], 0);
  }

  /** Crashes before the first step, of nodes in lane order (so a pair is tried once), then the walk. */
  private atStart(sim: Simulation, crashes: number, messages: number, placed: string[], firstNode: number): void {
    const ids = Object.keys(sim.nodes);
    if (crashes > 0) {
      for (let i = firstNode; i < ids.length && !this.stopped; i++) {
        const child = sim.clone();
        const text = child.inject({ kind: 'crash', node: ids[i]!, when: { at: 'step', step: 0 } });
        this.atStart(child, crashes - 1, messages, [...placed, text], i + 1);
      }
    }
    this.walk(sim, crashes, messages, placed, undefined, true);
  }

  /**
   * Steps `sim` to quiescence, branching after each step. `last` is a step whose branches are
   * still owed (a child made at that step may still place a crash there).
   */
  private walk(sim: Simulation, crashes: number, messages: number, placed: string[], last: { info: StepInfo; messages: boolean } | undefined, root = false): void {
    if (last) this.branch(sim, crashes, messages, placed, last.info, last.messages);
    while (!this.stopped && !sim.quiescent && !sim.stuck) {
      const info = sim.step();
      if (++this.states % CHECK_EVERY === 0) this.check(root ? sim.steps : undefined);
      this.branch(sim, crashes, messages, placed, info, true);
    }
    if (!this.stopped && crashes === 0 && messages === 0) this.leaf(sim, placed);
  }

  private branch(sim: Simulation, crashes: number, messages: number, placed: string[], info: StepInfo, allowMessages: boolean): void {
    if (this.stopped) return;
    if (allowMessages && messages > 0 && info.kind === 'send') {
      for (const kind of ['lose', 'dup'] as const) {
        const child = sim.clone();
        const text = child.inject({ kind, msg: { by: 'id', id: info.msg.id } });
        this.walk(child, crashes, messages - 1, [...placed, text], { info, messages: false });
        if (this.stopped) return;
      }
    }
    // Only the node that acted may crash after this step (see the header); a loss is the network's step.
    if (crashes > 0 && info.kind !== 'lost' && sim.nodes[info.node]!.up) {
      const child = sim.clone();
      const text = child.inject({ kind: 'crash', node: info.node, when: { at: 'step', step: sim.steps } });
      this.walk(child, crashes - 1, messages, [...placed, text], undefined);
    }
  }

  private leaf(sim: Simulation, placed: string[]): void {
    this.runs++;
    const stuck = sim.stuck;
    if (stuck) this.stuck++;
    const run: RunSpec = { ...this.base, faults: [...this.base.faults, ...placed] };
    const consider = (invariant: InvariantName | 'blocked', since: number): void => {
      const best = this.shortest.get(invariant);
      if (!best || sim.steps < best.length) this.shortest.set(invariant, { invariant, run, length: sim.steps, since });
    };
    const broken: InvariantName[] = [];
    for (const v of verdicts(sim.state, sim.logic, sim.setup.flow, true, stuck)) {
      if (v.status === 'n/a') continue;
      this.applicable.add(v.name);
      if (v.status !== 'violated') continue;
      broken.push(v.name);
      this.violations.set(v.name, (this.violations.get(v.name) ?? 0) + 1);
      consider(v.name, v.since ?? sim.steps);
    }
    this.opts.onRun?.(run, sim.steps, broken);
    const blockedSince = sim.state.monitor.blockedSince;
    if (blockedSince !== undefined) {
      this.blocked++;
      consider('blocked', blockedSince);
    }
    if (this.runs >= this.maxRuns) this.stopped = true;
    if (this.runs % 64 === 0) this.check(undefined);
  }

  private check(rootSteps: number | undefined): void {
    if (this.ctx.cancelled) { this.stopped = true; return; }
    if (rootSteps !== undefined) this.ctx.progress(Math.min(0.99, rootSteps / this.baselineSteps), `${this.runs} runs`);
  }

  held(): InvariantName[] {
    return INVARIANT_NAMES.filter((n) => this.applicable.has(n) && !this.violations.has(n));
  }
}

/** Explores every placement of `spec.crashes` crashes and `spec.messages` message faults. */
export function explore(spec: ExploreSpec, ctx: RunContext = noRunContext, opts: ExploreOptions = {}): ExplorerResult {
  const t0 = performance.now();
  const base = normalizeRun({ protocol: spec.protocol, participants: spec.participants, faults: spec.faults ?? [], ...(spec.variant ? { variant: spec.variant } : {}), ...(spec.seed !== undefined ? { seed: spec.seed } : {}) });
  const messages = spec.messages ?? 0;
  const search = new Search(base, ctx, opts);
  search.start(spec.crashes, messages);
  const complete = !search.stopped;
  if (complete) ctx.progress(1, `${search.runs} runs`);
  const order: (InvariantName | 'blocked')[] = [...INVARIANT_NAMES, 'blocked'];
  return {
    protocol: base.protocol,
    variant: base.variant,
    participants: base.participants,
    crashes: spec.crashes,
    messages,
    baseFaults: base.faults,
    runs: search.runs,
    states: search.states,
    blocked: search.blocked,
    stuck: search.stuck,
    violations: INVARIANT_NAMES.filter((n) => search.violations.has(n)).map((invariant) => ({ invariant, runs: search.violations.get(invariant)! })),
    held: complete ? search.held() : [],
    counterexamples: order.flatMap((n) => { const c = search.shortest.get(n); return c ? [c] : []; }),
    complete,
    ms: performance.now() - t0,
  };
}

/**
 * The Distributed Transactions inspector as a model: runs of an order flow recorded step by step
 * on the timeline (every message, log write, local commit, lock event, crash and recovery is one
 * step the scrubber walks through), faults injected at the cursor, what-if branches, replays, and
 * explorations kept beside the timeline.
 */
import type {
  ExplorerResult, RunOutcome, RunSpec, RunStatus, TxnBalanceRow, TxnConfig, TxnHistoryEntry, TxnIntent,
  TxnInvariantsPart, TxnParts, TxnRunPart, TxnStep, TxnView,
} from '../../protocol/txn';
import { TXN_LIMITS, txnConfigSchema, txnIntentSchema, txnStepSchema } from '../../protocol/txn';
import type { InspectorModel, Metric, ModelFactory, RunContext } from '../core/model';
import { UserError, noRunContext, timelineView } from '../core/model';
import type { SessionFile } from '../core/sessionFile';
import { makeSessionFile } from '../core/sessionFile';
import type { Replayable } from '../core/timeline';
import { Timeline } from '../core/timeline';
import { explore } from './explorer';
import { parseFault } from './faults';
import { faultVocabulary } from './protocols/shapes';
import { INVARIANT_INFO, verdicts } from './invariants';
import type { StepRecord } from './lanes';
import { buildLanes } from './lanes';
import { participantSpec } from './participants';
import { checkVariant, normalizeRun, startRun } from './runSpec';
import type { RunSetup } from './simulation';
import { Simulation } from './simulation';
import type { SimState } from './state';
import { stepLabel } from './stepLabels';

export const TXN_KIND = 'txn';

interface Snap {
  run: RunSpec | null;
  setup: RunSetup | null;
  sim: SimState | null;
  runBegin: number;
  applied: number;
}

interface RunSummary {
  /** The run's faults as they stand (injections and what-ifs included): replaying them reproduces it. */
  faults: string[];
  status: RunStatus;
  outcome: RunOutcome;
  violated: TxnHistoryEntry['violated'];
  blocked: boolean;
}

const DEFAULT_RUN: RunSpec = { protocol: '2pc', participants: 5, faults: [] };

function runTitle(run: RunSpec): string {
  const n = normalizeRun(run);
  const extras = [...n.faults, ...(n.variant !== 'correct' ? [`variant ${n.variant}`] : [])];
  return `▶ ${n.protocol} · ${n.participants} participants${extras.length ? ` · ${extras.join(', ')}` : ''}`;
}

export class TxnModel implements InspectorModel<TxnIntent, TxnView>, Replayable<TxnStep, Snap> {
  private readonly timeline: Timeline<TxnStep, Snap>;
  private sim: Simulation | null = null;
  private run: RunSpec | null = null;
  /** Timeline index of the begin entry of the run shown; -1 before the first run. */
  private runBegin = -1;
  /** Entries applied: the timeline's cursor, kept in step while the timeline redoes entries. */
  private applied = 0;
  /** Per timeline entry: what its simulation step did (null for begin entries). */
  private records: (StepRecord | null)[] = [];
  private readonly begins: number[] = [];
  private readonly summaries = new Map<number, RunSummary>();
  private readonly explorations: ExplorerResult[];

  constructor(private readonly config: TxnConfig) {
    this.explorations = [...(config.explorations ?? [])];
    this.timeline = new Timeline<TxnStep, Snap>(this);
  }

  // ── Replayable ──────────────────────────────────────────────────────────────────────────────

  snapshot(): Snap {
    return { run: this.run, setup: this.sim?.setup ?? null, sim: this.sim?.snapshot() ?? null, runBegin: this.runBegin, applied: this.applied };
  }

  restore(snap: Snap): void {
    this.run = snap.run;
    this.sim = snap.sim && snap.setup ? Simulation.restore(snap.setup, snap.sim) : null;
    this.runBegin = snap.runBegin;
    this.applied = snap.applied;
  }

  redo(step: TxnStep): void {
    this.apply(step);
  }

  private apply(step: TxnStep): StepRecord | null {
    const index = this.applied;
    if (step.kind === 'begin') {
      this.sim = startRun(step.run);
      this.run = normalizeRun(step.run);
      this.runBegin = index;
      if (this.begins.length === 0 || this.begins[this.begins.length - 1]! < index) this.begins.push(index);
      this.applied++;
      return null;
    }
    const sim = this.requireSim();
    if (step.inject) {
      if (step.inject.dropPending) sim.dropPendingFaults();
      sim.inject(parseFault(step.inject.fault, faultVocabulary(sim.setup.protocol, sim.setup.flow)));
    }
    const info = sim.step();
    const blocked = Object.keys(sim.state.monitor.blockedNow);
    const rec: StepRecord = blocked.length ? { ...info, blocked } : info;
    this.records[index] = rec;
    this.applied++;
    return rec;
  }

  /** Applies a new step at the cursor (dropping what came after it: a new branch) and records it. */
  private record(step: TxnStep): StepRecord | null {
    const cursor = this.timeline.cursor;
    if (cursor < this.timeline.length) {
      this.records.length = cursor;
      while (this.begins.length && this.begins[this.begins.length - 1]! >= cursor) this.summaries.delete(this.begins.pop()!);
    }
    if (step.kind === 'begin') this.summarize();
    const rec = this.apply(step);
    const label = step.kind === 'begin' ? runTitle(step.run) : `${rec!.step}. ${step.inject ? `[${step.inject.fault}] ` : ''}${stepLabel(rec!)}`;
    this.timeline.record(step, label);
    return rec;
  }

  private requireSim(): Simulation {
    if (!this.sim) throw new UserError('There is no run yet. Run an order flow first (Run Order Flow…), then inject faults or step through it.');
    return this.sim;
  }

  private settle(): void {
    const sim = this.requireSim();
    while (!sim.quiescent && !sim.stuck) this.record({ kind: 'advance' });
  }

  /** Recorded steps of the run shown. */
  private runLength(): number {
    if (this.runBegin < 0) return 0;
    let n = 0;
    for (let i = this.runBegin + 1; i < this.timeline.length && this.timeline.entry(i).step.kind === 'advance'; i++) n++;
    return n;
  }

  /** Remembers how the run shown ends (for the history part), when the cursor is at its last recorded step. */
  private summarize(): void {
    const sim = this.sim;
    if (!sim || this.runBegin < 0 || this.timeline.cursor !== this.runBegin + 1 + this.runLength()) return;
    const vs = verdicts(sim.state, sim.logic, sim.setup.flow, sim.quiescent || sim.stuck, sim.stuck);
    this.summaries.set(this.runBegin, {
      faults: sim.faultTexts(),
      status: sim.status(),
      outcome: sim.outcome(),
      violated: vs.filter((v) => v.status === 'violated').map((v) => v.name),
      blocked: sim.state.monitor.blockedSince !== undefined,
    });
  }

  /** Checks that injecting `fault` now does something, on a copy, before anything is recorded. */
  private checkInjection(sim: Simulation, fault: string, dropPending: boolean): void {
    const probe = sim.clone();
    if (dropPending) probe.dropPendingFaults();
    probe.inject(parseFault(fault, faultVocabulary(sim.setup.protocol, sim.setup.flow)));
    if (probe.quiescent) throw new UserError(`Injecting "${fault}" here changes nothing: the run has settled and no message, timer or recovery is left for it to act on. Step back to the moment you want to break and inject there (or use What if…).`);
  }

  // ── InspectorModel ──────────────────────────────────────────────────────────────────────────

  dispatch(intent: TxnIntent, ctx: RunContext): void {
    switch (intent.type) {
      case 'run':
      case 'replay':
        startRun(intent.run);
        // A new run goes after everything recorded: starting one never cuts another run short.
        this.timeline.seek(this.timeline.length);
        this.record({ kind: 'begin', run: intent.run });
        if (intent.type === 'run' && intent.settle !== false) this.settle();
        if (intent.type === 'replay' && intent.at !== undefined) {
          this.settle();
          this.summarize();
          this.timeline.seek(this.runBegin + 1 + Math.min(intent.at, this.runLength()));
        }
        break;
      case 'step':
        this.stepCursor(intent.direction, intent.count ?? 1);
        break;
      case 'inject': {
        this.checkInjection(this.requireSim(), intent.fault, false);
        this.record({ kind: 'advance', inject: { fault: intent.fault, dropPending: false } });
        this.settle();
        break;
      }
      case 'whatIf': {
        this.requireSim();
        const length = this.runLength();
        if (intent.at > length) throw new UserError(`This run has ${length} steps, so there is no step ${intent.at} to branch from. Pick a step from 0 to ${length}.`);
        this.timeline.seek(this.runBegin + 1 + intent.at);
        this.checkInjection(this.requireSim(), intent.fault, true);
        this.record({ kind: 'advance', inject: { fault: intent.fault, dropPending: true } });
        this.settle();
        break;
      }
      case 'explore': {
        checkVariant(intent.spec.protocol, intent.spec.variant ?? 'correct');
        const result = explore(intent.spec, ctx);
        this.explorations.unshift(result);
        this.explorations.length = Math.min(this.explorations.length, TXN_LIMITS.maxExplorations);
        break;
      }
    }
    this.summarize();
  }

  private stepCursor(direction: 'forward' | 'back', count: number): void {
    const t = this.timeline;
    if (direction === 'back') {
      if (t.cursor === 0) throw new UserError('Already at the first step.');
      t.seek(Math.max(0, t.cursor - count));
      return;
    }
    if (t.cursor < t.length) {
      t.seek(Math.min(t.length, t.cursor + count));
      return;
    }
    const sim = this.requireSim();
    if (sim.quiescent || sim.stuck) throw new UserError('The run has settled: nothing more happens. Inject a fault, branch with What if…, or run a new order flow.');
    for (let i = 0; i < count && !sim.quiescent && !sim.stuck; i++) this.record({ kind: 'advance' });
  }

  seek(step: number): void {
    this.timeline.seek(step);
  }

  exportSession(): SessionFile<TxnConfig, TxnStep> {
    const config: TxnConfig = { ...(this.config.initial ? { initial: this.config.initial } : {}), explorations: this.explorations };
    return makeSessionFile(TXN_KIND, config, this.timeline.steps(), this.timeline.labels(), this.timeline.cursor);
  }

  /** Rebuilds the timeline from recorded steps (an imported session). */
  replaySteps(steps: readonly TxnStep[], cursor: number): void {
    steps.forEach((step, i) => {
      try {
        this.record(step);
      } catch (e) {
        throw new UserError(`This session does not replay: step ${i} (${step.kind}) failed: ${(e as Error).message}`);
      }
    });
    this.summarize();
    this.timeline.seek(cursor);
  }

  // ── view ────────────────────────────────────────────────────────────────────────────────────

  view(): TxnView {
    const sim = this.sim;
    const parts: TxnParts = {
      run: sim && this.run ? this.runPart(sim, this.run) : null,
      lanes: sim ? buildLanes(sim, this.records.slice(this.runBegin + 1, this.timeline.cursor) as StepRecord[], this.runBegin + 1, this.runLength()) : null,
      invariants: sim ? invariantsPart(sim) : null,
      balances: sim ? balancesPart(sim) : null,
      history: this.history(),
      explorer: this.explorations,
    };
    return { summary: this.summaryPart(parts), timeline: timelineView(this.timeline), ...parts };
  }

  private runPart(sim: Simulation, run: RunSpec): TxnRunPart {
    return {
      run: { ...run, faults: sim.faultTexts() },
      faults: sim.faultTexts(),
      pendingFaults: sim.pendingFaultTexts(),
      status: sim.status(),
      outcome: sim.outcome(),
      step: sim.steps,
      timeMs: sim.time,
      messages: { ...sim.state.stats },
    };
  }

  private history(): TxnHistoryEntry[] {
    const out: TxnHistoryEntry[] = [];
    const begins = this.begins.slice(-TXN_LIMITS.maxHistory);
    for (const b of begins) {
      const step = this.timeline.entry(b).step;
      if (step.kind !== 'begin') continue;
      const next = this.begins.find((x) => x > b) ?? this.timeline.length;
      const s = this.summaries.get(b);
      const run = normalizeRun(step.run);
      out.push({
        run: s ? { ...run, faults: s.faults } : run, beginStep: b, steps: next - b - 1,
        status: s?.status ?? 'ready', outcome: s?.outcome ?? 'none', violated: s?.violated ?? [], blocked: s?.blocked ?? false,
      });
    }
    return out;
  }

  private summaryPart(parts: TxnParts): TxnView['summary'] {
    const run = parts.run;
    if (!run || !parts.invariants) {
      return { title: 'Transactions', subtitle: 'No run yet', metrics: [{ label: 'Explorations', value: String(this.explorations.length) }] };
    }
    const violated = parts.invariants.items.filter((i) => i.status === 'violated');
    const pending = parts.invariants.items.some((i) => i.status === 'pending');
    const metrics: Metric[] = [
      { label: 'Outcome', value: run.outcome, tone: run.outcome === 'mixed' ? 'bad' : run.outcome === 'committed' ? 'good' : run.outcome === 'pending' ? 'warn' : 'normal', hint: 'What the participants durably did' },
      violated.length
        ? { label: 'Invariants', value: `${violated.length} violated`, tone: 'bad', hint: violated.map((v) => INVARIANT_INFO[v.name].label).join(', ') }
        : { label: 'Invariants', value: pending ? 'pending' : 'all hold', tone: pending ? 'normal' : 'good', hint: 'Settle-time invariants are judged when the run settles' },
      { label: 'Blocked', value: parts.invariants.blockedSince !== undefined ? `since step ${parts.invariants.blockedSince}` : 'no', tone: parts.invariants.blockedSince !== undefined ? 'warn' : 'normal', hint: 'A participant held locks in doubt while the coordinator was down' },
      { label: 'Messages', value: `${run.messages.sent} sent, ${run.messages.lost} lost, ${run.messages.duplicated} dup` },
      { label: 'Time', value: `${run.timeMs} ms`, hint: 'Simulated time' },
    ];
    const n = run.run.participants;
    return { title: 'Transactions', subtitle: `${this.sim!.logic.title} · ${n} participants · step ${run.step} of ${this.runLength()}`, metrics };
  }
}

function invariantsPart(sim: Simulation): TxnInvariantsPart {
  const vs = verdicts(sim.state, sim.logic, sim.setup.flow, sim.quiescent || sim.stuck, sim.stuck);
  const blockedSince = sim.state.monitor.blockedSince;
  return {
    settled: sim.quiescent,
    items: vs.map((v) => ({ ...v, label: INVARIANT_INFO[v.name].label, description: INVARIANT_INFO[v.name].description })),
    ...(blockedSince !== undefined ? { blockedSince } : {}),
  };
}

function balancesPart(sim: Simulation): TxnView['balances'] {
  const rows: TxnBalanceRow[] = [];
  let moneyTotal = 0;
  let moneyInitial = 0;
  for (const p of sim.setup.flow) {
    const node = sim.nodes[p]!;
    const spec = participantSpec(p);
    for (const [key, value] of Object.entries(node.values)) {
      const money = spec.money.includes(key);
      const frozen = node.frozen[key] ?? 0;
      const initial = sim.state.initialValues[p]?.[key] ?? 0;
      rows.push({ node: p, key, label: spec.labels[key] ?? key, value, initial, frozen, money });
      if (money) { moneyTotal += value + frozen; moneyInitial += initial; }
    }
  }
  return { rows, moneyTotal, moneyInitial };
}

export const txnFactory: ModelFactory<TxnConfig, TxnIntent, TxnStep> = {
  kind: TXN_KIND,
  title: 'Transactions',
  configSchema: txnConfigSchema,
  intentSchema: txnIntentSchema,
  stepSchema: txnStepSchema,
  defaults: () => ({ initial: DEFAULT_RUN }),
  create(config) {
    const model = new TxnModel(config);
    if (config.initial) model.dispatch({ type: 'run', run: config.initial }, noRunContext);
    return model;
  },
  fromSession(file: SessionFile<TxnConfig, TxnStep>) {
    const model = new TxnModel(file.config);
    model.replaySteps(file.steps, file.cursor);
    return model;
  },
};

/**
 * A deterministic discrete-event simulation of one order flowing through a protocol.
 *
 * Each call to step() does exactly one thing, in this order of priority: fire a crash that is due;
 * apply the next pending effect (a send, a log write, a local commit, a lock change) of the last
 * handler; or take the earliest event from the queue (a delivery, a timer, a recovery, the client's
 * order request) and run its node's handler. Time only moves when an event is taken; latencies
 * come from the seeded PRNG, so the same setup and faults always give the same run, step by step.
 *
 * Crashes wipe a node's volatile state, timers and unapplied effects; messages that reach a node
 * while it is down are dropped; the node recovers after its downtime and rebuilds itself from its
 * durable log. A run ends when nothing is left to do (quiescence).
 */
import type { ParticipantId, ProtocolName, RunOutcome, RunStatus, VariantName } from '../../protocol/txn';
import { TXN_LIMITS } from '../../protocol/txn';
import { UserError } from '../core/model';
import { Prng } from '../core/prng';
import type { Fault, MessageSelector } from './faults';
import { DEFAULT_DOWNTIME_MS, formatFault } from './faults';
import { setDedupKey } from './consumerDedup';
import { initMonitor, updateMonitor } from './invariants';
import type { NodeContext, ProtocolLogic } from './nodeLogic';
import { participantSpec } from './participants';
import { protocolLogic } from './protocols';
import type { Effect, LocalChange, LockKind, LogRecord, Message, MessageBody, NodeState, PendingEffect, PlannedFault, QueueEntry, SimState, StepDetail, StepInfo } from './state';

export interface RunSetup {
  protocol: ProtocolName;
  variant: VariantName;
  flow: readonly ParticipantId[];
  seed: number;
}

/** One-way network latency: 6…14 ms. */
const LATENCY_MIN = 6;
const LATENCY_SPREAD = 9;
/** A reordered message waits this long for another message to overtake it. */
const REORDER_HOLD_MS = 100;
/** A duplicate arrives this long after the original. */
const DUP_GAP_MS = 5;

type HandlerResult = { milestone?: string; note?: string };

export class Simulation {
  readonly logic: ProtocolLogic;
  private readonly prng: Prng;

  private constructor(readonly setup: RunSetup, private s: SimState) {
    this.logic = protocolLogic(setup.protocol);
    this.prng = new Prng(s.prng);
  }

  /** A fresh run: nodes in their initial state, the client's request queued, faults planned. */
  static create(setup: RunSetup, faults: readonly Fault[]): Simulation {
    const logic = protocolLogic(setup.protocol);
    const nodes: Record<string, NodeState> = {};
    for (const lane of logic.lanes(setup.flow)) {
      const p = lane.role === 'participant' || lane.role === 'source' ? (lane.id as ParticipantId) : undefined;
      nodes[lane.id] = {
        id: lane.id, role: lane.role, ...(p ? { participant: p } : {}), up: true,
        values: p ? { ...participantSpec(p).values } : {}, frozen: {}, log: [], records: {},
        locks: {}, timers: {}, vol: {},
      };
    }
    const state: SimState = {
      initialValues: {},
      step: 0, time: 0, nextMsgId: 1, nextSeq: 1, prng: new Prng(setup.seed).state(), nodes,
      queue: [], effects: [], faults: [], stats: { sent: 0, lost: 0, duplicated: 0 },
      monitor: { moneyInitial: 0, tracks: {}, blockedNow: {} },
    };
    const sim = new Simulation(setup, state);
    for (const f of faults) sim.plan(f);
    state.queue.push({ time: 0, seq: state.nextSeq++, kind: 'start' });
    sim.resetBaseline();
    return sim;
  }

  // ── state access ──────────────────────────────────────────────────────────────────────────

  get steps(): number {
    return this.s.step;
  }

  get time(): number {
    return this.s.time;
  }

  get state(): Readonly<SimState> {
    return this.s;
  }

  get nodes(): Readonly<Record<string, NodeState>> {
    return this.s.nodes;
  }

  /** Nothing left to do: no crash due, no effect pending, no event queued. */
  get quiescent(): boolean {
    return this.s.effects.length === 0 && this.s.queue.length === 0 && !this.s.faults.some((f) => f.state === 'due');
  }

  /** Not settled within the step cap. */
  get stuck(): boolean {
    return !this.quiescent && this.s.step >= TXN_LIMITS.maxRunSteps;
  }

  status(): RunStatus {
    if (this.stuck) return 'stuck';
    if (this.quiescent) return 'settled';
    return this.s.step === 0 ? 'ready' : 'running';
  }

  /** What the participants durably did: all committed, all aborted or compensated, a mix, or not finished. */
  outcome(): RunOutcome {
    let committed = 0;
    let aborted = 0;
    let pending = 0;
    for (const p of this.setup.flow) {
      const o = this.logic.outcome(this.s.nodes[p]!);
      if (o === 'committed') committed++;
      else if (o === 'aborted') aborted++;
      else if (o === 'pending') pending++;
    }
    if (committed === this.setup.flow.length) return 'committed';
    // Mid-run, a saga or outbox is partly done by design; two-phase commit never may be.
    if (committed > 0 && aborted > 0 && this.logic.atomicAtEveryStep) return 'mixed';
    if (pending > 0) return 'pending';
    if (committed > 0) return this.quiescent || this.stuck ? 'mixed' : 'pending';
    return aborted > 0 ? 'aborted' : 'none';
  }

  snapshot(): SimState {
    this.s.prng = this.prng.state();
    return cloneState(this.s);
  }

  static restore(setup: RunSetup, snap: SimState): Simulation {
    return new Simulation(setup, cloneState(snap));
  }

  clone(): Simulation {
    return new Simulation(this.setup, this.snapshot());
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────

  /** Adds a fault armed after the current step (a what-if or an Inject Fault…). Returns its canonical text. */
  inject(fault: Fault): string {
    return this.plan({ ...fault, from: Math.max(fault.from ?? 0, this.s.step) });
  }

  /** Forgets faults that have not fired yet (a what-if replaces them). */
  dropPendingFaults(): void {
    this.s.faults = this.s.faults.filter((f) => f.state === 'fired');
  }

  /** Every fault of the run as text, in the order given: replaying them reproduces the run. */
  faultTexts(): string[] {
    return this.s.faults.map((f) => f.text);
  }

  pendingFaultTexts(): string[] {
    return this.s.faults.filter((f) => f.state !== 'fired').map((f) => f.text);
  }

  private plan(fault: Fault): string {
    const s = this.s;
    const from = fault.from ?? 0;
    const pf: PlannedFault = { fault, text: '', from, state: 'pending', armed: false, remaining: 1 };
    switch (fault.kind) {
      case 'crash':
        if (fault.when.at === 'step') {
          // "Crash at step K, armed after step F" is simply a crash after step max(K, F).
          const { from: _armed, ...unarmed } = fault;
          const at = Math.max(fault.when.step, from);
          pf.fault = { ...unarmed, when: { at: 'step', step: at } };
          if (s.step >= at) pf.state = 'due';
        } else {
          pf.remaining = fault.when.at === 'milestone' ? 1 : fault.when.nth;
        }
        break;
      case 'fail':
        if (s.step > 0 || from > 0) throw new UserError(`Cannot inject "${formatFault(fault)}" in the middle of a run: a business failure is part of the data the order starts with. Run the order again with this fault, or use "no:${fault.node}" to make it refuse from here on.`);
        this.applyBusinessFailure(fault.node);
        this.resetBaseline();
        pf.state = 'fired';
        break;
      case 'no':
        break;
      default:
        if (fault.msg.by === 'match') pf.remaining = fault.msg.nth;
    }
    pf.text = formatFault(pf.fault);
    s.faults.push(pf);
    if (pf.state === 'pending' && s.step >= from) this.arm(pf);
    return pf.text;
  }

  /** The data the order starts from: what balances are compared with and money must add up to. */
  private resetBaseline(): void {
    const initial: Record<string, Record<string, number>> = {};
    for (const [id, n] of Object.entries(this.s.nodes)) initial[id] = { ...n.values };
    this.s.initialValues = initial;
    initMonitor(this.s, this.logic, this.setup.flow);
  }

  /**
   * A fault comes into force after its `from` step: a refusal starts; a message fault first hits a
   * matching message already in flight, else waits for one to be sent. Doing this at the same point
   * whether the fault was injected live or planned from the start is what makes a run replayable.
   */
  private arm(pf: PlannedFault): void {
    pf.armed = true;
    if (pf.fault.kind === 'no') {
      this.s.nodes[pf.fault.node]!.refusal = 'refuses (injected fault)';
      pf.state = 'fired';
    } else this.hitInFlight(pf);
  }

  private applyBusinessFailure(id: string): void {
    const node = this.s.nodes[id]!;
    const failure = participantSpec(node.participant!).businessFailure;
    if ('refuse' in failure) node.refusal = failure.refuse;
    else Object.assign(node.values, failure.values);
  }

  private hitInFlight(pf: PlannedFault): void {
    const f = pf.fault;
    if (!isMessageFault(f)) return;
    for (const e of this.s.queue) {
      if (e.kind !== 'deliver' || e.msg.dupOf !== undefined || !selects(f.msg, e.msg)) continue;
      if (--pf.remaining > 0) continue;
      this.applyMessageFault(pf, e);
      pf.state = 'fired';
      this.sortQueue();
      return;
    }
  }

  /** Applies a lose/dup/delay/reorder fault to a queued delivery; returns the duplicate if one was made. */
  private applyMessageFault(pf: PlannedFault, e: QueueEntry & { kind: 'deliver' }): Message | undefined {
    const f = pf.fault;
    switch (f.kind) {
      case 'lose':
        e.lose = true;
        return undefined;
      case 'delay':
        e.time += f.ms;
        e.delayedMs = (e.delayedMs ?? 0) + f.ms;
        return undefined;
      case 'reorder':
        // Held until a message sent after the fault was armed overtakes it (or the hold runs out).
        e.heldAfter = pf.from;
        e.delayedMs = (e.delayedMs ?? 0) + REORDER_HOLD_MS;
        e.time += REORDER_HOLD_MS;
        return undefined;
      case 'dup': {
        // A fixed gap, not a PRNG draw: the run must not depend on when the fault was applied.
        const copy: Message = { ...e.msg, id: this.s.nextMsgId++, dupOf: e.msg.id };
        this.s.stats.duplicated++;
        this.s.queue.push({ time: e.time + DUP_GAP_MS, seq: this.s.nextSeq++, kind: 'deliver', msg: copy });
        return copy;
      }
      default:
        return undefined;
    }
  }

  // ── stepping ──────────────────────────────────────────────────────────────────────────────

  step(): StepInfo {
    if (this.quiescent) throw new Error('Simulation.step: the run has settled');
    const s = this.s;
    s.step++;
    let info: StepInfo;
    const due = s.faults.find((f) => f.state === 'due');
    if (due) info = this.fireCrash(due);
    else if (s.effects.length > 0) info = this.applyEffect(s.effects.shift()!);
    else info = this.handle(s.queue.shift()!);
    this.afterStep(info);
    return info;
  }

  /** Steps until quiescence or the step cap; `onStep` sees every step. */
  settle(onStep?: (info: StepInfo) => void): void {
    while (!this.quiescent && this.s.step < TXN_LIMITS.maxRunSteps) {
      const info = this.step();
      onStep?.(info);
    }
  }

  /** Completes a step's detail into its StepInfo, in place (the detail is always a fresh object). */
  private info(node: string, detail: StepDetail, r?: HandlerResult): StepInfo {
    const i = detail as StepInfo;
    i.step = this.s.step;
    i.time = this.s.time;
    i.node = node;
    if (r?.milestone) i.milestone = r.milestone;
    if (r?.note) i.note = r.note;
    return i;
  }

  private fireCrash(pf: PlannedFault): StepInfo {
    pf.state = 'fired';
    const f = pf.fault;
    if (f.kind !== 'crash') throw new Error(`fault ${pf.text} cannot be due`);
    const s = this.s;
    const node = s.nodes[f.node]!;
    if (!node.up) return this.info(node.id, { kind: 'crash', downMs: 0, locksLost: [], alreadyDown: true }, { note: `${node.id} is already down` });
    const downMs = f.downMs ?? DEFAULT_DOWNTIME_MS;
    const locksLost = Object.keys(node.locks);
    node.up = false;
    node.locks = {};
    node.timers = {};
    node.vol = {};
    s.queue = s.queue.filter((e) => !(e.kind === 'timer' && e.node === node.id));
    s.effects = s.effects.filter((e) => e.node !== node.id);
    this.enqueue({ time: s.time + downMs, seq: s.nextSeq++, kind: 'recover', node: node.id });
    return this.info(node.id, { kind: 'crash', downMs, locksLost, alreadyDown: false });
  }

  private handle(e: QueueEntry): StepInfo {
    const s = this.s;
    s.time = Math.max(s.time, e.time);
    switch (e.kind) {
      case 'start': {
        const id = this.logic.initiator(this.setup.flow);
        const node = s.nodes[id]!;
        if (!node.up) return this.info(id, { kind: 'start', dropped: true }, { note: `the order request is lost: ${id} is down` });
        const ctx = new HandlerContext(this, node);
        this.logic.onStart(ctx);
        return this.info(id, { kind: 'start', dropped: false }, ctx.result);
      }
      case 'deliver': {
        const node = s.nodes[e.msg.to]!;
        let detail: StepDetail & { delayedMs?: number };
        let ctx: HandlerContext | undefined;
        if (e.lose || !node.up) {
          s.stats.lost++;
          detail = { kind: 'lost', msg: e.msg, reason: e.lose ? 'fault' : 'down' };
        } else {
          ctx = new HandlerContext(this, node);
          this.logic.onMessage(ctx, e.msg);
          detail = { kind: 'deliver', msg: e.msg };
        }
        if (e.delayedMs) detail.delayedMs = e.delayedMs;
        return this.info(node.id, detail, ctx?.result);
      }
      case 'timer': {
        const node = s.nodes[e.node]!;
        delete node.timers[e.name];
        const ctx = new HandlerContext(this, node);
        this.logic.onTimer(ctx, e.name);
        return this.info(node.id, { kind: 'timer', name: e.name }, ctx.result);
      }
      case 'recover': {
        const node = s.nodes[e.node]!;
        node.up = true;
        const ctx = new HandlerContext(this, node);
        this.logic.onRecover(ctx);
        return this.info(node.id, { kind: 'recover' }, ctx.result);
      }
    }
  }

  /** For HandlerContext: queues an effect of `node`. */
  pushEffect(node: string, effect: Effect): void {
    this.s.effects.push({ node, effect });
  }

  /** For HandlerContext: (re)arms a timer of `node`. */
  setTimer(node: NodeState, name: string, afterMs: number): void {
    this.cancelTimer(node, name);
    const seq = this.s.nextSeq++;
    node.timers[name] = seq;
    this.enqueue({ time: this.s.time + afterMs, seq, kind: 'timer', node: node.id, name });
  }

  cancelTimer(node: NodeState, name: string): void {
    const seq = node.timers[name];
    if (seq === undefined) return;
    delete node.timers[name];
    const i = this.s.queue.findIndex((e) => e.seq === seq);
    if (i >= 0) this.s.queue.splice(i, 1);
  }

  private applyEffect(pe: PendingEffect): StepInfo {
    const node = this.s.nodes[pe.node]!;
    const e = pe.effect;
    switch (e.kind) {
      case 'send':
        return this.info(node.id, this.send(node, e.to, e.type, e.body));
      case 'log':
        node.log.push(e.record);
        return this.info(node.id, { kind: 'log', record: e.record }, e);
      case 'commit':
        applyChange(node, e.change, this.s.time);
        return this.info(node.id, { kind: 'commit', what: e.change.what }, e);
      case 'lock':
        node.locks[e.resource] = e.lockKind;
        return this.info(node.id, { kind: 'lock', resource: e.resource, lockKind: e.lockKind });
      case 'unlock': {
        const lockKind: LockKind = node.locks[e.resource] ?? 'lock';
        delete node.locks[e.resource];
        return this.info(node.id, { kind: 'unlock', resource: e.resource, lockKind });
      }
    }
  }

  private send(node: NodeState, to: string, type: string, body: MessageBody): StepDetail & { kind: 'send' } {
    const s = this.s;
    const msg: Message = { id: s.nextMsgId++, from: node.id, to, type, body, sentStep: s.step };
    s.stats.sent++;
    const entry: QueueEntry & { kind: 'deliver' } = { time: s.time + this.latency(), seq: s.nextSeq++, kind: 'deliver', msg };
    // A message held back by a reorder fault is overtaken by this one, if it goes to the same node.
    for (const q of s.queue) {
      if (q.kind === 'deliver' && q.heldAfter !== undefined && q.heldAfter < s.step && q.msg.to === to) {
        delete q.heldAfter;
        q.time = entry.time + 1;
      }
    }
    let fault: string | undefined;
    let copy: Message | undefined;
    for (const pf of s.faults) {
      const f = pf.fault;
      if (pf.state !== 'pending' || !pf.armed || pf.from >= s.step || !isMessageFault(f)) continue;
      if (!selects(f.msg, msg) || --pf.remaining > 0) continue;
      pf.state = 'fired';
      copy = this.applyMessageFault(pf, entry) ?? copy;
      fault = fault ? `${fault}, ${f.kind}` : f.kind;
    }
    this.enqueue(entry);
    this.sortQueue();
    return { kind: 'send', msg, ...(fault ? { fault } : {}), ...(copy ? { copy } : {}) };
  }

  private latency(): number {
    return LATENCY_MIN + this.prng.int(LATENCY_SPREAD);
  }

  private enqueue(e: QueueEntry): void {
    const q = this.s.queue;
    let i = q.length;
    while (i > 0 && before(e, q[i - 1]!)) i--;
    q.splice(i, 0, e);
  }

  private sortQueue(): void {
    this.s.queue.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private afterStep(info: StepInfo): void {
    const s = this.s;
    for (const pf of s.faults) {
      if (pf.state !== 'pending') continue;
      if (!pf.armed && s.step >= pf.from) this.arm(pf);
      if (pf.state !== 'pending' || pf.fault.kind !== 'crash') continue;
      const w = pf.fault.when;
      if (w.at === 'step') {
        if (s.step >= w.step) pf.state = 'due';
        continue;
      }
      if (info.node !== pf.fault.node || s.step <= pf.from) continue;
      const hit =
        w.at === 'milestone' ? info.milestone === w.name
        : w.at === 'recv' ? info.kind === 'deliver' && info.msg.type === w.type
        : info.kind === 'send' && info.msg.type === w.type;
      if (hit && --pf.remaining === 0) pf.state = 'due';
    }
    updateMonitor(s, this.logic, this.setup.flow);
  }
}

/** What a handler sees: its node, the flow, and ways to ask for effects. One per handler call. */
class HandlerContext implements NodeContext {
  readonly result: HandlerResult = {};
  readonly flow: readonly ParticipantId[];
  readonly variant: VariantName;
  readonly now: number;

  constructor(private readonly sim: Simulation, readonly node: NodeState) {
    this.flow = sim.setup.flow;
    this.variant = sim.setup.variant;
    this.now = sim.time;
  }

  send(to: string, type: string, body: MessageBody = {}): void {
    this.sim.pushEffect(this.node.id, { kind: 'send', to, type, body });
  }
  log(record: LogRecord, milestone?: string): void {
    this.sim.pushEffect(this.node.id, milestone ? { kind: 'log', record, milestone } : { kind: 'log', record });
  }
  commit(change: LocalChange, milestone?: string): void {
    this.sim.pushEffect(this.node.id, milestone ? { kind: 'commit', change, milestone } : { kind: 'commit', change });
  }
  lock(resource: string, lockKind: LockKind): void {
    this.sim.pushEffect(this.node.id, { kind: 'lock', resource, lockKind });
  }
  unlock(resource: string): void {
    this.sim.pushEffect(this.node.id, { kind: 'unlock', resource });
  }
  setTimer(name: string, afterMs: number): void {
    this.sim.setTimer(this.node, name, afterMs);
  }
  cancelTimer(name: string): void {
    this.sim.cancelTimer(this.node, name);
  }
  milestone(name: string): void {
    this.result.milestone = name;
  }
  note(text: string): void {
    this.result.note = this.result.note ? `${this.result.note}; ${text}` : text;
  }
}

/**
 * A copy that shares only what is never changed after creation (messages, log records, effects,
 * fault definitions); everything a step mutates is copied. Volatile protocol state holds primitives and flat
 * records (see NodeLogic), so two levels suffice there.
 */
function cloneState(s: SimState): SimState {
  const nodes: Record<string, NodeState> = {};
  for (const [id, n] of Object.entries(s.nodes)) {
    const v: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(n.vol)) v[k] = typeof x === 'object' && x !== null ? { ...x } : x;
    nodes[id] = { ...n, values: { ...n.values }, frozen: { ...n.frozen }, log: [...n.log], records: { ...n.records }, locks: { ...n.locks }, timers: { ...n.timers }, vol: v };
    // Keyspace entries are replaced, never changed in place, so a copy of the map suffices.
    if (n.keyspace) nodes[id]!.keyspace = new Map(n.keyspace);
  }
  const tracks: SimState['monitor']['tracks'] = {};
  for (const [k, t] of Object.entries(s.monitor.tracks)) tracks[k] = { ...t };
  return {
    ...s,
    prng: [...s.prng] as unknown as SimState['prng'],
    nodes,
    queue: s.queue.map((e) => ({ ...e })),
    effects: [...s.effects],
    faults: s.faults.map((f) => ({ ...f })),
    stats: { ...s.stats },
    monitor: { ...s.monitor, tracks, blockedNow: { ...s.monitor.blockedNow } },
  };
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

type MessageFault = Extract<Fault, { msg: MessageSelector }>;

function isMessageFault(f: Fault): f is MessageFault {
  return f.kind === 'lose' || f.kind === 'dup' || f.kind === 'reorder' || f.kind === 'delay';
}

function selects(sel: MessageSelector, msg: Message): boolean {
  if (sel.by === 'id') return msg.id === sel.id;
  return msg.type === sel.type && (sel.to === undefined || sel.to === msg.to) && (sel.from === undefined || sel.from === msg.from);
}

function applyChange(node: NodeState, c: LocalChange, now: number): void {
  for (const [k, d] of Object.entries(c.deltas ?? {})) node.values[k] = (node.values[k] ?? 0) + d;
  for (const [k, d] of Object.entries(c.frozen ?? {})) {
    const v = (node.frozen[k] ?? 0) + d;
    if (v === 0) delete node.frozen[k];
    else node.frozen[k] = v;
  }
  for (const [k, v] of Object.entries(c.records ?? {})) {
    if (v === null) delete node.records[k];
    else node.records[k] = v;
  }
  if (c.log) node.log.push(c.log);
  if (c.dedupKey) setDedupKey(node, now, c.dedupKey);
}

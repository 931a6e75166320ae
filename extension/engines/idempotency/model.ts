/**
 * The Idempotency & Ordering lab as an inspector model. A step is the intent, plus, when it
 * talked to Redis, what Redis answered (every reply, and the store table read afterwards): steps on
 * the in-memory store are redone by running them again; steps against Redis are redone from their
 * recording, so seeking and exported sessions never need the server.
 *
 * Redis steps run in real time (the simulation clock is paced to the wall clock), because Redis
 * expires keys on its own clock; in-memory steps run as fast as they can on the simulation clock.
 */
import { randomUUID } from 'node:crypto';
import type { InspectorModel, Metric, ModelFactory, ModelView, RunContext } from '../core/model';
import { UserError, timelineView } from '../core/model';
import { Infer, arr, bool, int, lit, obj, optional, str, tagged } from '../core/schema';
import { SessionFileError, makeSessionFile, type SessionFile } from '../core/sessionFile';
import { Timeline } from '../core/timeline';
import {
  IDEMPOTENCY_KIND,
  configSchema,
  defaultSettings,
  intentSchema,
  type CountersPart,
  type IdempotencyConfig,
  type IdempotencyIntent,
  type IdempotencyView,
  type LanesPart,
  type LedgerPart,
  type SettingsPart,
  type StorePart,
  type StoreRow,
  type StoreStatus,
} from '../../protocol/idempotency';
import { type DriveResult, driveLive, driveMemory, driveRecorded } from './drivers';
import { type KeyspaceData, MemoryKeyspace } from './memoryStore';
import { RedisStore } from './redisStore';
import { describeRedisUrl } from './redisUrl';
import { DeliverySim, LANE_WINDOW, initialSimState, queuedCount, type SimCounters, type SimRun, type SimState } from './simulation';
import { decodeRecord, type StoreEntry } from './store';
import { tradeoff } from './tradeoff';

const TABLE_ROWS = 50;

const beginReplySchema = tagged('status', {
  acquired: obj({}),
  in_progress: obj({ owner: str({ max: 200 }), ttlMs: int() }),
  succeeded: obj({ result: str() }),
  failed: obj({ result: str() }),
  conflict: obj({ fingerprint: str({ max: 200 }) }),
});

const storeReplySchema = tagged('op', {
  setNx: obj({ ok: bool() }),
  begin: obj({ reply: beginReplySchema }),
  complete: obj({ reply: lit('ok', 'lost') }),
  error: obj({ message: str() }),
});

const tableSchema = obj({
  entries: arr(obj({ key: str({ max: 2_000 }), value: str(), pttlMs: int({ min: -1 }) }), { max: TABLE_ROWS }),
  total: int({ min: 0 }),
});

export const stepSchema = obj({
  intent: intentSchema,
  /** The run stopped (cancelled, or the store failed) after this many events. */
  stop: optional(int({ min: 0 })),
  /** What Redis said during the step; absent for in-memory steps. */
  io: optional(
    obj({
      replies: arr(storeReplySchema, { max: 5_000_000 }),
      namespace: optional(str({ max: 200 })),
      table: optional(tableSchema),
      error: optional(str()),
    }),
  ),
});
export type IdempotencyStep = Infer<typeof stepSchema>;

type StoreChoice = { kind: 'memory' } | { kind: 'redis'; url: string; where: string };

interface LabState {
  sim: SimState;
  store: StoreChoice;
  memory: KeyspaceData;
  /** Redis: the store table as read after the last step, and the simulation time it was read at. */
  table: { entries: StoreEntry[]; total: number; asOf: number } | null;
  storeError: string | null;
}

/** Intents that run the simulation and so may talk to the store. */
const RUNS_SIM: ReadonlySet<IdempotencyIntent['type']> = new Set(['send', 'duplicate', 'advance', 'setWorkers', 'setDispatch']);

/** The model's whole view: the common parts and the lab's own (documented in protocol/idempotency.ts). */
export type IdempotencyModelView = ModelView & IdempotencyView;

export class IdempotencyModel implements InspectorModel<IdempotencyIntent, IdempotencyModelView> {
  private state: LabState;
  private sim!: DeliverySim;
  private keyspace!: MemoryKeyspace;
  readonly timeline: Timeline<IdempotencyStep, LabState>;
  private redis: RedisStore | undefined;
  /** The URL as the user gave it (it may carry a password, so it is never recorded). */
  private redisUrl: string | undefined;

  constructor(private readonly config: IdempotencyConfig) {
    this.state = {
      sim: initialSimState(config.seed, config.settings),
      store: { kind: 'memory' },
      memory: new Map(),
      table: null,
      storeError: null,
    };
    this.bind();
    this.timeline = new Timeline<IdempotencyStep, LabState>(this, { snapshotEvery: 32 });
  }

  private bind(): void {
    this.sim = new DeliverySim(this.state.sim);
    this.keyspace = new MemoryKeyspace({ now: () => this.state.sim.now }, this.state.memory);
  }

  // ─────────────── Replayable ───────────────

  snapshot(): LabState {
    this.sim.sync();
    return structuredClone(this.state);
  }

  restore(snap: LabState): void {
    this.state = structuredClone(snap);
    this.bind();
  }

  redo(step: IdempotencyStep): void {
    const r = step.io ? driveRecorded(this.apply(step), step.io.replies, step.stop) : driveMemory(this.apply(step), this.keyspace, step.stop === undefined ? {} : { stopAfterTicks: step.stop });
    this.settle(step, r);
  }

  // ─────────────── InspectorModel ───────────────

  async dispatch(intent: IdempotencyIntent, ctx: RunContext): Promise<void> {
    const live = intent.type === 'useRedis' || (this.state.store.kind === 'redis' && RUNS_SIM.has(intent.type));
    // The recorded intent keeps Redis's host, port and database, never a password.
    const step: IdempotencyStep = { intent: intent.type === 'useRedis' ? { ...intent, url: describeRedisUrl(intent.url) } : intent };
    const progress = this.progressFor(intent, ctx);
    let r: DriveResult<string>;
    if (!live) {
      r = driveMemory(this.apply(step), this.keyspace, { cancelled: () => ctx.cancelled, ...(progress ? { onProgress: progress } : {}) });
    } else {
      const io: NonNullable<IdempotencyStep['io']> = { replies: [] };
      step.io = io;
      const store = await this.connectFor(intent, io);
      const lr = await driveLive(this.apply(step), store, { simNow: () => this.state.sim.now, pace: true, cancelled: () => ctx.cancelled, ...(progress ? { onProgress: progress } : {}) });
      io.replies = lr.replies;
      r = lr;
      if (lr.error !== undefined) io.error = lr.error;
      try {
        io.table = await store.scan(this.state.sim.namespace, TABLE_ROWS);
      } catch (e) {
        io.error ??= (e as Error).message;
      }
    }
    if (r.stopped) step.stop = r.ticks;
    this.settle(step, r);
    this.timeline.record(step, r.value, r.ticks + 1);
    if (r.error !== undefined)
      throw new UserError(
        `${r.error} The run stopped at ${this.state.sim.now} ms: the delivery in hand was not executed and not acked (fail closed), so it will be retried when the run continues.`,
      );
  }

  seek(step: number): void {
    this.timeline.seek(step);
  }

  exportSession(): SessionFile<IdempotencyConfig, IdempotencyStep> {
    return makeSessionFile(IDEMPOTENCY_KIND, this.config, this.timeline.steps(), this.timeline.labels(), this.timeline.cursor);
  }

  async dispose(): Promise<void> {
    await this.redis?.close();
    this.redis = undefined;
  }

  // ─────────────── steps ───────────────

  /** Applies a step's intent to the simulation; returns the timeline label. */
  private *apply(step: IdempotencyStep): SimRun<string> {
    const i = step.intent;
    const sim = this.sim;
    const s = this.state.sim.settings;
    const before = { ...this.state.sim.counters };
    const outcome = (end: 'done' | 'stopped'): string => describeOutcome(before, this.state.sim.counters) + (end === 'stopped' ? ' (stopped)' : '');
    switch (i.type) {
      case 'send': {
        if (i.keys !== undefined) s.keys = i.keys;
        if (i.skew !== undefined) s.skew = i.skew;
        const scenario = i.scenario ?? 'payment';
        sim.produce(i.count, scenario);
        return `send ${i.count} ${scenario}${i.count === 1 ? '' : 's'}: ${outcome(yield* sim.run(Infinity))}`;
      }
      case 'duplicate': {
        const name = sim.resend(i.message, i.changePayload ?? false);
        return `send ${name} again${i.changePayload ? ' with a changed payload' : ''}: ${outcome(yield* sim.run(Infinity))}`;
      }
      case 'advance':
        return `advance ${i.ms} ms: ${outcome(yield* sim.run(sim.now + i.ms))}`;
      case 'setCheck':
        s.check = i.check;
        return `check: ${i.check}`;
      case 'setTtl':
        s.ttlMs = i.ttlMs;
        if (i.leaseMs !== undefined) s.leaseMs = i.leaseMs;
        return `TTL ${s.ttlMs} ms, lease ${s.leaseMs} ms`;
      case 'setWorkers':
        s.workers = i.workers;
        yield* sim.reassign();
        return `workers: ${i.workers}`;
      case 'setDispatch':
        s.dispatch = i.dispatch;
        if (i.partitioner !== undefined) s.partitioner = i.partitioner;
        yield* sim.reassign();
        return `dispatch: ${i.dispatch}${i.dispatch === 'keyhash' ? ` (${s.partitioner})` : ''}`;
      case 'setFaults':
        for (const [k, v] of Object.entries(i)) if (k !== 'type' && v !== undefined) (s.faults as Record<string, number>)[k] = v as number;
        return `faults: ${Object.entries(i).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${v}`).join(', ')}`;
      case 'setWorkload':
        for (const [k, v] of Object.entries(i)) if (k !== 'type' && v !== undefined) (s as unknown as Record<string, number>)[k] = v as number;
        return `workload: ${Object.entries(i).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${v}`).join(', ')}`;
      case 'useRedis': {
        const namespace = step.io?.namespace;
        if (namespace === undefined) throw new Error('A "useRedis" step must carry the key namespace it used.');
        const abandoned = sim.abandonInFlight();
        const where = describeRedisUrl(i.url);
        this.state.store = { kind: 'redis', url: i.url, where };
        this.state.sim.namespace = namespace;
        return `store: Redis at ${where}${abandonedNote(abandoned)}`;
      }
      case 'useMemory': {
        const abandoned = sim.abandonInFlight();
        this.state.store = { kind: 'memory' };
        this.state.memory = new Map();
        this.state.sim.namespace = '';
        this.state.table = null;
        this.bind();
        return `store: in-memory${abandonedNote(abandoned)}`;
      }
    }
  }

  /** Records what the step leaves for the view: the Redis table read after it, and any store failure. */
  private settle(step: IdempotencyStep, r: DriveResult<string>): void {
    if (step.io?.table) this.state.table = { ...step.io.table, asOf: this.state.sim.now };
    this.state.storeError = step.io?.error ?? r.error ?? null;
  }

  /** The Redis store for a live step; throws UserError (and records nothing) when it cannot be reached. */
  private async connectFor(intent: IdempotencyIntent, io: NonNullable<IdempotencyStep['io']>): Promise<RedisStore> {
    if (intent.type === 'useRedis') {
      const store = await RedisStore.connect(intent.url);
      await this.redis?.close();
      this.redis = store;
      this.redisUrl = intent.url;
      io.namespace = `dsi:idem:${randomUUID().slice(0, 8)}:`;
      return store;
    }
    const choice = this.state.store;
    if (choice.kind !== 'redis') throw new Error('connectFor: not on Redis');
    if (!this.redis || this.redis.where !== choice.where) {
      await this.redis?.close();
      this.redis = undefined;
      const url = this.redisUrl !== undefined && describeRedisUrl(this.redisUrl) === choice.where ? this.redisUrl : choice.url;
      this.redis = await RedisStore.connect(url);
    }
    await this.redis.ensureConnected();
    return this.redis;
  }

  private progressFor(intent: IdempotencyIntent, ctx: RunContext): ((t: number) => void) | undefined {
    const sim = this.state.sim;
    if (intent.type === 'send') {
      const from = sim.counters.produced;
      return () => ctx.progress(Math.min(0.99, (sim.counters.produced - from) / intent.count), `${sim.counters.produced - from} of ${intent.count} sent`);
    }
    if (intent.type === 'advance') {
      const from = sim.now;
      return (t) => ctx.progress(Math.min(0.99, (t - from) / intent.ms), `${Math.round(t - from)} of ${intent.ms} ms`);
    }
    return undefined;
  }

  // ─────────────── view ───────────────

  view(): IdempotencyModelView {
    const sim = this.state.sim;
    const counters = this.counters();
    const ledger = this.ledger();
    const storeStatus = this.storeStatus();
    const metrics: Metric[] = [
      { label: 'effects', value: String(counters.effects), hint: 'Effects run (payments booked, texts sent)' },
      { label: 'dropped', value: String(counters.duplicatesDropped), tone: counters.duplicatesDropped ? 'good' : 'normal', hint: 'Duplicates the check stopped' },
      { label: 'slipped', value: String(counters.duplicatesSlipped), tone: counters.duplicatesSlipped ? 'bad' : 'normal', hint: 'Duplicates that ran their effect again' },
      { label: 'order', value: String(counters.orderViolations), tone: counters.orderViolations ? 'warn' : 'normal', hint: 'Per-key order violations' },
      { label: 'overcharged', value: String(ledger.totals.overcharged), tone: ledger.totals.overcharged ? 'bad' : 'normal', hint: 'Amount booked more than once' },
      { label: 'lost', value: String(counters.lost), tone: counters.lost ? 'bad' : 'normal', hint: 'Messages settled without their effect ever running' },
    ];
    const s = sim.settings;
    const settings: SettingsPart = { ...structuredClone(s), store: storeStatus, rebalancing: sim.rebalancing };
    return {
      summary: {
        title: 'Idempotency & Ordering',
        subtitle: `${s.check} check · ${s.dispatch}${s.dispatch === 'single' ? '' : ` × ${s.workers}`} · ${storeStatus.where}`,
        metrics,
      },
      timeline: timelineView(this.timeline),
      settings,
      counters,
      lanes: this.lanes(),
      store: this.storeTable(storeStatus),
      ledger,
      tradeoff: tradeoff(s),
    };
  }

  private storeStatus(): StoreStatus {
    const st = this.state.store;
    return { kind: st.kind, where: st.kind === 'redis' ? st.where : 'in-memory', ...(this.state.storeError ? { error: this.state.storeError } : {}) };
  }

  private counters(): CountersPart {
    let lost = 0;
    let inFlight = 0;
    for (const m of this.state.sim.messages) {
      if (!m.acked && !m.dead) inFlight++;
      else if (m.executions === 0) lost++;
    }
    return { ...this.state.sim.counters, lost, inFlight };
  }

  private lanes(): LanesPart {
    const sim = this.state.sim;
    const elapsed = sim.firstProducedAt === null ? 0 : sim.now - sim.firstProducedAt;
    return {
      now: sim.now,
      lanes: [
        { id: 'producer', label: 'producer', kind: 'producer' },
        { id: 'broker', label: 'broker', kind: 'broker' },
        ...sim.workers.map((w, i) => ({
          id: `w${i}`,
          label: `worker ${i}`,
          kind: 'worker' as const,
          queued: queuedCount(w),
          state: w.job === null ? ('idle' as const) : w.job.phase === 'checking' ? ('service' as const) : w.job.phase,
          processed: w.processed,
          utilization: elapsed > 0 ? Math.min(1, w.busyMs / elapsed) : 0,
        })),
      ],
      items: sim.lanes.slice(-LANE_WINDOW),
    };
  }

  private storeTable(status: StoreStatus): StorePart {
    const ns = this.state.sim.namespace;
    const read = this.state.store.kind === 'memory' ? { ...this.keyspace.scan(ns, TABLE_ROWS), asOf: this.state.sim.now } : (this.state.table ?? { entries: [], total: 0, asOf: this.state.sim.now });
    return { ...status, asOf: read.asOf, rows: read.entries.map((e) => storeRow(e, ns)), total: read.total };
  }

  private ledger(): LedgerPart {
    const totals = { charged: 0, expected: 0, overcharged: 0, doubleCharges: 0 };
    const rows = [...this.state.sim.accounts].map(([account, a]) => {
      totals.charged += a.charged;
      totals.expected += a.expected;
      totals.overcharged += a.overcharged;
      totals.doubleCharges += a.doubleCharges;
      return { account, charged: a.charged, expected: a.expected, overcharged: a.overcharged, pending: a.pending };
    });
    rows.sort((x, y) => y.overcharged - x.overcharged || y.expected - x.expected || x.account.localeCompare(y.account));
    return { accounts: rows.slice(0, 12), totals, notifications: { ...this.state.sim.notifications } };
  }

}

function storeRow(e: StoreEntry, namespace: string): StoreRow {
  const key = e.key.startsWith(namespace) ? e.key.slice(namespace.length) : e.key;
  const check = key.startsWith('weak:') ? 'weak' : key.startsWith('strong:') ? 'strong' : 'other';
  const rec = check === 'strong' ? decodeRecord(e.value) : undefined;
  return {
    key,
    check,
    ttlMs: e.pttlMs,
    ...(rec ? { state: rec.state, fingerprint: rec.fp } : {}),
    ...(rec?.result !== undefined ? { result: rec.result } : {}),
    ...(rec?.owner !== undefined ? { owner: rec.owner } : check === 'weak' ? { owner: e.value } : {}),
  };
}

function describeOutcome(before: SimCounters, after: SimCounters): string {
  const d = (k: keyof SimCounters): number => after[k] - before[k];
  const n = (k: keyof SimCounters, one: string, many = `${one}s`): string => `${d(k)} ${d(k) === 1 ? one : many}`;
  const parts = [n('effects', 'effect')];
  if (d('duplicatesDropped')) parts.push(n('duplicatesDropped', 'duplicate dropped', 'duplicates dropped'));
  if (d('duplicatesSlipped')) parts.push(`${d('duplicatesSlipped')} slipped through`);
  if (d('orderViolations')) parts.push(n('orderViolations', 'order violation'));
  if (d('conflicts')) parts.push(`${d('conflicts')} rejected (payload changed)`);
  if (d('storeErrors')) parts.push(n('storeErrors', 'store error'));
  return parts.join(', ');
}

const abandonedNote = (n: number): string => (n ? ` (${n} in-flight message${n === 1 ? '' : 's'} abandoned with the old store)` : '');

export const idempotencyFactory: ModelFactory<IdempotencyConfig, IdempotencyIntent, IdempotencyStep> = {
  kind: IDEMPOTENCY_KIND,
  title: 'Idempotency & Ordering',
  configSchema,
  intentSchema,
  stepSchema,
  defaults: () => ({ seed: 1, settings: defaultSettings() }),
  create: (config) => new IdempotencyModel(config),
  fromSession(file: SessionFile<IdempotencyConfig, IdempotencyStep>) {
    const model = new IdempotencyModel(file.config);
    file.steps.forEach((step, i) => {
      try {
        model.redo(step);
      } catch (e) {
        throw new SessionFileError(`This session cannot be replayed: step ${i + 1} ("${file.labels[i]}") failed (${(e as Error).message}).`);
      }
      model.timeline.record(step, file.labels[i]!);
    });
    model.seek(file.cursor);
    return model;
  },
};

/**
 * The Connection Pool inspector's model.
 *
 * On the embedded server (the default) a step is the action itself: the simulation is
 * deterministic, so seeking replays the actions from the start on a fresh server — synchronously,
 * on the virtual clock, in milliseconds. The live simulation holds in-flight operations whose
 * continuations cannot be copied, so the timeline keeps no snapshot beyond step 0; replaying is
 * what a snapshot would have saved.
 *
 * On a real MySQL server a step is what it showed: the view parts as they were when the step
 * ended (and a "meanwhile" step for events that happened between actions: pings, leaks, timeouts).
 * Seeking shows them again; acting from such a step continues at the live end, since a real
 * server cannot go back in time. The password is never recorded.
 */
import {
  PRESET_NAMES, poolActionSchema, poolIntentSchema, poolModelConfigSchema, poolPictureSchema,
  type PoolAction, type PoolIntent, type PoolModelConfig, type PoolPicture, type PoolView,
} from '../../protocol/pool';
import { UserError, timelineView, type InspectorModel, type ModelFactory, type RunContext } from '../core/model';
import { obj, tagged, type Infer } from '../core/schema';
import { makeSessionFile, type SessionFile } from '../core/sessionFile';
import { Timeline } from '../core/timeline';
import { checkSettings, describeTarget } from './mysqlSettings';
import { defaultPoolConfig } from './poolConfig';
import { PRESETS } from './presets';
import { EmbeddedRuntime, MysqlRuntime } from './runtime';
import { PoolSession, type Outcome } from './session';
import { defaultSimServerSettings } from './simServer';

export const POOL_KIND = 'pool';

export const poolStepSchema = tagged('kind', {
  embedded: obj({ action: poolActionSchema }),
  recorded: obj({ picture: poolPictureSchema }),
});
export type PoolStep = Infer<typeof poolStepSchema>;

/** Simulated time an embedded action may take at most (the longest preset needs a few seconds). */
const SIM_LIMIT_MS = 3_600_000;
/** Real time an action on MySQL may take before it is given up. */
const REAL_LIMIT_MS = 15 * 60_000;
const POLL_MS = 1000;
const DEFAULT_BORROW_WAIT_MS = 100;

type Shown = { kind: 'embedded' } | { kind: 'recorded'; picture: PoolPicture };

export class PoolModel implements InspectorModel<PoolIntent, PoolView> {
  readonly timeline: Timeline<PoolStep, null>;
  private world: { rt: EmbeddedRuntime; session: PoolSession };
  private shown: Shown = { kind: 'embedded' };
  private real: { rt: MysqlRuntime; session: PoolSession } | undefined;
  /** Real-server events since the last recorded step. */
  private meanwhile: string[] = [];
  private acting = false;
  private listeners: (() => void)[] = [];

  constructor(private readonly config: PoolModelConfig) {
    this.world = this.freshWorld();
    // Only the initial state is ever restored (see the file comment): no snapshot after step 0.
    this.timeline = new Timeline<PoolStep, null>(this, { snapshotEvery: Number.MAX_SAFE_INTEGER, snapshotCost: Infinity });
  }

  // ── Replayable ──────────────────────────────────────────────────────────────────

  snapshot(): null {
    return null;
  }

  restore(): void {
    this.world = this.freshWorld();
    this.shown = { kind: 'embedded' };
  }

  redo(step: PoolStep): void {
    if (step.kind === 'recorded') {
      this.shown = { kind: 'recorded', picture: step.picture };
      return;
    }
    const o = this.applyEmbedded(step.action);
    if ('error' in o) throw new Error(`Replaying "${step.action.type}" failed where it once succeeded: ${o.error}`);
  }

  // ── InspectorModel ──────────────────────────────────────────────────────────────

  async dispatch(intent: PoolIntent, ctx: RunContext): Promise<void> {
    this.recordMeanwhile();
    if (intent.type === 'useMysql') return this.useMysql(intent);
    const real = await this.route(intent);
    if (!real || intent.type === 'useEmbedded') {
      const o = this.applyEmbedded(intent);
      if ('error' in o) throw new UserError(o.error);
      this.timeline.record({ kind: 'embedded', action: intent }, o.label);
      return;
    }
    this.acting = true;
    let o: Outcome;
    try {
      o = await this.applyReal(real, intent, ctx);
    } finally {
      this.acting = false;
    }
    if ('error' in o) throw new UserError(o.error);
    this.recordReal(o.label);
  }

  seek(step: number): void {
    this.recordMeanwhile();
    this.timeline.seek(step);
  }

  view(): PoolView {
    const recorded = this.shown.kind === 'recorded' && !this.atLiveRealEnd();
    const picture = this.shown.kind === 'recorded' && recorded ? this.shown.picture : this.liveSession().picture();
    const m = picture.metrics;
    const last = picture.results.last;
    return {
      summary: {
        title: 'Connection Pool',
        subtitle: `${picture.config.target}${last ? ` · ${PRESETS[last.preset].title}` : ''}`,
        metrics: [
          { label: 'in use', value: `${m.active}/${picture.connections.maxSize}`, hint: 'Connections borrowed now, of maxSize.' },
          { label: 'idle', value: String(m.idle), hint: 'Open connections waiting in the pool.' },
          { label: 'waiting', value: String(m.waiting), tone: m.waiting > 0 ? 'warn' : 'normal', hint: 'Borrowers queued for a connection.' },
          { label: 'failed queries', value: String(m.failedQueries), tone: m.failedQueries > 0 ? 'bad' : 'good', hint: 'Queries that failed, e.g. on a connection the server had closed.' },
          { label: 'timeouts', value: String(m.timeouts), tone: m.timeouts > 0 ? 'bad' : 'normal', hint: 'Borrowers that gave up after acquireTimeoutMs.' },
          { label: 'leaks', value: String(m.leaks), tone: m.leaks > 0 ? 'bad' : 'normal', hint: 'Connections held past leakThresholdMs.' },
        ],
      },
      timeline: timelineView(this.timeline),
      ...picture,
      presets: PRESET_NAMES.map((name) => ({ name, title: PRESETS[name].title, shows: PRESETS[name].shows })),
      recorded,
    };
  }

  exportSession(): SessionFile<PoolModelConfig, PoolStep> {
    this.recordMeanwhile();
    return makeSessionFile(POOL_KIND, this.config, this.timeline.steps(), this.timeline.labels(), this.timeline.cursor);
  }

  /** Live updates from a real server (the embedded one changes only inside dispatch). */
  subscribe(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  async dispose(): Promise<void> {
    await this.closeReal();
  }

  /** Replays exported steps up to `cursor`. */
  replay(steps: readonly PoolStep[], labels: readonly string[], cursor: number): void {
    steps.forEach((s, i) => {
      this.redo(s);
      this.timeline.record(s, labels[i] ?? s.kind);
    });
    this.timeline.seek(cursor);
  }

  // ── embedded ────────────────────────────────────────────────────────────────────

  private freshWorld(): { rt: EmbeddedRuntime; session: PoolSession } {
    const rt = new EmbeddedRuntime(this.config.embedded, this.config.seed);
    const session = new PoolSession(rt, this.config.pool, rt.server, undefined);
    // Let the pool open its minIdle connections, as a freshly started application would.
    rt.scheduler.advance(0);
    rt.scheduler.runUntil(() => session.quiet(), SIM_LIMIT_MS);
    return { rt, session };
  }

  /** Runs an action on the simulation to its end, synchronously. */
  private applyEmbedded(a: PoolAction): Outcome {
    if (a.type === 'useEmbedded') {
      this.world = this.freshWorld();
      this.shown = { kind: 'embedded' };
      return { label: 'use the embedded server' };
    }
    this.shown = { kind: 'embedded' };
    const { rt, session } = this.world;
    const r = rt.settleSync<Outcome>((reply) => this.perform(session, a, reply), SIM_LIMIT_MS);
    return r ? r.value : { error: `"${a.type}" did not finish within ${SIM_LIMIT_MS / 1000} s of simulated time.` };
  }

  // ── real server ─────────────────────────────────────────────────────────────────

  private async useMysql(intent: Extract<PoolIntent, { type: 'useMysql' }>): Promise<void> {
    const { password, type: _type, ...settings } = intent;
    checkSettings(settings);
    // Proves the settings first: on failure the UserError says why, and nothing changes.
    const { runtime } = await MysqlRuntime.open(settings, password);
    await this.closeReal();
    const session = new PoolSession(runtime, this.liveSession().picture().config.pool, undefined, settings, POLL_MS);
    session.onChange((e) => {
      if (e && !this.acting) this.meanwhile.push(e.type);
      for (const l of this.listeners) l();
    });
    this.real = { rt: runtime, session };
    await new Promise<void>((r) => session.refresh(r));
    this.recordReal(`use ${describeTarget(settings)}`);
  }

  private applyReal(real: { rt: MysqlRuntime; session: PoolSession }, a: Exclude<PoolAction, { type: 'useEmbedded' }>, ctx: RunContext): Promise<Outcome> {
    if (a.type === 'configureServer') return Promise.resolve({ error: "The embedded server's settings do not apply to a real server. Use setWaitTimeout, or change the server's own configuration." });
    return real.rt.settle<Outcome>((reply) => {
      let answered = false;
      const finish = (o: Outcome): void => {
        if (answered) return;
        answered = true;
        clearInterval(watch);
        reply(o);
      };
      // A long action stops early when the user cancels: a wait or a borrow stops waiting (the
      // borrower stays queued), a running query's connection is killed, a preset's pool shuts down.
      const watch = setInterval(() => {
        if (!ctx.cancelled) return;
        if (a.type === 'wait') finish({ label: 'wait (cancelled)' });
        else if (a.type === 'borrow') finish({ label: 'borrow: stopped waiting (still queued)' });
        else if (a.type === 'query') real.session.killLeaseConnection(a.lease);
        else if (a.type === 'runPreset') real.session.abort();
      }, 100);
      this.perform(real.session, a, finish);
    }, REAL_LIMIT_MS, a.type).catch((e: Error) => ({ error: `${e.message}: the server stopped answering. Check it, then retry or switch to the embedded server.` }));
  }

  private recordReal(label: string): void {
    this.meanwhile = [];
    this.shown = { kind: 'recorded', picture: this.real!.session.picture() };
    this.timeline.record({ kind: 'recorded', picture: this.shown.picture }, label);
  }

  /** Turns real-server events since the last step into a step of their own. */
  private recordMeanwhile(): void {
    if (!this.real || this.meanwhile.length === 0 || !this.atLiveRealEnd()) return;
    const counts = new Map<string, number>();
    for (const t of this.meanwhile) counts.set(t, (counts.get(t) ?? 0) + 1);
    this.recordReal(`meanwhile: ${[...counts].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(', ')}`);
  }

  private async closeReal(): Promise<void> {
    const real = this.real;
    if (!real) return;
    this.real = undefined;
    this.meanwhile = [];
    await new Promise<void>((r) => real.session.close(r));
    await real.rt.close();
  }

  // ── routing ─────────────────────────────────────────────────────────────────────

  private atLiveRealEnd(): boolean {
    return this.real !== undefined && this.timeline.cursor === this.timeline.length;
  }

  private liveSession(): PoolSession {
    return this.atLiveRealEnd() ? this.real!.session : this.world.session;
  }

  /**
   * Where an action goes: the real server (returned) or the simulation (undefined). With a real
   * server connected, actions go to it at the live end (acting from one of its recorded steps
   * jumps to the end); acting from an earlier embedded step branches the timeline there and
   * disconnects the real server, whose steps are dropped.
   */
  private async route(a: PoolAction): Promise<{ rt: MysqlRuntime; session: PoolSession } | undefined> {
    if (a.type === 'useEmbedded') {
      await this.closeReal();
      return undefined;
    }
    if (this.real) {
      if (this.atLiveRealEnd()) return this.real;
      if (this.shown.kind === 'recorded') {
        this.timeline.seek(this.timeline.length);
        return this.real;
      }
      await this.closeReal();
      return undefined;
    }
    if (this.shown.kind === 'recorded')
      throw new UserError('This step was recorded on a real MySQL server that is not connected now. Connect to MySQL again, or switch to the embedded server, to continue.');
    return undefined;
  }

  private perform(session: PoolSession, a: Exclude<PoolAction, { type: 'useEmbedded' }>, reply: (o: Outcome) => void): void {
    switch (a.type) {
      case 'runPreset': return session.runPreset(a.preset, a.queries, reply);
      case 'borrow': return session.borrow(a.waitMs ?? DEFAULT_BORROW_WAIT_MS, reply);
      case 'release': return session.release(a.lease, reply);
      case 'query': return session.query(a.lease, a.sql ?? 'SELECT 1', reply);
      case 'wait': return session.wait(a.ms, reply);
      case 'configure': return session.configure(a.pool, reply);
      case 'configureServer': return session.configureServer(a.settings, reply);
      case 'setWaitTimeout': return session.setWaitTimeout(a.seconds, a.scope, reply);
      case 'kill': return session.kill(a.threadId, reply);
      case 'refreshServer': return session.refresh(() => reply({ label: 'refresh the server view' }));
    }
  }
}

export const poolModelFactory: ModelFactory<PoolModelConfig, PoolIntent, PoolStep> = {
  kind: POOL_KIND,
  title: 'Connection Pool',
  configSchema: poolModelConfigSchema,
  intentSchema: poolIntentSchema,
  stepSchema: poolStepSchema,
  defaults: () => ({ seed: 1, pool: { ...defaultPoolConfig, initSql: [] }, embedded: { ...defaultSimServerSettings } }),
  create: (config) => new PoolModel(config),
  fromSession(file) {
    const m = new PoolModel(file.config);
    m.replay(file.steps, file.labels, file.cursor);
    return m;
  },
};

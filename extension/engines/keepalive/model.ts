/**
 * The HTTP keep-alive inspector as a model. A `run` intent performs a real experiment (seconds of
 * real sockets) and records every event it observes as one timeline step, live: subscribers hear
 * about each one so the view streams while the run goes on. Seeking folds recorded events; it
 * never re-runs anything. Dispose cancels a running experiment and waits until all it opened is
 * closed.
 */
import type { InspectorModel, ModelFactory, RunContext } from '../core/model';
import { UserError, timelineView } from '../core/model';
import type { SessionFile } from '../core/sessionFile';
import { makeSessionFile } from '../core/sessionFile';
import { Timeline } from '../core/timeline';
import type { Replayable } from '../core/timeline';
import type { KeepAliveIntent, KeepAliveSettings, KeepAliveView } from '../../protocol/keepalive';
import { keepAliveIntentSchema, keepAliveSettingsSchema } from '../../protocol/keepalive';
import type { KeepAliveEvent } from './events';
import { eventLabel, keepAliveEventSchema } from './events';
import { presetSettings } from './presets';
import { assertRunFits, runExperiment } from './runner';
import type { KeepAliveState } from './state';
import { applyEvent, initialState } from './state';
import { buildView } from './view';

export const KEEPALIVE_KIND = 'keepalive';

export class KeepAliveModel implements InspectorModel<KeepAliveIntent, KeepAliveView>, Replayable<KeepAliveEvent, KeepAliveState> {
  private state: KeepAliveState;
  private readonly timeline: Timeline<KeepAliveEvent, KeepAliveState>;
  private running: Promise<void> | undefined;
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly initial: KeepAliveSettings) {
    this.state = initialState(initial);
    // A run records thousands of small events; snapshots every 256 keep seeks short without copying the run on every few steps.
    this.timeline = new Timeline(this, { snapshotEvery: 256 });
  }

  async dispatch(intent: KeepAliveIntent, ctx: RunContext): Promise<void> {
    if (this.disposed) throw new UserError('This keep-alive inspector is closed; open a new one to run experiments.');
    if (this.running) throw new UserError('An experiment is already running. Wait for it to finish or cancel it, then try again.');
    if (intent.type === 'configure') {
      this.record({ e: 'settings', settings: intent.settings });
      return;
    }
    const base = intent.preset ? presetSettings(intent.preset, intent.client ?? 'node') : this.state.settings;
    const settings: KeepAliveSettings = {
      server: { ...base.server },
      client: { ...base.client, ...(intent.client ? { kind: intent.client } : {}) },
      workload: { ...base.workload, ...(intent.requests !== undefined ? { requests: intent.requests } : {}) },
    };
    // Refuse before recording: a run that never starts leaves no trace on the timeline.
    assertRunFits(settings);
    this.record({ e: 'run', run: this.state.runs + 1, preset: intent.preset ?? 'custom', settings });
    const run = runExperiment(settings, {
      emit: (e) => this.record(e),
      cancelled: () => ctx.cancelled || this.disposed,
      progress: (f, m) => ctx.progress(f, m),
    });
    this.running = run.then(() => undefined, () => undefined);
    try {
      await run;
    } finally {
      this.running = undefined;
    }
  }

  seek(step: number): void {
    if (this.running) throw new UserError('An experiment is still running; the timeline can be moved once it has finished or been cancelled.');
    this.timeline.seek(step);
  }

  view(): KeepAliveView {
    return buildView(this.state, timelineView(this.timeline));
  }

  exportSession(): SessionFile<KeepAliveSettings, KeepAliveEvent> {
    return makeSessionFile(KEEPALIVE_KIND, this.initial, this.timeline.steps(), this.timeline.labels(), this.timeline.cursor);
  }

  /** Called for every recorded event, so a live view can follow a running experiment. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.running;
    this.listeners.clear();
  }

  /** Rebuilds the timeline from recorded events, without any network. */
  replay(steps: readonly KeepAliveEvent[], cursor: number): void {
    for (const ev of steps) this.record(ev);
    this.timeline.seek(cursor);
  }

  // Replayable
  snapshot(): KeepAliveState {
    return structuredClone(this.state);
  }
  restore(snap: KeepAliveState): void {
    this.state = structuredClone(snap);
  }
  redo(step: KeepAliveEvent): void {
    applyEvent(this.state, step);
  }

  private record(ev: KeepAliveEvent): void {
    applyEvent(this.state, ev);
    this.timeline.record(ev, eventLabel(ev));
    for (const l of this.listeners) l();
  }
}

export const keepAliveFactory: ModelFactory<KeepAliveSettings, KeepAliveIntent, KeepAliveEvent> = {
  kind: KEEPALIVE_KIND,
  title: 'HTTP Keep-Alive',
  configSchema: keepAliveSettingsSchema,
  intentSchema: keepAliveIntentSchema,
  stepSchema: keepAliveEventSchema,
  defaults: () => presetSettings('keepalive'),
  create: (config) => new KeepAliveModel(config),
  fromSession(file) {
    const m = new KeepAliveModel(file.config);
    m.replay(file.steps, file.cursor);
    return m;
  },
};

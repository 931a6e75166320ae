/**
 * What every inspector's engine looks like from the outside: a model that takes validated intents,
 * records them on a timeline, seeks, exports, and renders a view made of named parts. The host
 * streams the parts to webviews (a snapshot, then only the parts that changed), so a model keeps
 * each part small: aggregates and windows, never the whole of a large structure.
 *
 * Models are free of `vscode`; they run in a worker thread under the extension host, in the `dsi`
 * CLI, in tests and in benchmarks alike.
 */
import type { SessionFile } from './sessionFile';
import type { Schema } from './schema';
import type { Timeline } from './timeline';

/** A headline number for the compact side view and the panel header. */
export interface Metric {
  label: string;
  value: string;
  /** How to colour it: bad and warn draw the eye to what went wrong. */
  tone?: 'normal' | 'good' | 'warn' | 'bad';
  /** Tooltip: what the number means. */
  hint?: string;
}

/** The compact view of any inspector, shown in the side bar's live view. */
export interface Summary {
  title: string;
  subtitle?: string;
  metrics: Metric[];
}

/** Where the session stands on its timeline, for the scrubber. */
export interface TimelineView {
  length: number;
  cursor: number;
  /** Labels of steps [from, from + labels.length), a window around the cursor. */
  from: number;
  labels: string[];
}

export interface ModelView {
  summary: Summary;
  timeline: TimelineView;
  [part: string]: unknown;
}

/** Handed to a long-running step so it can report progress and stop when cancelled. */
export interface RunContext {
  progress(fraction: number, message?: string): void;
  readonly cancelled: boolean;
}

export const noRunContext: RunContext = { progress() {}, cancelled: false };

/** An error whose message is meant for the user as is: what failed, why, and what to do. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export interface InspectorModel<Intent = unknown, View extends ModelView = ModelView> {
  /** Applies one intent and records it as a step; throws UserError for an operation that cannot be done. */
  dispatch(intent: Intent, ctx: RunContext): void | Promise<void>;
  /** Moves to the state after `step` steps (0 … timeline length). */
  seek(step: number): void;
  view(): View;
  exportSession(): SessionFile;
  dispose?(): void | Promise<void>;
}

/** What the host allows a model to do beyond its configuration. */
export interface ModelOptions {
  /**
   * Run code from the user's editor that travels in the configuration (a selected hash function).
   * The host grants it only in a trusted workspace, for sessions the user made from a selection;
   * an imported session file never gets it, so opening a file cannot make the extension run code.
   */
  runSelectedCode?: boolean;
}

/** How the host and the CLI make models of one kind. */
export interface ModelFactory<Config = unknown, Intent = unknown, Step = unknown> {
  readonly kind: string;
  readonly title: string;
  readonly configSchema: Schema<Config>;
  readonly intentSchema: Schema<Intent>;
  readonly stepSchema: Schema<Step>;
  defaults(): Config;
  create(config: Config, options?: ModelOptions): InspectorModel<Intent>;
  /** Rebuilds a model from an exported session (already validated against the schemas above). */
  fromSession(file: SessionFile<Config, Step>, options?: ModelOptions): InspectorModel<Intent>;
}

/** The scrubber's part of a view: length, cursor and a window of labels around the cursor. */
export function timelineView(t: Timeline<unknown, unknown>, radius = 200): TimelineView {
  const from = Math.max(0, t.cursor - radius);
  const to = Math.min(t.length, t.cursor + radius);
  return { length: t.length, cursor: t.cursor, from, labels: t.labels(from, to) };
}

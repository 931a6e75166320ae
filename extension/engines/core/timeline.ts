/**
 * The record of a session: every step in order, with periodic snapshots so that seeking to any
 * step (backwards or forwards) restores the nearest snapshot at or before it and redoes only the
 * steps in between.
 *
 * A step is whatever the engine needs to redo itself exactly: a command for a deterministic
 * engine, or the recorded events for one that touched the real world. Snapshots are taken when
 * enough steps or enough work (a step's `cost`, in the engine's own work units) has piled up since
 * the last one, so one huge bulk step is not redone on every seek.
 */
export interface Replayable<Step, Snap> {
  /** An immutable copy of the whole state; the timeline keeps it as is. */
  snapshot(): Snap;
  /** Replaces the whole state with a copy of `snap` (the stored snapshot must stay untouched). */
  restore(snap: Snap): void;
  /** Re-applies a recorded step; must reach the same state it reached the first time. */
  redo(step: Step): void;
}

export interface TimelineEntry<Step> {
  readonly step: Step;
  /** What the user sees on the scrubber, e.g. "insert user:7 → bucket 3". */
  readonly label: string;
  /** Work units the step cost; drives snapshot placement. */
  readonly cost: number;
}

export interface TimelineOptions {
  /** Take a snapshot at least every this many steps. */
  snapshotEvery?: number;
  /** …or once this much work has accumulated since the last snapshot. */
  snapshotCost?: number;
  /** Keep at most this many snapshots; older ones are thinned (step 0 is always kept). */
  maxSnapshots?: number;
}

export class Timeline<Step, Snap> {
  private readonly entries: TimelineEntry<Step>[] = [];
  /** Snapshot taken after `at` steps, sorted by `at`. */
  private snapshots: { at: number; snap: Snap }[] = [];
  private pos = 0;
  private costSinceSnapshot = 0;
  private readonly every: number;
  private readonly costLimit: number;
  private readonly maxSnapshots: number;

  constructor(private readonly target: Replayable<Step, Snap>, opts: TimelineOptions = {}) {
    this.every = opts.snapshotEvery ?? 64;
    this.costLimit = opts.snapshotCost ?? 200_000;
    this.maxSnapshots = Math.max(2, opts.maxSnapshots ?? 64);
    this.snapshots.push({ at: 0, snap: target.snapshot() });
  }

  /** Number of recorded steps. */
  get length(): number {
    return this.entries.length;
  }

  /** Number of steps applied to the target right now (0 … length). */
  get cursor(): number {
    return this.pos;
  }

  entry(i: number): TimelineEntry<Step> {
    const e = this.entries[i];
    if (!e) throw new RangeError(`Timeline: no step ${i} (length ${this.entries.length})`);
    return e;
  }

  steps(): Step[] {
    return this.entries.map((e) => e.step);
  }

  /** Labels of steps [from, to). */
  labels(from = 0, to = this.entries.length): string[] {
    return this.entries.slice(Math.max(0, from), Math.max(0, to)).map((e) => e.label);
  }

  /**
   * Records a step the target has just applied. If the cursor was behind the end, the steps after
   * it are dropped first: acting in the past starts a new branch, as in an editor's undo history.
   */
  record(step: Step, label: string, cost = 1): void {
    if (this.pos < this.entries.length) this.truncate(this.pos);
    this.entries.push({ step, label, cost });
    this.pos = this.entries.length;
    this.costSinceSnapshot += cost;
    const last = this.snapshots[this.snapshots.length - 1]!;
    if (this.pos - last.at >= this.every || this.costSinceSnapshot >= this.costLimit) this.takeSnapshot();
  }

  /** Moves the target to the state after `n` steps. */
  seek(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.entries.length)
      throw new RangeError(`Timeline: cannot seek to ${n}; steps run from 0 to ${this.entries.length}`);
    if (n === this.pos) return;
    const base = this.nearestSnapshot(n);
    // Going forward from where we are is cheaper than restoring when no snapshot lies in between.
    let from: number;
    if (n > this.pos && base.at <= this.pos) {
      from = this.pos;
    } else {
      this.target.restore(base.snap);
      from = base.at;
    }
    for (let i = from; i < n; i++) this.target.redo(this.entries[i]!.step);
    this.pos = n;
  }

  /** Puts the target back in the state after the current step: for a step that failed part way through. */
  reload(): void {
    const base = this.nearestSnapshot(this.pos);
    this.target.restore(base.snap);
    for (let i = base.at; i < this.pos; i++) this.target.redo(this.entries[i]!.step);
  }

  private nearestSnapshot(n: number): { at: number; snap: Snap } {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid]!.at <= n) lo = mid;
      else hi = mid - 1;
    }
    return this.snapshots[lo]!;
  }

  private truncate(n: number): void {
    this.entries.length = n;
    this.snapshots = this.snapshots.filter((s) => s.at <= n);
    const last = this.snapshots[this.snapshots.length - 1]!;
    this.costSinceSnapshot = 0;
    for (let i = last.at; i < n; i++) this.costSinceSnapshot += this.entries[i]!.cost;
  }

  private takeSnapshot(): void {
    this.snapshots.push({ at: this.pos, snap: this.target.snapshot() });
    this.costSinceSnapshot = 0;
    if (this.snapshots.length > this.maxSnapshots) {
      // Thin evenly: keep step 0, the newest, and every other one in between.
      const first = this.snapshots[0]!;
      const newest = this.snapshots[this.snapshots.length - 1]!;
      const middle = this.snapshots.slice(1, -1).filter((_, i) => i % 2 === 1);
      this.snapshots = [first, ...middle, newest];
    }
  }

  /** Snapshot positions, for tests and diagnostics. */
  snapshotSteps(): number[] {
    return this.snapshots.map((s) => s.at);
  }
}

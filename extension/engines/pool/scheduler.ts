/**
 * Timers as the pool, the embedded server and the workloads see them. The virtual scheduler
 * runs on a ManualClock and fires timers synchronously in (time, creation order): a simulated run
 * is a pure function of its inputs and replays exactly. The real scheduler is setTimeout on the
 * monotonic clock, for runs against a real server.
 */
import { ManualClock, systemClock } from '../core/clock';

export interface Timer {
  cancel(): void;
}

export interface Scheduler {
  now(): number;
  /** Calls `fn` once, `ms` from now (0 = after the current work, never re-entrantly). */
  after(ms: number, fn: () => void): Timer;
  /**
   * The stack line of the frame that fires timers, when it is not the event loop's: a stack
   * captured in a timer is cut there, since what lies below is the clock, not the caller.
   */
  readonly stackFloor?: string;
}

class Entry implements Timer {
  cancelled = false;
  constructor(readonly at: number, readonly seq: number, readonly fn: () => void, private readonly owner: VirtualScheduler) {}
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.owner.forget();
  }
}

export class VirtualScheduler implements Scheduler {
  readonly clock: ManualClock;
  readonly stackFloor: string;
  private heap: Entry[] = [];
  private seq = 0;
  private live = 0;

  constructor(start = 0) {
    this.clock = new ManualClock(start);
    let line = '';
    this.fire(() => { line = (new Error().stack ?? '').split('\n')[2]?.trim() ?? ''; });
    this.stackFloor = line;
  }

  now(): number {
    return this.clock.now();
  }

  after(ms: number, fn: () => void): Timer {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`VirtualScheduler.after: bad delay ${ms}`);
    const e = new Entry(this.now() + ms, this.seq++, fn, this);
    this.push(e);
    this.live++;
    return e;
  }

  /** A timer was cancelled (called by the timer itself). */
  forget(): void {
    this.live--;
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.live;
  }

  /** Time of the next timer, or undefined when none is left. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Fires the next timer; false when none is left. */
  step(): boolean {
    this.dropCancelled();
    const e = this.pop();
    if (!e) return false;
    this.live--;
    e.cancelled = true;
    if (e.at > this.now()) this.clock.set(e.at);
    this.fire(e.fn);
    return true;
  }

  /** Every timer runs through here, so its frame marks where the clock's part of a stack begins. */
  private fire(fn: () => void): void {
    fn();
  }

  /** Fires every timer due within `ms` from now, in order, then moves the clock to now + ms. */
  advance(ms: number): void {
    const until = this.now() + ms;
    for (let at = this.nextAt(); at !== undefined && at <= until; at = this.nextAt()) this.step();
    this.clock.set(until);
  }

  /**
   * Fires timers until `done()` holds, stopping early (and returning false) when no timer is left
   * or the next one lies beyond `limitMs` from the start; a bound, so a bug cannot spin forever.
   */
  runUntil(done: () => boolean, limitMs: number): boolean {
    const limit = this.now() + limitMs;
    while (!done()) {
      const at = this.nextAt();
      if (at === undefined || at > limit) return false;
      this.step();
    }
    return true;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

export const realScheduler: Scheduler = {
  now: () => systemClock.now(),
  after(ms, fn) {
    if (ms <= 0) {
      // setTimeout(fn, 0) waits at least 1 ms; "after the current work" should not cost a millisecond.
      const immediate = setImmediate(fn);
      return { cancel: () => clearImmediate(immediate) };
    }
    // Node truncates fractional delays; rounding up keeps a timer from firing before its deadline.
    const handle = setTimeout(fn, Math.ceil(ms));
    return { cancel: () => clearTimeout(handle) };
  },
};

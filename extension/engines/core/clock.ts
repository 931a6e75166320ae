/**
 * Time as engines see it. Deterministic engines get a ManualClock that only moves when told,
 * so timeouts and TTLs replay exactly; adapters to real servers get the SystemClock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
}

export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`ManualClock.advance: bad step ${ms}`);
    this.t += ms;
    return this.t;
  }
  set(ms: number): void {
    if (ms < this.t) throw new RangeError(`ManualClock.set: time cannot go back (${ms} < ${this.t})`);
    this.t = ms;
  }
}

export const systemClock: Clock = { now: () => performance.now() };

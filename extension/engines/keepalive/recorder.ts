/**
 * Stamps and forwards the events of one run. Times come from the injected clock (the real one for
 * real sockets), relative to the run's start and rounded to the microsecond so recorded sessions
 * stay small. Once the run has ended, late stragglers (a socket closing after the report) are
 * dropped: the run's record is complete when it says so.
 */
import type { Clock } from '../core/clock';
import type { RunEvent } from './events';

/** Three decimals: microseconds for times (enough for ratios too); keeps float noise out of records and views. */
export const roundMs = (x: number): number => Math.round(x * 1000) / 1000;

export class RunRecorder {
  private readonly t0: number;
  private ended = false;

  constructor(private readonly clock: Clock, private readonly sink: (e: RunEvent) => void) {
    this.t0 = clock.now();
  }

  /** Milliseconds since the run started. */
  now(): number {
    return roundMs(this.clock.now() - this.t0);
  }

  emit(e: RunEvent): void {
    if (!this.ended) this.sink(e);
  }

  /** Records the run's last event; nothing is recorded after it. */
  finish(outcome: 'finished' | 'cancelled' | 'failed', message?: string): void {
    this.emit({ e: 'end', at: this.now(), outcome, ...(message !== undefined ? { message } : {}) });
    this.ended = true;
  }
}

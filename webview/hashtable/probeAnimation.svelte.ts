/**
 * Plays the last step's probe sequences one probe at a time, so the user sees where a key was
 * hashed, which slots it tried, and where it landed. The whole animation stays under a few seconds
 * however long the sequence; with reduced motion it shows the final state at once.
 */
import type { LastOpPart, ProbeView } from '../../extension/protocol/hashtable';

const TOTAL_MS = 2500;
const MAX_STEP_MS = 160;

export class ProbeAnimation {
  /** Probes shown so far, in order, with their 1-based number in their op. */
  shown = $state<(ProbeView & { n: number; op: number })[]>([]);
  /** Index of the op being played. */
  op = $state(0);
  private timer: ReturnType<typeof setTimeout> | undefined;

  play(last: LastOpPart | undefined): void {
    clearTimeout(this.timer);
    const ops = last?.ops ?? [];
    const all = ops.flatMap((o, op) => o.probes.map((p, i) => ({ ...p, n: i + 1, op })));
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (reduced || all.length === 0) {
      this.shown = all.filter((p) => p.op === ops.length - 1);
      this.op = Math.max(0, ops.length - 1);
      return;
    }
    const stepMs = Math.max(16, Math.min(MAX_STEP_MS, TOTAL_MS / all.length));
    this.shown = [];
    let i = 0;
    const tick = (): void => {
      const p = all[i++];
      if (!p) return;
      // Each op starts with a clean slate; the last op's probes stay on screen.
      if (p.op !== this.op) { this.shown = []; this.op = p.op; }
      this.shown = [...this.shown, p];
      this.timer = setTimeout(tick, stepMs);
    };
    this.op = 0;
    tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

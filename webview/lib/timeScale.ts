/**
 * A time axis for lanes of real-time events (keep-alive sockets, pool connections). Such runs are
 * bursts of milliseconds separated by seconds of idle (the keep-alive race waits out the server's
 * 3 s timer), so a linear axis would squeeze the moment that
 * matters into a pixel. Folding cuts each long quiet stretch down to a fixed-width break and spreads
 * the busy stretches over the width in proportion to their length, each with at least half of an
 * equal share, so a short burst (the race's few milliseconds) is not crushed by a longer one
 * (the first connects). Each busy stretch has its own ticks.
 */

export interface Piece {
  t0: number;
  t1: number;
  x0: number;
  x1: number;
  /** A folded quiet stretch: drawn as a break, its duration written on it. */
  folded: boolean;
}

export interface TimeScale {
  pieces: Piece[];
  width: number;
  x(t: number): number;
}

/** Width of a folded gap, px. */
export const FOLD_PX = 40;
/** A quiet stretch is folded when it is at least this share of the run… */
const FOLD_MIN_SHARE = 0.05;
/** …and only if folding frees at least this share of the axis. */
const FOLD_WORTH = 0.3;

/**
 * A scale for the times `range` on `width` px. `marks` are the [from, to] intervals that must stay
 * readable (requests, connects, closes, timer deadlines); with `fold`, long stretches without any
 * are folded.
 */
export function timeScale(marks: readonly (readonly [number, number])[], range: readonly [number, number], width: number, fold: boolean): TimeScale {
  const start = range[0];
  const end = Math.max(range[1], start + 1e-3);
  const length = end - start;
  const linear = (): TimeScale => makeScale([{ t0: start, t1: end, x0: 0, x1: width, folded: false }], width);
  if (!fold || marks.length === 0) return linear();

  // Pad each mark so a lone instant still gets a few pixels of context around it.
  const pad = Math.max(0.25, length * 0.004);
  const sorted = marks
    .map(([a, b]) => [Math.max(start, Math.min(a, b) - pad), Math.min(end, Math.max(a, b) + pad)] as [number, number])
    .filter(([a, b]) => b >= a)
    .concat([[start, Math.min(end, start + pad)], [Math.max(start, end - pad), end]])
    .sort((p, q) => p[0] - q[0]);
  const busy: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = busy[busy.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else busy.push([a, b]);
  }
  const folds = new Set<number>();
  for (let i = 1; i < busy.length; i++) if (busy[i]![0] - busy[i - 1]![1] >= length * FOLD_MIN_SHARE) folds.add(i);
  const foldedMs = [...folds].reduce((s, i) => s + busy[i]![0] - busy[i - 1]![1], 0);
  const available = width - folds.size * FOLD_PX;
  if (folds.size === 0 || foldedMs < length * FOLD_WORTH || available < width * 0.5) return linear();

  // Busy stretches: runs of busy intervals with no fold between them (short quiet gaps stay linear).
  const stretches: [number, number][] = [];
  busy.forEach(([a, b], i) => {
    if (i === 0 || folds.has(i)) stretches.push([a, b]);
    else stretches[stretches.length - 1]![1] = b;
  });
  const widths = shareWidths(stretches.map(([a, b]) => b - a), available);
  const pieces: Piece[] = [];
  let x = 0;
  stretches.forEach(([a, b], i) => {
    if (i > 0) {
      pieces.push({ t0: stretches[i - 1]![1], t1: a, x0: x, x1: x + FOLD_PX, folded: true });
      x += FOLD_PX;
    }
    pieces.push({ t0: a, t1: b, x0: x, x1: x + widths[i]!, folded: false });
    x += widths[i]!;
  });
  return makeScale(pieces, width);
}

/** Widths proportional to durations, none below half of an equal share. */
function shareWidths(durations: number[], available: number): number[] {
  const min = available / durations.length / 2;
  const fixed = new Set<number>();
  for (;;) {
    const free = available - fixed.size * min;
    const total = durations.reduce((s, d, i) => (fixed.has(i) ? s : s + d), 0);
    const widths = durations.map((d, i) => (fixed.has(i) ? min : total > 0 ? (d / total) * free : free / (durations.length - fixed.size)));
    const under = widths.findIndex((w, i) => !fixed.has(i) && w < min);
    if (under < 0) return widths;
    fixed.add(under);
  }
}

function makeScale(pieces: Piece[], width: number): TimeScale {
  return {
    pieces,
    width,
    x(t) {
      const at = (p: Piece): number => p.x0 + ((t - p.t0) / Math.max(1e-9, p.t1 - p.t0)) * (p.x1 - p.x0);
      // Few pieces (one per fold): a linear walk is as fast as a search. Times outside the range
      // extrapolate from the end pieces, so a zoomed view can clip them instead of piling them up.
      for (const p of pieces) if (t <= p.t1) return at(p);
      return at(pieces[pieces.length - 1]!);
    },
  };
}

/** Tick times on one busy piece, on a 1-2-5 step that keeps labels at least `minPx` apart. */
export function ticks(p: Piece, minPx = 70): number[] {
  if (p.folded || p.t1 <= p.t0) return [];
  const pxPerMs = (p.x1 - p.x0) / (p.t1 - p.t0);
  const raw = minPx / pxPerMs;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(p.t0 / step) * step; t <= p.t1 + 1e-9; t += step) {
    // Leave room for the neighbouring folds' labels.
    if ((t - p.t0) * pxPerMs >= 14 || p.x0 === 0) out.push(Number(t.toPrecision(12)));
  }
  return out;
}

/** "1,250 ms", "3.5 ms", "0.25 ms": as many decimals as the tick step needs. */
export function msLabel(t: number): string {
  const digits = t === 0 || Math.abs(t) >= 10 ? 0 : Math.abs(t) >= 1 ? 1 : 2;
  return `${t.toLocaleString('en-US', { maximumFractionDigits: digits })} ms`;
}

/** "2.9 s", "450 ms": how long a fold hides. */
export function durationLabel(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/**
 * The lanes' time axis. A lab session is bursts of activity separated by long quiet stretches
 * (waiting out a 30 s TTL to show a late duplicate), so each quiet stretch much longer than the
 * activity around it is cut to a fixed-width break labelled with its length, and the busy
 * stretches share one scale across the rest of the width.
 */

export interface AxisBreak {
  x0: number;
  x1: number;
  /** The quiet time the break stands for, ms. */
  ms: number;
}

export interface TimeAxis {
  x(t: number): number;
  ticks: { t: number; x: number; label: string }[];
  breaks: AxisBreak[];
}

const BREAK_PX = 30;
const TICK_EVERY_PX = 90;

/** "850 ms", "31.2 s", "2.5 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms < 60_000) return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;
  return `${(ms / 3_600_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} h`;
}

/** A round step (1, 2 or 5 × 10^k) of at least `raw`. */
function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * An axis over `spans` (start, end in ms; `now` is always included) drawn from x0 to x1 px. A gap
 * between busy stretches is cut when it is longer than a tenth of the whole span and longer than
 * the busy time around it would need to stay readable.
 */
export function timeAxis(spans: readonly (readonly [number, number])[], now: number, x0: number, x1: number): TimeAxis {
  const all = [...spans.map(([a, b]) => [a, Math.max(a, b)] as [number, number]), [now, now] as [number, number]].sort((p, q) => p[0] - q[0]);
  const t0 = all[0]![0];
  const t1 = Math.max(...all.map((s) => s[1]), t0 + 1);
  const minGap = Math.max(20, (t1 - t0) / 10);
  // Busy stretches: spans merged across gaps too short to cut.
  const busy: [number, number][] = [];
  for (const [a, b] of all) {
    const last = busy[busy.length - 1];
    if (last && a - last[1] <= minGap) last[1] = Math.max(last[1], b);
    else busy.push([a, b]);
  }
  const busyMs = busy.reduce((s, [a, b]) => s + Math.max(1, b - a), 0);
  const width = Math.max(1, x1 - x0);
  // Cutting only pays when the gaps hold most of the span; otherwise draw it linearly.
  const cut = busy.length > 1 && busyMs < (t1 - t0) * 0.75 && (busy.length - 1) * BREAK_PX < width / 2;
  const segments = cut ? busy.map(([a, b]) => [a, Math.max(b, a + 1)] as [number, number]) : [[t0, t1] as [number, number]];
  const pxPerMs = (width - (segments.length - 1) * BREAK_PX) / segments.reduce((s, [a, b]) => s + (b - a), 0);

  const starts: number[] = [];
  let x = x0;
  for (let i = 0; i < segments.length; i++) {
    starts.push(x);
    x += (segments[i]![1] - segments[i]![0]) * pxPerMs + BREAK_PX;
  }
  const breaks: AxisBreak[] = segments.slice(1).map((s, i) => {
    const prevEnd = starts[i]! + (segments[i]![1] - segments[i]![0]) * pxPerMs;
    return { x0: prevEnd, x1: prevEnd + BREAK_PX, ms: s[0] - segments[i]![1] };
  });

  const at = (t: number): number => {
    for (let i = 0; i < segments.length; i++) {
      const [a, b] = segments[i]!;
      if (t <= b || i === segments.length - 1) {
        if (t >= a || i === 0) return starts[i]! + (Math.min(Math.max(t, i === 0 ? a : t), b) - a) * pxPerMs;
        // Inside the cut before segment i: spread over the break.
        const br = breaks[i - 1]!;
        const prevEnd = segments[i - 1]![1];
        return br.x0 + ((t - prevEnd) / Math.max(1, a - prevEnd)) * BREAK_PX;
      }
    }
    return x1;
  };

  const step = niceStep(TICK_EVERY_PX / pxPerMs);
  const ticks: TimeAxis['ticks'] = [];
  for (const [a, b] of segments) {
    for (let t = Math.ceil(a / step) * step; t <= b; t += step) ticks.push({ t, x: at(t), label: duration(t) });
  }
  return { x: at, ticks, breaks };
}

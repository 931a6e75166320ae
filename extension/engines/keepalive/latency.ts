/** Latency percentiles by the nearest-rank method: every reported value is one that was measured. */
import type { LatencyPercentiles } from '../../protocol/keepalive';
import { roundMs as round } from './recorder';

export function latencyPercentiles(values: readonly number[]): LatencyPercentiles {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, mean: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, p50: round(rank(0.5)), p90: round(rank(0.9)), p99: round(rank(0.99)), mean: round(mean), max: round(sorted[sorted.length - 1]!) };
}

/**
 * The throughput/ordering trade-off, measured by simulation: a burst of messages with no faults
 * and no check, through each dispatch mode, for several worker counts and key skews. Round robin
 * scales with workers but breaks per-key order; key hashing keeps order, and its throughput stops
 * growing once the hottest key's lane is the bottleneck; a single consumer keeps order at the
 * speed of one thread.
 */
import { DISPATCH_MODES, type DispatchMode, type LabSettings, type TradeoffPart, type TradeoffPoint } from '../../protocol/idempotency';
import { driveMemory } from './drivers';
import { MemoryKeyspace } from './memoryStore';
import { DeliverySim, initialSimState } from './simulation';

export const TRADEOFF_WORKERS = [1, 2, 4, 8, 16];
export const TRADEOFF_SKEWS = [0, 1, 2];
export const TRADEOFF_MESSAGES = 500;

/** One burst through one configuration. */
export function measureBurst(base: LabSettings, seed: number, dispatch: DispatchMode, workers: number, skew: number, messages: number): TradeoffPoint {
  const settings: LabSettings = {
    ...base,
    check: 'off',
    dispatch,
    workers,
    skew,
    produceIntervalMs: 0,
    faults: { duplicateRate: 0, reorderRate: 0, maxDelayMs: 0, ackLossRate: 0, crashRate: 0, ackTimeoutMs: 86_400_000, maxDeliveries: 1 },
  };
  const state = initialSimState(seed, settings);
  const sim = new DeliverySim(state);
  sim.produce(messages, 'payment');
  driveMemory(sim.run(Infinity), new MemoryKeyspace({ now: () => state.now }));
  const makespan = Math.max(1, (state.lastEffectAt ?? 0) - (state.firstProducedAt ?? 0));
  return {
    workers,
    throughput: Math.round((messages / makespan) * 1000),
    violations: state.counters.orderViolations,
    busiestWorkerShare: Math.max(...state.workers.map((w) => w.processed)) / messages,
  };
}

/** The seed of every sweep: the chart describes the workload, not one session's random draws. */
const SWEEP_SEED = 1;
const memo = new Map<string, TradeoffPart>();

/**
 * The chart's data for the current workload (keys, service time and its spread, partitioner), on a
 * fixed grid of worker counts and skews plus the current ones; memoised.
 */
export function tradeoff(base: LabSettings): TradeoffPart {
  const key = JSON.stringify([base.keys, base.serviceMs, base.serviceJitter, base.partitioner, base.workers, base.skew]);
  let part = memo.get(key);
  if (!part) {
    part = sweep(base);
    if (memo.size >= 16) memo.delete(memo.keys().next().value!);
    memo.set(key, part);
  }
  return part;
}

const withValue = (grid: number[], v: number): number[] => [...new Set([...grid, v])].sort((a, b) => a - b);

function sweep(base: LabSettings): TradeoffPart {
  const seed = SWEEP_SEED;
  const workerCounts = withValue(TRADEOFF_WORKERS, base.workers);
  const skews = withValue(TRADEOFF_SKEWS, base.skew);
  const series: TradeoffPart['series'] = [];
  for (const skew of skews) {
    for (const dispatch of DISPATCH_MODES) {
      // A single consumer ignores the worker count: measure it once.
      const single = dispatch === 'single' ? measureBurst(base, seed, dispatch, 1, skew, TRADEOFF_MESSAGES) : undefined;
      const points = workerCounts.map((n) => (single ? { ...single, workers: n } : measureBurst(base, seed, dispatch, n, skew, TRADEOFF_MESSAGES)));
      series.push({ dispatch, skew, points });
    }
  }
  return { messages: TRADEOFF_MESSAGES, serviceMs: base.serviceMs, keys: base.keys, workerCounts, skews, series };
}

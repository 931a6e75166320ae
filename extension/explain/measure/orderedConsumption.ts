/**
 * Ordering measured in the idempotency engine's delivery lab: one burst of messages over 8 keys
 * through N workers, dispatched round-robin (a shared queue) and by key hash, counting messages
 * that ran after a later message of their key, and the throughput each way.
 */
import { measureBurst } from '../../engines/idempotency';
import type { OrderedConsumptionParams } from '../finding';
import { LAB_SEED, labSettings } from './deliveryLab';
import { count, type Measured, type Measurement } from './measurement';

const MESSAGES = 500;
const EXAMPLE_WORKERS = 4;
const MAX_WORKERS = 64;

export function measureOrderedConsumption(p: OrderedConsumptionParams): Measured {
  const missing: string[] = [];
  let workers = p.workers !== null && p.workers >= 1 ? Math.min(MAX_WORKERS, Math.round(p.workers)) : EXAMPLE_WORKERS;
  if (p.workers === null) missing.push(`The worker count is not fixed in the selection; the lab used ${EXAMPLE_WORKERS}.`);
  else if (p.workers > MAX_WORKERS) missing.push(`The lab runs at most ${MAX_WORKERS} workers; ${p.workers} was run as ${MAX_WORKERS}.`);
  if (workers < 2) workers = 2;
  const base = labSettings({});
  const method = `${MESSAGES} messages over ${base.keys} keys (skew 1), ${workers} workers, ${base.serviceMs} ms ±${base.serviceJitter * 100}% each (delivery lab)`;
  const shared = measureBurst(base, LAB_SEED, 'roundrobin', workers, 1, MESSAGES);
  const keyed = measureBurst(base, LAB_SEED, 'keyhash', workers, 1, MESSAGES);
  const single = measureBurst(base, LAB_SEED, 'single', 1, 1, MESSAGES);
  const m = (id: string, label: string, value: number, display = count(value)): Measurement => ({ id, label, value, display, engine: 'idempotency', method });
  return {
    measurements: [
      m('violations-shared', `messages run out of order with ${workers} workers on a shared queue`, shared.violations),
      m('violations-keyed', `messages run out of order with ${workers} workers routed by key`, keyed.violations),
      m('throughput-shared', 'messages per second, shared queue', shared.throughput),
      m('throughput-keyed', 'messages per second, routed by key', keyed.throughput),
      m('throughput-single', 'messages per second, one consumer', single.throughput),
      m('busiest-worker-keyed', 'share of messages on the busiest worker when routed by key', keyed.busiestWorkerShare, `${(keyed.busiestWorkerShare * 100).toFixed(0)}%`),
    ],
    missing,
  };
}

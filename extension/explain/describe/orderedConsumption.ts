import type { OrderedConsumptionParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import type { Description } from './description';

export function describeOrderedConsumption(p: OrderedConsumptionParams, m: Measured): Description {
  const n = p.workers !== null ? `${p.workers} workers` : 'several workers';
  let summary =
    p.routing === 'per-key' ? `Messages are routed to one of ${n} by key (${p.key ?? 'the key'}): each key's messages run in order on one worker.`
    : p.routing === 'partition' ? `${p.framework} consumes ${p.workers ?? 'several'} partitions concurrently: order holds within each partition.`
    : `${n[0]!.toUpperCase()}${n.slice(1)} (${p.framework}) take messages from one shared queue: any worker may run any message.`;
  const shared = find(m, 'violations-shared');
  const keyed = find(m, 'violations-keyed');
  const ts = find(m, 'throughput-shared');
  const tk = find(m, 'throughput-keyed');
  if (shared && keyed && ts && tk)
    summary += ` In the delivery lab (${shared.method.split(',').slice(0, 3).join(',')}), a shared queue ran ${shared.display} messages out of order at ${ts.display} msg/s; routing by key ran ${keyed.display} out of order at ${tk.display} msg/s.`;
  return { title: p.routing === 'per-key' ? 'Per-key routing to workers' : p.routing === 'partition' ? 'Concurrent partition consumers' : 'Multi-threaded consumer', summary };
}

/**
 * A transaction protocol measured by the transactions engine's explorer: the order flow over three
 * participants, one crash placed at every possible point, each run to quiescence; how many runs
 * broke an invariant and how many blocked. Where the code's risk has a planted counterpart
 * (non-idempotent compensations, consumers that do not deduplicate), that variant is explored too.
 */
import { explore } from '../../engines/txn';
import type { ExploreSpec, ProtocolName, VariantName } from '../../protocol/txn';
import type { DistributedTransactionParams } from '../finding';
import { count, type Measured, type Measurement } from './measurement';

const PARTICIPANTS = 3;
const PROTOCOL: Record<DistributedTransactionParams['protocol'], ProtocolName | null> = { 'xa-2pc': '2pc', saga: 'saga', tcc: 'tcc', outbox: 'outbox', local: null };
/** The planted bug that shows each protocol's main risk. */
const RISK_VARIANT: Partial<Record<ProtocolName, VariantName>> = { saga: 'non-idempotent-compensation', outbox: 'no-consumer-dedup' };

export function measureDistributedTransaction(p: DistributedTransactionParams): Measured {
  const protocol = PROTOCOL[p.protocol];
  if (!protocol)
    return { measurements: [], missing: ['A transaction inside one database is atomic on its own; the transactions engine models protocols across services (2PC, TCC, saga, outbox), so there is nothing to explore for it.'] };
  // A saga only compensates when a step fails: make the last participant refuse.
  const faults = protocol === 'saga' ? ['fail:coupon'] : [];
  const spec = (variant: VariantName): ExploreSpec => ({ protocol, participants: PARTICIPANTS, crashes: 1, variant, faults });
  const r = explore(spec('correct'));
  const method = `${protocol}, ${PARTICIPANTS} participants (order, payment, coupon), one crash at every point${faults.length ? ', coupon refusing' : ''}`;
  const violations = r.violations.reduce((s, v) => Math.max(s, v.runs), 0);
  const m = (id: string, label: string, value: number): Measurement => ({ id, label, value, display: count(value), engine: 'txn', method });
  const measurements = [
    m('explored-runs', 'runs explored', r.runs),
    m('explored-violations', 'runs breaking an invariant (atomicity, money, coupon, consistency, locks)', violations),
    m('explored-blocked', 'runs where a participant blocked, holding locks in doubt', r.blocked),
  ];
  const variant = RISK_VARIANT[protocol];
  if (variant) {
    const bad = explore(spec(variant));
    const worst = bad.violations.reduce((s, v) => Math.max(s, v.runs), 0);
    measurements.push(m('variant-violations', `runs breaking an invariant when ${variant === 'non-idempotent-compensation' ? 'a compensation is not idempotent' : 'consumers do not deduplicate'}`, worst));
  }
  return { measurements, missing: p.protocol === 'saga' && p.steps?.some((s) => s.compensation === null) ? ['The engine\'s saga gives every step a compensation; a step without one is not simulated.'] : [] };
}

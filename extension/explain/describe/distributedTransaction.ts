import type { DistributedTransactionParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import type { Description } from './description';

const PROTOCOLS: Record<DistributedTransactionParams['protocol'], string> = {
  local: 'A local database transaction', 'xa-2pc': 'An XA two-phase commit', saga: 'A saga', tcc: 'A TCC (try-confirm-cancel) transaction', outbox: 'A transactional outbox',
};

export function describeDistributedTransaction(p: DistributedTransactionParams, m: Measured): Description {
  let summary = `${PROTOCOLS[p.protocol]} over ${p.participants.join(', ') || 'its participants'}.`;
  if (p.steps) {
    const missing = p.steps.filter((s) => s.compensation === null).length;
    summary += ` ${p.steps.length} steps, ${p.steps.length - missing} with a compensation.`;
  }
  const runs = find(m, 'explored-runs');
  const violations = find(m, 'explored-violations');
  const blocked = find(m, 'explored-blocked');
  if (runs && violations && blocked) summary += ` The transactions engine ran ${runs.display} runs with one crash at every possible point (${runs.method}): invariants were violated in ${violations.display} and ${blocked.display} blocked.`;
  return { title: PROTOCOLS[p.protocol].replace(/^An? /, ''), summary };
}

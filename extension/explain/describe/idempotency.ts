import type { IdempotencyParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import type { Description } from './description';

export function describeIdempotency(p: IdempotencyParams, m: Measured): Description {
  let summary = p.store === 'sql'
    ? `Messages are deduplicated by a unique row (${p.command}): the strong, durable form of the check.`
    : `An idempotency key${p.keyShape ? ` "${p.keyShape}"` : ''} is claimed with ${p.command}${p.ttlSeconds !== null ? `, kept ${p.ttlSeconds} s` : ', with no expiry'}${p.atomic ? '' : ' — in two commands'}: a weak check that drops a repeat while the key lives.`;
  const off = find(m, 'slipped-off');
  const weak = find(m, 'slipped-weak');
  const lostWeak = find(m, 'lost-weak');
  const strong = find(m, 'slipped-strong');
  const lostStrong = find(m, 'lost-strong');
  if (off && weak && lostWeak && strong && lostStrong)
    summary += ` In the delivery lab (${off.method.split(';')[0]}), no check let ${off.display} duplicate charges through; SET NX let ${weak.display} through and lost ${lostWeak.display} payments whose worker crashed after the claim; the strong check: ${strong.display} duplicates, ${lostStrong.display} lost.`;
  return { title: p.store === 'sql' ? 'Idempotent consumer (unique row)' : 'Idempotency key', summary };
}

/**
 * An idempotency check measured in the idempotency engine's delivery lab: the same stream of
 * payments (5% duplicated, 2% of acks lost, 1% of workers crashing mid-message) with the check
 * off, the weak SET-NX check at the code's TTL, and the strong check; duplicates that slipped
 * through and messages whose effect was lost.
 */
import type { IdempotencyParams } from '../finding';
import { labSettings, runLab } from './deliveryLab';
import { count, type Measured, type Measurement } from './measurement';

const MESSAGES = 2000;
/** The lab's TTL range (1 ms … 24 h). */
const MAX_TTL_MS = 86_400_000;

export function measureIdempotency(p: IdempotencyParams): Measured {
  const missing: string[] = [];
  const ttlMs = p.ttlSeconds !== null && p.ttlSeconds > 0 ? Math.min(MAX_TTL_MS, Math.max(1, Math.round(p.ttlSeconds * 1000))) : MAX_TTL_MS;
  if (p.ttlSeconds === null) missing.push('The key has no TTL in the selection; the lab ran the weak check with its longest TTL, 24 h.');
  else if (p.ttlSeconds * 1000 > MAX_TTL_MS) missing.push(`The lab keeps keys at most 24 h; the code's ${p.ttlSeconds} s TTL was run as 24 h.`);
  if (!p.atomic) missing.push('The lab\'s weak check claims and expires in one command; the crash window between SETNX and EXPIRE is not simulated.');
  const method = `${count(MESSAGES)} payments over 8 accounts, 4 workers; 5% duplicated, 2% acks lost, 1% crashes (delivery lab, seed fixed)`;
  const run = (check: 'off' | 'weak' | 'strong') => runLab(labSettings({ check, ttlMs }), MESSAGES);
  const off = run('off');
  const weak = run('weak');
  const strong = run('strong');
  const m = (id: string, label: string, value: number): Measurement => ({ id, label, value, display: count(value), engine: 'idempotency', method });
  return {
    measurements: [
      m('slipped-off', 'duplicate charges with no check', off.duplicatesSlipped),
      m('slipped-weak', `duplicate charges with SET NX (TTL ${ttlMs / 1000} s)`, weak.duplicatesSlipped),
      m('lost-weak', 'payments never booked with SET NX (a crash after the claim)', weak.lost),
      m('slipped-strong', 'duplicate charges with the strong check (state + stored result)', strong.duplicatesSlipped),
      m('lost-strong', 'payments never booked with the strong check', strong.lost),
    ],
    missing,
  };
}

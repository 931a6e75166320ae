/**
 * How the Idempotency & Ordering lab names its choices to a user: the palette's quick picks and
 * the webview's controls say the same thing in the same words.
 */
import { HASH_INFO } from '../engines/hashing';
import type { CheckMode, DispatchMode, Partitioner, Scenario } from './idempotency';

export interface ChoiceText {
  label: string;
  detail: string;
}

export const CHECK_TEXT: Record<CheckMode, ChoiceText> = {
  off: { label: 'Off', detail: 'No check: every delivery runs its effect, so each duplicate charges again.' },
  weak: {
    label: 'Weak (SET NX with a TTL)',
    detail: 'The first delivery sets scenario:id with NX and a TTL; copies inside the TTL are dropped, a copy after it slips through. Enough for texts.',
  },
  strong: {
    label: 'Strong (record with state)',
    detail: 'A record (in progress → succeeded) with the payload fingerprint and the stored result: one effect, copies get the result. For money.',
  },
};

export const DISPATCH_TEXT: Record<DispatchMode, ChoiceText> = {
  single: { label: 'Single consumer', detail: 'One thread takes every message in turn: order kept, no parallelism.' },
  roundrobin: { label: 'Round robin', detail: 'The next worker in turn: scales with workers, but two messages of one key can run at once and finish out of order.' },
  keyhash: { label: 'Per-key lanes: hash(key) % N', detail: 'A key always goes to the same worker, so its messages run in order; the hottest key limits throughput.' },
};

export const PARTITIONER_LABEL: Record<Partitioner, string> = {
  kafka: "Kafka's default partitioner (murmur2)",
  ...(Object.fromEntries(Object.entries(HASH_INFO).map(([k, v]) => [k, v.label])) as Record<Exclude<Partitioner, 'kafka'>, string>),
};

export const SCENARIO_TEXT: Record<Scenario, ChoiceText> = {
  payment: { label: 'Payments', detail: 'A charge to an account: a duplicate that runs again charges twice, so it needs the strong check.' },
  notification: { label: 'Text notifications', detail: 'A text to an account holder: a repeat is a nuisance, and a weak check is enough.' },
};

/** "1 duplicate", "3 duplicates". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * The numeric settings the lab's controls edit as text: how each is shown (rates as percent), what
 * range it takes, and turning typed text back into the value the intent carries (or a reason).
 */
import type { Faults, LabSettings } from '../../extension/protocol/idempotency';

export interface NumberField<K extends string> {
  key: K;
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Shown = value × scale (1 for plain numbers, 100 for rates shown as percent). */
  scale: number;
  integer: boolean;
  help: string;
}

export type FaultKey = keyof Faults;
export type WorkloadKey = 'keys' | 'skew' | 'serviceMs' | 'serviceJitter' | 'produceIntervalMs';

export const FAULT_FIELDS: NumberField<FaultKey>[] = [
  { key: 'duplicateRate', label: 'Duplicates', unit: '%', min: 0, max: 100, scale: 100, integer: false, help: 'Chance the broker delivers an extra copy of a message' },
  { key: 'reorderRate', label: 'Reorder', unit: '%', min: 0, max: 100, scale: 100, integer: false, help: 'Chance a delivery is held back so later messages overtake it' },
  { key: 'maxDelayMs', label: 'Max delay', unit: 'ms', min: 0, max: 600_000, scale: 1, integer: true, help: 'How long a held-back delivery or extra copy may lag' },
  { key: 'ackLossRate', label: 'Ack loss', unit: '%', min: 0, max: 100, scale: 100, integer: false, help: 'Chance an ack is lost, so the broker redelivers after the ack timeout' },
  { key: 'crashRate', label: 'Crashes', unit: '%', min: 0, max: 100, scale: 100, integer: false, help: 'Chance a worker crashes while processing, before the effect commits' },
  { key: 'ackTimeoutMs', label: 'Ack timeout', unit: 'ms', min: 1, max: 600_000, scale: 1, integer: true, help: 'The broker redelivers a message not acked this long after pickup' },
  { key: 'maxDeliveries', label: 'Max deliveries', unit: '', min: 1, max: 100, scale: 1, integer: true, help: 'After this many deliveries an unacked message is dead-lettered' },
];

export const WORKLOAD_FIELDS: NumberField<WorkloadKey>[] = [
  { key: 'keys', label: 'Keys', unit: '', min: 1, max: 100_000, scale: 1, integer: true, help: 'Distinct accounts the messages are for' },
  { key: 'skew', label: 'Key skew', unit: '', min: 0, max: 4, scale: 1, integer: false, help: 'Zipf skew: 0 uniform; 1 the hottest of 8 keys gets 37%; 2 gets 65%' },
  { key: 'serviceMs', label: 'Service', unit: 'ms', min: 1, max: 60_000, scale: 1, integer: true, help: 'Mean time a worker spends on one message' },
  { key: 'serviceJitter', label: 'Jitter', unit: '%', min: 0, max: 95, scale: 100, integer: false, help: 'Spread of the service time around its mean' },
  { key: 'produceIntervalMs', label: 'Send every', unit: 'ms', min: 0, max: 60_000, scale: 1, integer: true, help: 'Gap between two messages the producer sends' },
];

/** The text a field shows for a value. */
export function shown(f: NumberField<string>, value: number): string {
  return String(Math.round(value * f.scale * 1000) / 1000);
}

/** The value typed text stands for, or why it does not fit. */
export function parseField(f: NumberField<string>, text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/[_,\s]/g, '');
  const n = Number(t);
  const range = `${f.min.toLocaleString('en-US')}–${f.max.toLocaleString('en-US')}${f.unit ? ` ${f.unit}` : ''}`;
  if (t === '' || !Number.isFinite(n)) return { ok: false, error: `${f.label}: enter a number (${range}).` };
  if (f.integer && !Number.isInteger(n)) return { ok: false, error: `${f.label}: enter a whole number (${range}).` };
  if (n < f.min || n > f.max) return { ok: false, error: `${f.label}: ${n} is out of range (${range}).` };
  return { ok: true, value: f.scale === 1 ? n : n / f.scale };
}

/** The fields whose typed text changes the current value: what an Apply sends. */
export function changedValues<K extends string>(fields: NumberField<K>[], drafts: Partial<Record<K, string>>, current: Record<K, number>): { values: Partial<Record<K, number>>; errors: string[] } {
  const values: Partial<Record<K, number>> = {};
  const errors: string[] = [];
  for (const f of fields) {
    const text = drafts[f.key];
    if (text === undefined) continue;
    const r = parseField(f, text);
    if (!r.ok) errors.push(r.error);
    else if (r.value !== current[f.key]) values[f.key] = r.value;
  }
  return { values, errors };
}

export const TTL_FIELD: NumberField<'ttlMs'> = { key: 'ttlMs', label: 'TTL', unit: 'ms', min: 1, max: 86_400_000, scale: 1, integer: true, help: 'How long a weak key blocks copies; how long a strong record keeps its result' };
export const LEASE_FIELD: NumberField<'leaseMs'> = { key: 'leaseMs', label: 'Lease', unit: 'ms', min: 1, max: 3_600_000, scale: 1, integer: true, help: 'How long an in-progress strong record is held before a retry may take over' };

export type WorkloadValues = Pick<LabSettings, WorkloadKey>;

/** A number an engine measured for an explanation, with how it was measured. */
export type EngineName = 'ring' | 'hashing' | 'hashtable' | 'keepalive' | 'pool' | 'idempotency' | 'txn';

export interface Measurement {
  /** Stable identifier, e.g. "moved-on-add-modulo". */
  id: string;
  /** What was measured, e.g. "keys moved when a 5th server joins (hash % n)". */
  label: string;
  value: number;
  /** The value as shown, e.g. "80.1%". */
  display: string;
  engine: EngineName;
  /** The run behind it, e.g. "100,000 generated keys, murmur3_32". */
  method: string;
}

export interface Measured {
  measurements: Measurement[];
  /** What could not be measured, and why (no engine for it yet, a parameter the code does not fix). */
  missing: string[];
}

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
export const count = (x: number): string => x.toLocaleString('en-US');
export const times = (x: number): string => `${x.toFixed(2)}×`;
export const millis = (x: number): string => (x >= 10_000 && x % 1000 === 0 ? `${x / 1000} s` : `${Math.round(x * 10) / 10} ms`);

export function find(m: Measured, id: string): Measurement | undefined {
  return m.measurements.find((x) => x.id === id);
}

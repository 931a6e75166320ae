/**
 * Reading a run to replay from a file (Replay Transaction… → from a file): a run spec as the history
 * part or an explorer counterexample holds it, or what `dsi txn run --json` printed. Only the fields
 * that make a run reproducible are read; they are checked like any untrusted input.
 */
import type { RunSpec } from '../../protocol/txn';
import { runSpecSchema } from '../../protocol/txn';
import { UserError } from '../core/model';

const FIELDS = ['protocol', 'participants', 'faults', 'variant', 'seed'] as const;

export function parseRunFile(text: string): RunSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`This file is not JSON (${(e as Error).message}). Pick a run saved from the history, an explorer counterexample, or the output of "dsi txn run --json".`);
  }
  // A counterexample (or a history entry) keeps the run under "run".
  const holder = typeof raw === 'object' && raw !== null && 'run' in raw ? (raw as { run: unknown }).run : raw;
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) throw new UserError('This file holds no run: expected an object with "protocol", "participants" and "faults".');
  const picked: Record<string, unknown> = {};
  for (const k of FIELDS) if (k in holder) picked[k] = (holder as Record<string, unknown>)[k];
  const r = runSpecSchema.parse(picked, 'run');
  if (!r.ok) throw new UserError(`This file does not describe a run that can be replayed: ${r.error}.`);
  return r.value;
}

/**
 * Runs of the idempotency engine's delivery simulation (an at-least-once broker, workers, a
 * check, a ledger) on its manual clock, for the idempotency and ordered-consumption explanations.
 */
import { DeliverySim, driveMemory, initialSimState, MemoryKeyspace } from '../../engines/idempotency';
import { defaultSettings, type LabSettings } from '../../protocol/idempotency';

export interface LabCounters {
  effects: number;
  duplicatesSlipped: number;
  duplicatesDropped: number;
  orderViolations: number;
  /** Messages settled without their effect ever running. */
  lost: number;
  produced: number;
}

export const LAB_SEED = 7;

export function labSettings(overrides: Partial<LabSettings>): LabSettings {
  return { ...defaultSettings(), ...overrides };
}

/** Sends `messages` payments through the lab with these settings and runs it until everything settles. */
export function runLab(settings: LabSettings, messages: number): LabCounters {
  const state = initialSimState(LAB_SEED, settings);
  const sim = new DeliverySim(state);
  sim.produce(messages, 'payment');
  driveMemory(sim.run(Infinity), new MemoryKeyspace({ now: () => state.now }));
  let lost = 0;
  for (const m of state.messages) if ((m.acked || m.dead) && m.executions === 0) lost++;
  const c = state.counters;
  return { effects: c.effects, duplicatesSlipped: c.duplicatesSlipped, duplicatesDropped: c.duplicatesDropped, orderViolations: c.orderViolations, lost, produced: messages };
}

/** Runs one order to the end for a test and reads what it did. */
import type { ProtocolName, RunSpec, VariantName } from '../../../extension/protocol/txn';
import { startRun, stepLabel, verdicts } from '../../../extension/engines/txn';
import type { Simulation, StepInfo } from '../../../extension/engines/txn';

export interface Finished {
  sim: Simulation;
  steps: StepInfo[];
  labels: string[];
  /** Invariant name → status ("holds", "violated", "n/a"). */
  status: Record<string, string>;
  violated: string[];
}

export function finish(sim: Simulation): Finished {
  const steps: StepInfo[] = [];
  sim.settle((i) => steps.push(i));
  const vs = verdicts(sim.state, sim.logic, sim.setup.flow, true, sim.stuck);
  return {
    sim, steps, labels: steps.map(stepLabel),
    status: Object.fromEntries(vs.map((v) => [v.name, v.status])),
    violated: vs.filter((v) => v.status === 'violated').map((v) => v.name),
  };
}

export function runOrder(protocol: ProtocolName, participants: number, faults: string[] = [], variant: VariantName = 'correct', seed = 1): Finished {
  const spec: RunSpec = { protocol, participants, faults, variant, seed };
  return finish(startRun(spec));
}

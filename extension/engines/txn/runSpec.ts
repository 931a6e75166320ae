/** From a run's spec (protocol, participants, faults, variant, seed) to a simulation, with clear errors. */
import type { RunSpec, VariantName } from '../../protocol/txn';
import { VARIANT_PROTOCOL } from '../../protocol/txn';
import { UserError } from '../core/model';
import { parseFaults } from './faults';
import { flowParticipants } from './participants';
import type { RunSetup } from './simulation';
import { Simulation } from './simulation';
import { faultVocabulary } from './protocols/shapes';

export const DEFAULT_SEED = 1;

/** The spec with every optional field filled in, as history and counterexamples record it. */
export function normalizeRun(run: RunSpec): RunSpec & { variant: VariantName; seed: number } {
  return { ...run, faults: [...run.faults], variant: run.variant ?? 'correct', seed: run.seed ?? DEFAULT_SEED };
}

export function checkVariant(protocol: RunSpec['protocol'], variant: VariantName): void {
  if (variant === 'correct') return;
  const owner = VARIANT_PROTOCOL[variant];
  if (owner !== protocol) throw new UserError(`The variant "${variant}" is a planted bug in ${owner}, not in ${protocol}. Pick --protocol ${owner}, or leave the variant out.`);
}

export function setupOf(run: RunSpec): RunSetup {
  const n = normalizeRun(run);
  checkVariant(n.protocol, n.variant);
  return { protocol: n.protocol, variant: n.variant, flow: flowParticipants(n.participants), seed: n.seed };
}

/** A fresh simulation of this run, its faults checked against the run's nodes and messages. */
export function startRun(run: RunSpec): Simulation {
  const setup = setupOf(run);
  return Simulation.create(setup, parseFaults(run.faults, faultVocabulary(setup.protocol, setup.flow)));
}

/**
 * Distributed transactions: an order flowing through two-phase commit, TCC, an orchestrated saga
 * or a transactional outbox, simulated step by step with faults injected anywhere, invariants
 * checked after every step, and an explorer that tries every crash and message-fault placement.
 */
export { TxnModel, txnFactory, TXN_KIND } from './model';
export { Simulation } from './simulation';
export type { RunSetup } from './simulation';
export { explore } from './explorer';
export type { ExploreOptions } from './explorer';
export { DEFAULT_DOWNTIME_MS, FAULT_GRAMMAR, formatFault, parseFault, parseFaults } from './faults';
export type { Fault } from './faults';
export { INVARIANT_INFO, verdicts } from './invariants';
export { normalizeRun, startRun } from './runSpec';
export { PROTOCOL_SHAPES, faultVocabulary } from './protocols/shapes';
export { parseRunFile } from './runFile';
export { flowParticipants, participantSpec } from './participants';
export { stepLabel } from './stepLabels';
export type { StepInfo } from './state';

/**
 * Explain Selection, the library half: recognise what a piece of code does (in TypeScript,
 * JavaScript, Java, Go or Python), explain each finding with numbers the engines measure, open the
 * matching inspector preloaded, and measure a selected hash function in a sandbox. Free of
 * `vscode`; the host, `dsi explain` and the tests all call these.
 */
export { CONCEPTS } from './finding';
export type {
  Concept, Finding, FindingOf, ParamsByConcept, Position, Range, Risk, Settings,
  ConnectionPoolParams, DistributedTransactionParams, HashFunctionParams, HashRingParams, HashTableParams,
  HttpKeepAliveParams, IdempotencyParams, ModuloShardingParams, OrderedConsumptionParams,
} from './finding';
export { LANGUAGES, isLanguage, languageFromId } from './language';
export type { Language } from './language';
export { DEFAULT_MIN_CONFIDENCE, recognise } from './recognition';
export type { RecogniseOptions } from './recognition';
export { explain } from './explanation';
export type { ExplainOptions, Explanation } from './explanation';
export type { Measurement } from './measure/measurement';
export { openRequestFor } from './openRequest';
export type { OpenRequest } from './openRequest';
export { measureSelectedHash, verdict } from './sandbox/userHashReport';
export type { UserHashReport } from './sandbox/userHashReport';
export { hashInSandbox, DEFAULT_LIMITS } from './sandbox/runInSandbox';
export type { SandboxLimits } from './sandbox/runInSandbox';
export { prepareUserFunction } from './sandbox/userFunction';
export type { PreparedFunction } from './sandbox/userFunction';
export type { DistributionReport } from './distribution/report';

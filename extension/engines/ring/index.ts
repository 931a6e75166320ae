/**
 * The Hash Ring engine: placement schemes behind one interface (Router), the key sets they route,
 * movement and balance reports, the scheme comparison, and the inspector's model.
 */
export { Router } from './router';
export type { Scheme, SchemeOptions, KeyHashName } from './scheme';
export { DEFAULT_OPTIONS } from './scheme';
export { SCHEMES } from './schemes';
export type { SchemeInfo } from './schemes';
export type { ServerSpec, ServerInput } from './servers';
export { KeySet, generateKeys } from './keySet';
export type { KeyBatch } from './keySet';
export { balanceOf, idealFraction, movementReport } from './movement';
export type { Balance, Placement } from './movement';
export { compareSchemes } from './comparison';
export { jumpHash } from './jumpHash';
export { ketamaDigestCounts } from './ketama';
export { maglevTableSize } from './maglev';
export { md5Hex, md5KeyHash } from './md5';
export { RING_KIND, RingModel, ringFactory, ringStepSchema } from './model';
export type { RingStep } from './model';

/**
 * The Hash Table engine: string-keyed tables with separate chaining or open addressing (linear,
 * quadratic, double hashing, Robin Hood), all-at-once or Redis-style incremental rehashing, record
 * types with their own hash combines, seeded key generators, an integer-keyed typed-array table,
 * and the inspector's model.
 */
export { HashTable, MAX_OPEN_LOAD, checkSettings } from './hashTable';
export type { ResizeEvent, TableSettings, TableSnapshot } from './hashTable';
export { IntTable } from './intTable';
export { JAVA_FAMILY_BLOCKS, JAVA_FAMILY_SIZE, KeyGenerators, javaFamilyKey, zOrderRecord } from './keyGenerators';
export { HashTableModel, checkConfig, hashTableFactory } from './model';
export { ProbeSequence } from './probing';
export type { ProbeKind } from './probing';
export { OpRecorder } from './recorder';
export { combine, compareCombines, recordFields, recordHasher } from './recordHash';
export { isPrime, maxSize, reducer, sizeAtLeast } from './sizing';

/** The Idempotency & Ordering engine: stores, checks, the delivery simulation and its model. */
export type { BeginReply, CompleteReply, IdempotencyStore, RecordState, StoreEntry, StrongRecord } from './store';
export { MemoryKeyspace, MemoryStore } from './memoryStore';
export { RedisStore, RedisUnavailableError } from './redisStore';
export { describeRedisUrl, parseRedisUrl, withRedisPassword, type RedisTarget } from './redisUrl';
export {
  IdempotencyConflictError,
  LeaseLostError,
  executeOnce,
  fingerprint,
  idempotencyKey,
  storeKey,
  strongVerdict,
  weakVerdict,
  type ExecuteOnceOptions,
  type ExecuteOnceResult,
  type Verdict,
} from './checks';
export { kafkaMurmur2, kafkaPartition, toPositive } from './kafkaPartitioner';
export { activeWorkers, partitionOf } from './dispatch';
export { KeySkew, keyName } from './keySkew';
export { DeliverySim, initialSimState, type SimState } from './simulation';
export { driveLive, driveMemory, driveRecorded } from './drivers';
export { measureBurst, tradeoff } from './tradeoff';
export { IdempotencyModel, idempotencyFactory, stepSchema, type IdempotencyModelView, type IdempotencyStep } from './model';

/**
 * The Connection Pool engine: a pool (FIFO waiters, timeouts, keep-alive, validation, leak
 * detection) over two drivers behind one interface — the embedded simulated MySQL server and a
 * real MySQL/MariaDB through mysql2 — with presets that run on either.
 */
export { POOL_KIND, PoolModel, poolModelFactory, poolStepSchema } from './model';
export type { PoolStep } from './model';
export { Pool, Lease } from './pool';
export type { PoolInspection, PoolMetrics } from './pool';
export { checkPoolConfig, defaultPoolConfig, poolConfigSchema } from './poolConfig';
export type { PoolConfig } from './poolConfig';
export type { PoolEvent, EvictReason } from './poolEvents';
export { PRESETS, startPreset } from './presets';
export type { PresetRun } from './presets';
export { EmbeddedRuntime, MysqlRuntime } from './runtime';
export type { Runtime } from './runtime';
export { describeTarget, explainConnectError, parseMysqlUrl } from './mysqlSettings';
export type { MysqlSettings } from './mysqlSettings';
export type { Driver, DriverConnection, DriverError, ServerAdmin } from './driver';
export { SimServer, defaultSimServerSettings } from './simServer';

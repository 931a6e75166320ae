/** A pool on the embedded server with synchronous helpers: borrow, query, return, let time pass. */
import assert from 'node:assert/strict';
import type { DriverError, QueryResult, Result } from '../../../extension/engines/pool/driver';
import { Pool, type Lease } from '../../../extension/engines/pool/pool';
import { defaultPoolConfig, type PoolConfig } from '../../../extension/engines/pool/poolConfig';
import type { PoolEvent } from '../../../extension/engines/pool/poolEvents';
import { EmbeddedRuntime } from '../../../extension/engines/pool/runtime';
import type { SimServerSettings } from '../../../extension/engines/pool/simServer';

export class PoolRig {
  readonly rt: EmbeddedRuntime;
  readonly pool: Pool;
  readonly events: PoolEvent[] = [];

  constructor(config: Partial<PoolConfig> = {}, server: Partial<SimServerSettings> = {}, seed = 1) {
    this.rt = new EmbeddedRuntime({ jitter: 0, ...server }, seed);
    const maxSize = config.maxSize ?? defaultPoolConfig.maxSize;
    this.pool = new Pool(this.rt.driver, this.rt.scheduler, { ...defaultPoolConfig, minIdle: 0, maxIdle: maxSize, ...config });
    this.pool.onEvent((e) => this.events.push(e));
  }

  get now(): number {
    return this.rt.scheduler.now();
  }

  /** Starts an acquire and returns a handle to its eventual result. */
  request(borrower = 'test'): { result?: Result<Lease> } {
    const h: { result?: Result<Lease> } = {};
    this.pool.acquire(borrower, (r) => { h.result = r; });
    return h;
  }

  /** Borrows and runs the simulation until the pool answers; fails the test on an error. */
  borrow(borrower = 'test'): Lease {
    const r = this.rt.settleSync<Result<Lease>>((d) => this.pool.acquire(borrower, d), 60_000);
    assert.ok(r, 'acquire never answered');
    if (!r.value.ok) assert.fail(`acquire failed: ${r.value.error.code} ${r.value.error.message}`);
    return r.value.value;
  }

  query(lease: Lease, sql = 'SELECT 1'): Result<QueryResult> {
    const r = this.rt.settleSync<Result<QueryResult>>((d) => lease.query(sql, d), 60_000);
    assert.ok(r, 'query never answered');
    return r.value;
  }

  /** Returns the lease, then lets the pool finish what returning set off (closing, handing over). */
  giveBack(lease: Lease): void {
    lease.release();
    this.rt.scheduler.advance(0);
  }

  advance(ms: number): void {
    this.rt.scheduler.advance(ms);
  }

  ofType<T extends PoolEvent['type']>(type: T): Extract<PoolEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<PoolEvent, { type: T }> => e.type === type);
  }

  serverThreads(): number[] {
    return this.rt.server.processList().map((p) => p.id);
  }
}

export function errorOf(r: Result<unknown> | undefined): DriverError {
  assert.ok(r && !r.ok, 'expected a failure');
  return (r as { error: DriverError }).error;
}

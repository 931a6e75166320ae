/**
 * Idempotency checks per second on each store, and the three dispatch modes' throughput.
 *
 * Checks: the weak check (one SET NX PX) and the strong check (begin + complete, two Lua calls on
 * Redis) on first deliveries, through the store interface, on the in-memory store and on a real
 * redis-server started for the run (64 checks in flight over one connection). Peers measured in the
 * same run: bare ioredis `SET NX PX` with no wrapper, and the synchronous in-memory keyspace the
 * simulation uses.
 *
 * Dispatch: a burst of messages through single, round robin and key hash (Kafka's partitioner),
 * with 8 workers, for uniform and skewed keys: simulated throughput and per-key order violations;
 * and how fast the simulator itself runs the full lab (strong check, default faults).
 *
 *   npm run bench -- idempotency        (IDEM_BENCH_CHECKS, IDEM_BENCH_RUNS to change sizes)
 */
import Redis from 'ioredis';
import { ManualClock } from '../extension/engines/core/clock';
import { noRunContext } from '../extension/engines/core/model';
import { IdempotencyModel, MemoryStore, RedisStore, executeOnce, measureBurst, type IdempotencyStore } from '../extension/engines/idempotency';
import { DISPATCH_MODES, defaultSettings } from '../extension/protocol/idempotency';
import { startRedis } from '../test/services/redis';
import { median, printTable, ratio, timeMedian, timeMedianAsync } from './stats';

const CHECKS = Number(process.env['IDEM_BENCH_CHECKS'] ?? 20_000);
const RUNS = Number(process.env['IDEM_BENCH_RUNS'] ?? 5);
const IN_FLIGHT = 64;
const TTL_MS = 60_000;

let round = 0;
/** Runs `check(i)` for i < CHECKS, at most `inFlight` at a time. */
async function drive(inFlight: number, check: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < CHECKS) await check(next++); }));
}

const weak = (store: IdempotencyStore, inFlight: number) => async (): Promise<void> => {
  const p = `bench:${++round}:`;
  await drive(inFlight, (i) => store.setNx(`${p}m${i}`, '1', TTL_MS));
};
const strong = (store: IdempotencyStore, inFlight: number) => async (): Promise<void> => {
  const p = `bench:${++round}:`;
  await drive(inFlight, (i) => executeOnce(store, { key: `${p}m${i}`, payload: i, leaseMs: 5000, ttlMs: TTL_MS }, async () => 'ok'));
};

async function checks(): Promise<void> {
  const redis = await startRedis();
  const store = await RedisStore.connect(redis.url);
  const bare = new Redis(redis.port, '127.0.0.1', { protocol: 2, disableClientInfo: true });
  try {
    // A fresh in-memory store per run, so no run pays for the keys of the runs before it.
    const memory = (): MemoryStore => new MemoryStore(new ManualClock());
    const rate = (ms: number): number => (CHECKS / ms) * 1000;
    const memWeak = rate(await timeMedianAsync(RUNS, () => weak(memory(), 1)()));
    const memStrong = rate(await timeMedianAsync(RUNS, () => strong(memory(), 1)()));
    const keyspaceWeak = rate(timeMedian(RUNS, () => { const ks = memory().keyspace; for (let i = 0; i < CHECKS; i++) ks.setNx(`m${i}`, '1', TTL_MS); }));
    const redisWeak = rate(await timeMedianAsync(RUNS, weak(store, IN_FLIGHT)));
    const redisStrong = rate(await timeMedianAsync(RUNS, strong(store, IN_FLIGHT)));
    const bareWeak = rate(await timeMedianAsync(RUNS, async () => { const p = `bench:${++round}:`; await drive(IN_FLIGHT, (i) => bare.set(`${p}m${i}`, '1', 'PX', TTL_MS, 'NX')); }));
    console.log(`\nChecks per second on first deliveries (${CHECKS} checks, median of ${RUNS} runs; Redis: ${IN_FLIGHT} in flight, one connection)`);
    printTable([
      { store: 'in-memory (store interface)', weak: memWeak, strong: memStrong, 'strong ÷ weak': ratio(memStrong, memWeak) },
      { store: 'in-memory keyspace (sync, as the simulation)', weak: keyspaceWeak, strong: '–', 'strong ÷ weak': '–' },
      { store: 'Redis (RedisStore)', weak: redisWeak, strong: redisStrong, 'strong ÷ weak': ratio(redisStrong, redisWeak) },
      { store: 'Redis, bare ioredis SET NX PX (peer)', weak: bareWeak, strong: '–', 'strong ÷ weak': '–' },
    ]);
    console.log(`in-memory ÷ Redis: weak ${ratio(memWeak, redisWeak)}, strong ${ratio(memStrong, redisStrong)}; RedisStore weak ÷ bare ioredis: ${ratio(redisWeak, bareWeak)}`);
  } finally {
    bare.disconnect();
    await store.close();
    await redis.stop();
  }
}

function dispatch(): void {
  const messages = 2000;
  const workers = 8;
  const rows: Record<string, string | number>[] = [];
  for (const skew of [0, 1, 2]) {
    const single = measureBurst(defaultSettings(), 1, 'single', workers, skew, messages);
    for (const mode of DISPATCH_MODES) {
      const p = mode === 'single' ? single : measureBurst(defaultSettings(), 1, mode, workers, skew, messages);
      rows.push({ skew, dispatch: mode, 'msg/s (simulated)': p.throughput, '÷ single': ratio(p.throughput, single.throughput), 'order violations': p.violations, 'busiest worker': `${Math.round(p.busiestWorkerShare * 100)}%` });
    }
  }
  console.log(`\nDispatch: a burst of ${messages} messages, ${workers} workers, 8 keys, 10 ms ± 50% each, no faults (Kafka partitioner for keyhash)`);
  printTable(rows);
}

async function simulator(): Promise<void> {
  const messages = 20_000;
  const rows: Record<string, string | number>[] = [];
  const rates: number[] = [];
  for (const mode of DISPATCH_MODES) {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const m = new IdempotencyModel({ seed: r + 1, settings: { ...defaultSettings(), check: 'strong', dispatch: mode, workers: 8 } });
      const t0 = performance.now();
      await m.dispatch({ type: 'send', count: messages }, noRunContext);
      times.push(performance.now() - t0);
    }
    const rate = (messages / median(times)) * 1000;
    rates.push(rate);
    rows.push({ dispatch: mode, 'messages simulated / s': rate, '÷ single': ratio(rate, rates[0]!) });
  }
  console.log(`\nSimulator speed: the full lab (strong check, default faults, 8 workers), ${messages} messages, median of ${RUNS}`);
  printTable(rows);
}

async function main(): Promise<void> {
  await checks();
  dispatch();
  await simulator();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

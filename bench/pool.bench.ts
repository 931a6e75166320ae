/**
 * Connection pool on a real MariaDB (a throwaway server started here, as the contract tests do):
 * what keeping connections open buys. 4 clients run SELECT 1 back to back, QUERIES in all, in
 * four ways — opening a connection per query and through a pool of 4, each with the engine (the
 * `per-query` and `pooled` presets) and with mysql2 alone (createConnection per query;
 * mysql2.createPool) as the peer measured in the same run. Medians of RUNS runs; ratios pooled ÷
 * per-query. Then the embedded simulation: what a preset costs to run, and what seeking a session
 * of presets (a full replay) costs — the price of the model's replay-based timeline.
 *
 *   npm run bench -- pool          (POOL_BENCH_QUERIES, POOL_BENCH_RUNS to change sizes)
 */
import { createConnection, createPool, type Connection, type Pool as Mysql2Pool } from 'mysql2';
import { noRunContext } from '../extension/engines/core/model';
import { EmbeddedRuntime, MysqlRuntime, poolModelFactory, startPreset, type PoolModel } from '../extension/engines/pool';
import type { MysqlSettings } from '../extension/engines/pool';
import type { PresetName, PresetResult } from '../extension/protocol/pool';
import { startMariaDb } from '../test/services/mariadb';
import { median, printTable, ratio, timeMedian } from './stats';

const QUERIES = Number(process.env['POOL_BENCH_QUERIES'] ?? 2000);
const RUNS = Number(process.env['POOL_BENCH_RUNS'] ?? 5);
const CLIENTS = 4;

interface Sample { qps: number; p50: number; p99: number; connections: number }

async function engineRun(settings: MysqlSettings, password: string, preset: PresetName): Promise<Sample> {
  const { runtime } = await MysqlRuntime.open(settings, password);
  try {
    const run = startPreset(preset, runtime, { queries: QUERIES });
    const r = await runtime.settle<PresetResult>((d) => run.onFinished(d), 300_000, preset);
    await runtime.settle<void>((d) => run.pool.shutdown(d), 10_000, 'shutdown');
    if (r.failedQueries > 0) throw new Error(`${preset}: ${r.failedQueries} queries failed (${JSON.stringify(r.errorsByCode)})`);
    return { qps: r.throughputQps, p50: r.latencyMs.p50, p99: r.latencyMs.p99, connections: r.connectionsCreated };
  } finally {
    await runtime.close();
  }
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

/** CLIENTS loops of QUERIES / CLIENTS calls of `one`, timing each call. */
async function clients(one: () => Promise<void>): Promise<Omit<Sample, 'connections'>> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = 0; i < QUERIES / CLIENTS; i++) {
      const s = performance.now();
      await one();
      latencies.push(performance.now() - s);
    }
  }));
  const took = performance.now() - t0;
  return { qps: (QUERIES * 1000) / took, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const query = (c: Connection | Mysql2Pool): Promise<void> => new Promise((resolve, reject) => c.query('SELECT 1', (e) => (e ? reject(e) : resolve())));

async function mysql2PerQuery(settings: MysqlSettings, password: string): Promise<Sample> {
  const s = await clients(async () => {
    const c = createConnection({ ...settings, password });
    await query(c);
    await new Promise<void>((r) => c.end(() => r()));
  });
  return { ...s, connections: QUERIES };
}

async function mysql2Pooled(settings: MysqlSettings, password: string): Promise<Sample> {
  const pool = createPool({ ...settings, password, connectionLimit: CLIENTS, maxIdle: CLIENTS });
  try {
    return { ...(await clients(() => query(pool))), connections: CLIENTS };
  } finally {
    await new Promise<void>((r) => pool.end(() => r()));
  }
}

async function medianOf(run: () => Promise<Sample>): Promise<Sample> {
  await run();
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return {
    qps: median(samples.map((s) => s.qps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    connections: median(samples.map((s) => s.connections)),
  };
}

async function realServer(): Promise<void> {
  const db = await startMariaDb({ maxConnections: 100 });
  try {
    const settings: MysqlSettings = { host: db.host, port: db.port, user: db.user, database: db.database };
    console.log(`MariaDB on 127.0.0.1:${db.port}; ${CLIENTS} clients, ${QUERIES} × SELECT 1 per run, median of ${RUNS} runs`);
    const rows: { how: string; perQuery: Sample; pooled: Sample }[] = [
      { how: 'engine (presets per-query / pooled)', perQuery: await medianOf(() => engineRun(settings, db.password, 'per-query')), pooled: await medianOf(() => engineRun(settings, db.password, 'pooled')) },
      { how: 'mysql2 alone (createConnection / createPool)', perQuery: await medianOf(() => mysql2PerQuery(settings, db.password)), pooled: await medianOf(() => mysql2Pooled(settings, db.password)) },
    ];
    printTable(rows.flatMap((r) => [
      { client: r.how, mode: 'connect per query', 'queries/s': r.perQuery.qps, 'p50 ms': r.perQuery.p50, 'p99 ms': r.perQuery.p99, connections: r.perQuery.connections },
      { client: '', mode: 'pool of 4', 'queries/s': r.pooled.qps, 'p50 ms': r.pooled.p50, 'p99 ms': r.pooled.p99, connections: r.pooled.connections },
    ]));
    console.log('');
    printTable(rows.map((r) => ({ client: r.how, 'pooled ÷ per-query (queries/s)': ratio(r.pooled.qps, r.perQuery.qps), 'per-query ÷ pooled (p50)': ratio(r.perQuery.p50, r.pooled.p50) })));
    const [engine, peer] = rows as [typeof rows[0], typeof rows[0]];
    console.log(`engine ÷ mysql2 alone, queries/s: per-query ${ratio(engine.perQuery.qps, peer.perQuery.qps)}, pooled ${ratio(engine.pooled.qps, peer.pooled.qps)}`);
  } finally {
    await db.stop();
  }
}

async function embedded(): Promise<void> {
  console.log(`\nEmbedded simulation (virtual clock), median of ${RUNS} runs`);
  const presets: PresetName[] = ['per-query', 'pooled', 'stale', 'exhaustion', 'leak'];
  const rows = presets.map((name) => {
    let sim: PresetResult | undefined;
    const ms = timeMedian(RUNS, () => {
      const rt = new EmbeddedRuntime({}, 1);
      const run = startPreset(name, rt);
      sim = rt.settleSync<PresetResult>((d) => run.onFinished(d), 3_600_000)?.value;
    });
    return { preset: name, 'wall ms': ms, 'simulated ms': sim!.durationMs, 'simulated queries/s': sim!.throughputQps };
  });
  printTable(rows);
  const simPooled = rows.find((r) => r.preset === 'pooled')!['simulated queries/s'];
  const simPerQuery = rows.find((r) => r.preset === 'per-query')!['simulated queries/s'];
  console.log(`simulated pooled ÷ per-query (queries/s): ${ratio(simPooled, simPerQuery)}`);

  const m = poolModelFactory.create(poolModelFactory.defaults()) as PoolModel;
  const session: PresetName[] = ['per-query', 'pooled', 'stale', 'stale-keepalive', 'stale-validate', 'exhaustion', 'leak'];
  for (let i = 0; i < 3; i++) for (const preset of session) await m.dispatch({ type: 'runPreset', preset }, noRunContext);
  const steps = m.timeline.length;
  const seekMs = timeMedian(RUNS, () => { m.seek(0); m.seek(steps); });
  console.log(`seek 0 → ${steps} over ${steps} preset steps (a full replay): ${seekMs.toFixed(1)} ms`);
}

async function main(): Promise<void> {
  await realServer();
  await embedded();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

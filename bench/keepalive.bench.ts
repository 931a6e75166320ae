/**
 * HTTP keep-alive on loopback: what reusing the connection buys. For each client library (node:http
 * Agent, undici Pool) and each workload (sequential, 16 in flight), the engine's real experiment
 * runs with keep-alive and without (Connection: close), several times; medians of requests per
 * second and p50/p99 latency are printed with keep-alive ÷ without ratios. A bare http.Agent loop
 * with no instrumentation runs beside them, to show what the engine's recording costs.
 *
 *   npm run bench -- keepalive          (KEEPALIVE_BENCH_REQUESTS, KEEPALIVE_BENCH_RUNS to change sizes)
 */
import { Agent, createServer, request } from 'node:http';
import { presetSettings, runExperiment } from '../extension/engines/keepalive';
import type { KeepAliveEvent } from '../extension/engines/keepalive';
import { applyEvent, countersOf, initialState } from '../extension/engines/keepalive/state';
import { latencyPercentiles } from '../extension/engines/keepalive/latency';
import type { ClientKind, KeepAliveSettings } from '../extension/protocol/keepalive';
import { median, printTable, ratio } from './stats';

const REQUESTS = Number(process.env['KEEPALIVE_BENCH_REQUESTS'] ?? 500);
const RUNS = Number(process.env['KEEPALIVE_BENCH_RUNS'] ?? 5);
const IN_FLIGHT = 16;

interface Sample { rps: number; p50: number; p99: number; sockets: number }

function settings(client: ClientKind, keepAlive: boolean, concurrent: boolean): KeepAliveSettings {
  const s = presetSettings('keepalive', client);
  s.client.keepAlive = keepAlive;
  s.client.maxSockets = concurrent ? IN_FLIGHT : 1;
  s.client.maxFreeSockets = s.client.maxSockets;
  s.workload = { ...s.workload, requests: REQUESTS, pattern: concurrent ? 'concurrent' : 'sequential', concurrency: concurrent ? IN_FLIGHT : 1 };
  return s;
}

async function engineRun(s: KeepAliveSettings): Promise<Sample> {
  const state = initialState(s);
  applyEvent(state, { e: 'run', run: 1, preset: 'custom', settings: s });
  await runExperiment(s, { emit: (e: KeepAliveEvent) => applyEvent(state, e), cancelled: () => false, progress() {} });
  const c = countersOf(state.current);
  if (c.failed > 0) throw new Error(`benchmark run had failures: ${JSON.stringify(c.errorsByCode)}`);
  return { rps: c.requestsPerSecond, p50: c.latencyMs.p50, p99: c.latencyMs.p99, sockets: c.socketsOpened };
}

/** The same sequential keep-alive loop with a plain Agent and no recording at all. */
async function bareRun(): Promise<Sample> {
  const server = createServer((req, res) => { req.resume(); res.end('ok\n'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => { res.resume(); res.on('end', resolve); });
      r.on('error', reject);
      r.end();
    });
    latencies.push(performance.now() - start);
  }
  const took = performance.now() - t0;
  agent.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  const p = latencyPercentiles(latencies);
  return { rps: (REQUESTS * 1000) / took, p50: p.p50, p99: p.p99, sockets: 1 };
}

async function medianOf(run: () => Promise<Sample>): Promise<Sample> {
  await run();
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    samples.push(await run());
  }
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    sockets: median(samples.map((s) => s.sockets)),
  };
}

async function main(): Promise<void> {
  console.log(`${REQUESTS} requests per run, median of ${RUNS} runs after a warm-up; loopback, Node ${process.version}`);
  const rows: Record<string, string | number>[] = [];
  const ratios: Record<string, string | number>[] = [];
  for (const concurrent of [false, true]) {
    for (const client of ['node', 'undici'] as const) {
      const workload = concurrent ? `${IN_FLIGHT} in flight` : 'sequential';
      const ka = await medianOf(() => engineRun(settings(client, true, concurrent)));
      const close = await medianOf(() => engineRun(settings(client, false, concurrent)));
      for (const [mode, s] of [['keep-alive', ka], ['no keep-alive', close]] as const) {
        rows.push({ client, workload, mode, 'req/s': Math.round(s.rps), 'p50 ms': s.p50, 'p99 ms': s.p99, sockets: s.sockets });
      }
      ratios.push({
        client,
        workload,
        'req/s keep-alive ÷ without': ratio(ka.rps, close.rps),
        'p50 without ÷ keep-alive': ratio(close.p50, ka.p50),
        'p99 without ÷ keep-alive': ratio(close.p99, ka.p99),
      });
    }
  }
  const bare = await medianOf(bareRun);
  const engineSequentialNode = rows.find((r) => r['client'] === 'node' && r['workload'] === 'sequential' && r['mode'] === 'keep-alive')!;
  rows.push({ client: 'node (bare Agent)', workload: 'sequential', mode: 'keep-alive', 'req/s': Math.round(bare.rps), 'p50 ms': bare.p50, 'p99 ms': bare.p99, sockets: 1 });
  printTable(rows);
  console.log('');
  printTable(ratios);
  console.log(`\nrecording cost: bare Agent ÷ engine (node, sequential, keep-alive) req/s = ${ratio(bare.rps, Number(engineSequentialNode['req/s']))}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

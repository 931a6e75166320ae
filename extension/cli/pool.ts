/**
 * `dsi pool`: runs one connection-pool preset on the embedded simulated server (virtual time,
 * instant and deterministic) or on a real MySQL/MariaDB (real time) and prints its counters.
 * Ctrl-C shuts the pool down; every connection is closed on the server before exiting.
 */
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';
import { EmbeddedRuntime, MysqlRuntime, PRESETS, parseMysqlUrl, startPreset, type Runtime } from '../engines/pool';
import { POOL_LIMITS, PRESET_NAMES, type PresetResult } from '../protocol/pool';

const presetLines = PRESET_NAMES.map((n) => `  ${n.padEnd(16)}${PRESETS[n].shows}`).join('\n');

const usage = `Usage: dsi pool --preset <${PRESET_NAMES.join('|')}>
                [--driver <embedded|mysql>] [--url mysql://user@host:port/db] [--queries N] [--seed N] [--json]

Runs a connection-pool preset. The embedded driver (default) is a simulated MySQL server on a
virtual clock: a run takes milliseconds and the same seed gives the same numbers. The mysql driver
runs it in real time against a real server through mysql2; the password comes from the URL or,
better, the DSI_MYSQL_PASSWORD environment variable. Presets change wait_timeout only for their
own sessions (SET SESSION), never the server's global setting.

Presets:
${presetLines}

Options:
  --driver D     embedded (default) or mysql
  --url U        mysql://user@host:port/database (required with --driver mysql)
  --queries N    total queries for per-query and pooled (4…${POOL_LIMITS.maxPresetQueries}; default 400)
  --seed N       embedded only: seeds the simulated costs' jitter (default 1)
  --json         print one JSON object instead of a report

JSON fields (times in ms; simulated ms on the embedded driver):
  preset, driver, target            what ran, and where (no password)
  clients                           concurrent clients in the busiest phase
  queries, failedQueries            queries issued, and those that failed
  errorsByCode                      failed queries and acquires by code, e.g. {"PROTOCOL_CONNECTION_LOST": 4}
  connectionsCreated/Destroyed      connections the pool opened / closed
  acquireTimeouts                   borrowers that gave up after acquireTimeoutMs (POOL_ACQUIRE_TIMEOUT)
  validationFailures                dead connections caught by validation on borrow
  keepalivePings                    keep-alive pings sent on idle connections
  leaksDetected, leakStack          connections held past leakThresholdMs; the first one's borrowing stack
  peakWaiting                       most borrowers queued at once
  durationMs, throughputQps         the workload's length, and queries per second
  latencyMs {p50,p99,max}           successful queries, from asking for a connection to the answer
  acquireWaitMs {p50,p99,max}       time spent waiting for a connection
  verdict                           one sentence: what happened and why
`;

async function openRuntime(driver: 'embedded' | 'mysql', url: string | undefined, seed: number): Promise<{ rt: Runtime; target: string }> {
  if (driver === 'embedded') {
    if (url !== undefined) throw new UsageError('--url is for --driver mysql; the embedded driver needs no server');
    return { rt: new EmbeddedRuntime({}, seed), target: 'embedded server' };
  }
  if (url === undefined) throw new UsageError('--driver mysql needs --url mysql://user@host:port/database');
  let parsed: ReturnType<typeof parseMysqlUrl>;
  try {
    parsed = parseMysqlUrl(url);
  } catch (e) {
    throw new UsageError(`--url: ${(e as Error).message}`);
  }
  const { settings, password } = parsed;
  const { runtime } = await MysqlRuntime.open(settings, password ?? process.env.DSI_MYSQL_PASSWORD ?? '');
  return { rt: runtime, target: runtime.driver.target };
}

export const poolCommand: CliCommand = {
  name: 'pool',
  summary: 'Connection-pool presets on the embedded MySQL simulation or a real server (stale connections, exhaustion, leaks)',
  usage,
  async run(argv) {
    const opts = new Options(parseArgs(argv, ['json']));
    const preset = opts.choice('preset', PRESET_NAMES);
    const driver = opts.choice('driver', ['embedded', 'mysql'] as const, 'embedded');
    const url = opts.optionalString('url');
    const queries = opts.has('queries') ? opts.int('queries', undefined, { min: 4, max: POOL_LIMITS.maxPresetQueries }) : undefined;
    const seed = opts.int('seed', 1, { min: 0, max: 0xffffffff });
    const json = opts.flag('json');
    opts.done();
    if (driver === 'mysql' && opts.has('seed')) throw new UsageError('--seed is for the embedded driver; a real server has its own timing');

    const { rt, target } = await openRuntime(driver, url, seed);
    const run = startPreset(preset, rt, queries === undefined ? {} : { queries });
    const onSigint = (): void => run.pool.shutdown(() => {});
    process.once('SIGINT', onSigint);
    let result: PresetResult;
    try {
      result = await rt.settle<PresetResult>((done) => run.onFinished(done), 15 * 60_000, `preset ${preset}`);
    } finally {
      process.off('SIGINT', onSigint);
      await rt.settle<void>((done) => run.pool.shutdown(done), 30_000, 'closing the pool');
      await rt.close();
    }
    const out = { ...result, target };
    if (json) printJson(out);
    else printReport(out);
    return 0;
  },
};

function printReport(r: PresetResult & { target: string }): void {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  const codes = Object.entries(r.errorsByCode).map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
  const lines = [
    `${PRESETS[r.preset].title} on ${r.target}: ${r.verdict}`,
    `  queries            ${r.queries} (${r.failedQueries} failed) by ${r.clients} clients in ${f(r.durationMs)} ms: ${f(r.throughputQps)} queries/s`,
    `  errors             ${codes}`,
    `  connections        ${r.connectionsCreated} opened, ${r.connectionsDestroyed} closed`,
    `  waiting            peak ${r.peakWaiting}, ${r.acquireTimeouts} acquire timeouts, wait p50 ${f(r.acquireWaitMs.p50)} p99 ${f(r.acquireWaitMs.p99)} ms`,
    `  latency            p50 ${f(r.latencyMs.p50)}  p99 ${f(r.latencyMs.p99)}  max ${f(r.latencyMs.max)} ms`,
    `  validation/pings   ${r.validationFailures} dead connections caught, ${r.keepalivePings} keep-alive pings`,
    `  leaks              ${r.leaksDetected}`,
    ...(r.leakStack ? ['  borrowed at', ...r.leakStack.split('\n').map((l) => `    ${l}`)] : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

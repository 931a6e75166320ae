/**
 * `dsi keepalive`: runs one keep-alive preset on real loopback sockets and prints its counters.
 * Ctrl-C cancels the run; it still closes every socket and the server before exiting.
 */
import { Options, parseArgs, printJson } from './args';
import type { CliCommand } from './command';
import { KeepAliveModel, presetSettings } from '../engines/keepalive';
import type { KeepAliveView } from '../protocol/keepalive';
import { CLIENT_KINDS, KEEPALIVE_LIMITS, PRESET_IDS } from '../protocol/keepalive';

const usage = `Usage: dsi keepalive --preset <${PRESET_IDS.join('|')}> [--requests N] [--client <${CLIENT_KINDS.join('|')}>] [--json]

Runs an HTTP keep-alive experiment: a real node:http server on 127.0.0.1 and a real client
(node:http Agent, or undici Pool) exchanging requests over loopback sockets.

Presets:
  no-keepalive  sequential requests, Connection: close: one socket per request
  keepalive     the same over one kept-alive socket
  queueing      64 requests, 32 at once, maxSockets 4, server delay 20 ms: requests wait for a socket
  race          server closes idle sockets (2 s + Node's 1 s buffer, no Keep-Alive hint) as the
                client reuses them: ECONNRESET / "socket hang up"
  race-fixed    the same with client idle timeout below the server's, the Keep-Alive: timeout=
                hint honoured, and idempotent requests retried once

Options:
  --requests N   requests to send (1…${KEEPALIVE_LIMITS.maxRequests}; default: the preset's)
  --client K     node (default) or undici
  --json         print one JSON object instead of a table

JSON fields (times in ms):
  preset, client, status           what ran; status is finished, cancelled or failed
  requests, succeeded, failed      requests issued, answered, and failed after any retry
  retries                          idempotent requests sent again after a reset on a reused socket
  socketsOpened                    TCP connections the client opened
  serverConnections                connections the server accepted (the wire's own count)
  reuseRatio                       attempts on an already used socket / all attempts (0…1)
  errorsByCode                     final failures by code, e.g. {"ECONNRESET": 3}
  attemptErrorsByCode              every failed attempt by code, retried ones included
  closesByCause                    socket closes by "side:reason", e.g. "server:server-idle-timeout"
  meanWaitMs                       mean time from issue to being written on a socket
  latencyMs {count,p50,p90,p99,mean,max}   successful requests, issue to response end
  durationMs, requestsPerSecond    the run's length and throughput
`;

export const keepaliveCommand: CliCommand = {
  name: 'keepalive',
  summary: 'HTTP keep-alive experiments on real loopback sockets (sockets, reuse, the idle-timeout race)',
  usage,
  async run(argv) {
    const opts = new Options(parseArgs(argv, ['json']));
    const preset = opts.choice('preset', PRESET_IDS);
    const client = opts.choice('client', CLIENT_KINDS, 'node');
    const requests = opts.has('requests') ? opts.int('requests', undefined, { min: 1, max: KEEPALIVE_LIMITS.maxRequests }) : undefined;
    const json = opts.flag('json');
    opts.done();

    const model = new KeepAliveModel(presetSettings(preset, client));
    let cancelled = false;
    const onSigint = (): void => { cancelled = true; };
    process.once('SIGINT', onSigint);
    try {
      await model.dispatch({ type: 'run', preset, client, ...(requests !== undefined ? { requests } : {}) }, {
        progress(fraction, message) {
          if (!json && process.stderr.isTTY) process.stderr.write(`\r${Math.round(fraction * 100)}% ${message ?? ''}   `);
        },
        get cancelled() { return cancelled; },
      });
    } finally {
      process.off('SIGINT', onSigint);
      await model.dispose();
      if (!json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    }
    const view: KeepAliveView = model.view();
    const out = { preset, client, status: view.run.status, ...view.counters };
    if (json) printJson(out);
    else printReport(out, view);
    if (view.run.status !== 'finished') {
      process.stderr.write(`dsi keepalive: the run ${view.run.status === 'cancelled' ? 'was cancelled' : 'failed'}${view.run.message ? ` (${view.run.message})` : ''}\n`);
      return 1;
    }
    return 0;
  },
};

function printReport(out: { preset: string; client: string } & KeepAliveView['counters'], view: KeepAliveView): void {
  const c = out;
  const byCode = (m: Record<string, number>): string => Object.entries(m).map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
  const lines = [
    `${out.preset} (${out.client}): ${c.requests} requests in ${c.durationMs.toFixed(0)} ms (${c.requestsPerSecond.toFixed(0)} req/s), ${view.run.status}`,
    `  sockets opened     ${c.socketsOpened} (server accepted ${c.serverConnections})`,
    `  reuse ratio        ${(c.reuseRatio * 100).toFixed(1)}%`,
    `  succeeded/failed   ${c.succeeded} / ${c.failed}   retries ${c.retries}`,
    `  errors             ${byCode(c.errorsByCode)}   (on the wire: ${byCode(c.attemptErrorsByCode)})`,
    `  latency            p50 ${c.latencyMs.p50.toFixed(3)}  p90 ${c.latencyMs.p90.toFixed(3)}  p99 ${c.latencyMs.p99.toFixed(3)}  max ${c.latencyMs.max.toFixed(3)} ms`,
    `  mean wait          ${c.meanWaitMs.toFixed(3)} ms`,
    `  closes             ${byCode(c.closesByCause)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** `dsi idem`: run the Idempotency & Ordering lab once and print its counters. */
import { noRunContext } from '../engines/core/model';
import { IdempotencyModel } from '../engines/idempotency';
import {
  CHECK_MODES,
  DISPATCH_MODES,
  MAX_SEND,
  MAX_WORKERS,
  PARTITIONERS,
  defaultSettings,
  type CountersPart,
  type LabSettings,
  type LedgerPart,
} from '../protocol/idempotency';
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';

const usage = `Usage:
  dsi idem --store memory|redis [--url redis://127.0.0.1:PORT] --check off|weak|strong
           --messages N --duplicates RATE --workers N --dispatch single|roundrobin|keyhash [--json]

Sends N payment messages through an at-least-once broker to a consumer with N worker threads and
an idempotency check, and prints what happened: deliveries, duplicates dropped and slipped through,
effects executed, per-key order violations, and the ledger's overcharge.

  --store S        memory (default; simulated time, runs instantly) or redis (a real Redis at
                   --url; runs in real time, since Redis expires keys on its own clock)
  --check C        off, weak (SET NX PX ttl) or strong (record with state and lease); default strong
  --messages N     messages to send (1 … ${MAX_SEND}); default 1000
  --duplicates R   chance the broker delivers an extra copy of a message (0 … 1); default 0.05
  --workers N      consumer threads (1 … ${MAX_WORKERS}); default 4
  --dispatch D     single, roundrobin, or keyhash (hash(key) % workers); default keyhash

More knobs (defaults as in the inspector):
  --partitioner P  hash for keyhash: ${PARTITIONERS.join(', ')}; default kafka (Kafka's murmur2)
  --keys K --skew X  distinct account keys and their Zipf skew (default 8 and 1)
  --ttl MS --lease MS  check window / record lifetime, and the strong check's lease (30000, 500)
  --service MS     mean processing time per message (10)
  --reorder R --ack-loss R --crash R   broker reordering, lost acks, worker crashes
  --seed S         random seed (1)
  --json           one JSON object instead of a table

Example: dsi idem --check weak --messages 5000 --duplicates 0.2 --workers 8 --dispatch roundrobin --json`;

function settingsFrom(o: Options): LabSettings {
  const d = defaultSettings();
  const rate = (name: string, fallback: number): number => o.number(name, fallback, { min: 0, max: 1 });
  return {
    ...d,
    check: o.choice('check', CHECK_MODES, 'strong'),
    workers: o.int('workers', d.workers, { min: 1, max: MAX_WORKERS }),
    dispatch: o.choice('dispatch', DISPATCH_MODES, d.dispatch),
    partitioner: o.choice('partitioner', PARTITIONERS, d.partitioner),
    keys: o.int('keys', d.keys, { min: 1, max: 100_000 }),
    skew: o.number('skew', d.skew, { min: 0, max: 4 }),
    ttlMs: o.int('ttl', d.ttlMs, { min: 1, max: 86_400_000 }),
    leaseMs: o.int('lease', d.leaseMs, { min: 1, max: 3_600_000 }),
    serviceMs: o.int('service', d.serviceMs, { min: 1, max: 60_000 }),
    faults: {
      ...d.faults,
      duplicateRate: rate('duplicates', d.faults.duplicateRate),
      reorderRate: rate('reorder', d.faults.reorderRate),
      ackLossRate: rate('ack-loss', d.faults.ackLossRate),
      crashRate: rate('crash', d.faults.crashRate),
    },
  };
}

/** Runs `dsi idem` with its output going to `out` (the command passes standard output). */
export async function runIdem(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const o = new Options(parseArgs(argv, ['json']));
  const store = o.choice('store', ['memory', 'redis'] as const, 'memory');
  const url = o.optionalString('url');
  if (store === 'redis' && url === undefined) throw new UsageError('--store redis needs --url redis://HOST:PORT');
  if (store === 'memory' && url !== undefined) throw new UsageError('--url applies to --store redis only');
  const settings = settingsFrom(o);
  const messages = o.int('messages', 1000, { min: 1, max: MAX_SEND });
  const seed = o.int('seed', 1, { min: 0, max: 0xffffffff });
  const json = o.flag('json');
  if (o.positional.length) throw new UsageError(`unexpected argument "${o.positional[0]}"`);
  o.done();

  const model = new IdempotencyModel({ seed, settings });
  const started = performance.now();
  try {
    if (url !== undefined) await model.dispatch({ type: 'useRedis', url }, noRunContext);
    await model.dispatch({ type: 'send', count: messages }, noRunContext);
  } finally {
    await model.dispose();
  }
  const view = model.view();
  const counters = view.counters as CountersPart;
  const ledger = (view.ledger as LedgerPart).totals;
  const report = {
    store,
    check: settings.check,
    dispatch: settings.dispatch,
    workers: settings.workers,
    messages,
    ...counters,
    overcharged: ledger.overcharged,
    doubleCharges: ledger.doubleCharges,
    simulatedMs: (view.lanes as { now: number }).now,
    wallMs: Math.round(performance.now() - started),
  };
  if (json) printJson(report, out);
  else {
    const rows: [string, number | string][] = [
      ['delivered', counters.delivered],
      ['duplicates delivered', counters.duplicatesDelivered],
      ['duplicates dropped', counters.duplicatesDropped],
      ['duplicates slipped through', counters.duplicatesSlipped],
      ['effects executed', counters.effects],
      ['order violations', `${counters.orderViolations} (${counters.violationsByDispatch} by dispatch, ${counters.violationsByBroker} by the broker)`],
      ['lost', counters.lost],
      ['overcharged', `${ledger.overcharged} in ${ledger.doubleCharges} double charges`],
    ];
    out.write(`${messages} messages · ${settings.check} check · ${settings.dispatch} × ${settings.workers} · ${store}\n`);
    for (const [k, v] of rows) out.write(`  ${k.padEnd(28)} ${v}\n`);
  }
  return 0;
}

export const idemCommand: CliCommand = {
  name: 'idem',
  summary: 'Run the idempotency & ordering lab once and print its counters',
  usage,
  run: (argv) => runIdem(argv, process.stdout),
};

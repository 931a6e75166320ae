/**
 * Multi-threaded consumers and per-key routing. Per-key: `hash(key) % workers` picks one queue per
 * worker, which keeps each key's messages in order. Shared: several workers (a thread pool, a
 * goroutine pool, Promise.all over a batch) take any message, which loses per-key order.
 * Partition: the broker's partitions are consumed concurrently, ordered within each.
 * Only code that consumes messages is considered: a thread pool for CPU work is not a consumer.
 * Risks: `order-lost-shared-queue`, `commit-before-processing`, `resize-moves-keys`, `hot-key`,
 * `order-per-partition-only`.
 */
import type { FindingOf, OrderedConsumptionParams, Risk } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalNumber } from '../syntax/evaluate';
import { contains, dotted, entry, type Expr, lastName, type Span, walk } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';
import { hashedModulos } from './hashedModulo';

const CONSUMER_NAMES = /consum|message|msg|record|poll|subscribe|eachMessage|eachBatch|onMessage|listener|deliver|kafka|rabbit|amqp|sqs|nats|pubsub|event|queue|topic|inbox|partition/i;
const POOL_FACTORIES = /^(newFixedThreadPool|newCachedThreadPool|newWorkStealingPool|newVirtualThreadPerTaskExecutor|ThreadPoolExecutor|ProcessPoolExecutor|Pool|pLimit|PQueue|newThreadPerTaskExecutor)$/;
const FRAMEWORK: Record<string, string> = { typescript: 'node.js', javascript: 'node.js', java: 'java.util.concurrent', go: 'goroutines', python: 'concurrent.futures' };

export const orderedConsumption: Recogniser = {
  concept: 'ordered-consumption',
  recognise(facts) {
    const out: FindingOf<'ordered-consumption'>[] = [];
    const consumer = facts.hasName(CONSUMER_NAMES) || facts.strings.some((s) => /topic|queue|group\.id/i.test(s.value));
    for (const m of hashedModulos(facts)) {
      if (m.role !== 'worker') continue;
      out.push(report(facts, m.span, consumer ? 0.9 : 0.75, { workers: m.n, routing: 'per-key', key: routingKey(facts, m.hash.at), framework: FRAMEWORK[facts.lang]! }));
    }
    if (!consumer) return out;
    const perKey = out.length > 0;
    for (const c of facts.calls) {
      const partition = partitionConcurrency(facts, c);
      if (partition) out.push(partition);
    }
    if (!perKey) {
      const shared = sharedPool(facts) ?? goroutinePool(facts) ?? promiseAll(facts);
      if (shared) out.push(shared);
    }
    return out;
  },
};

/** What is hashed: the arguments of `hash(key)`, or the receiver of `key.hashCode()`. */
function routingKey(facts: Facts, at: Expr): string | null {
  if (at.k !== 'call') return facts.text(at.span);
  if (at.args.length > 0) return at.args.map((a) => facts.text(a.value.span)).join(', ');
  return at.callee.k === 'member' ? facts.text(at.callee.object.span) : null;
}

function report(facts: Facts, span: Span, confidence: number, params: OrderedConsumptionParams): FindingOf<'ordered-consumption'> {
  const risks: Risk[] = [];
  if (params.routing === 'shared') {
    risks.push({
      id: 'order-lost-shared-queue',
      severity: 'warning',
      message: `${params.workers === null ? 'Any number of' : params.workers} workers take messages from one shared queue: two messages for the same key can run at once and finish in either order. Route by key (hash(key) % workers, one queue per worker) where order matters.`,
    });
    if (/enable[._]auto[._]commit\W+["']?true|ENABLE_AUTO_COMMIT_CONFIG\s*,\s*["']?true/i.test(facts.unit.text))
      risks.push({
        id: 'commit-before-processing',
        severity: 'warning',
        message: 'Offsets are committed automatically while the work runs on other threads: a crash loses messages that were committed but not yet processed. Commit after the work completes.',
      });
  }
  if (params.routing === 'per-key') {
    risks.push({
      id: 'resize-moves-keys',
      severity: 'info',
      message: 'Changing the number of workers sends most keys to a different worker while their earlier messages may still be queued on the old one: order can break during the change. Drain the queues before resizing.',
    });
    risks.push({
      id: 'hot-key',
      severity: 'info',
      message: 'All messages of one key run on one worker: a hot key caps throughput at one worker while the others idle.',
    });
  }
  if (params.routing === 'partition')
    risks.push({
      id: 'order-per-partition-only',
      severity: 'info',
      message: 'Order holds within a partition only: messages for one key stay ordered only if the producer sends them with that key (so they share a partition).',
    });
  return finding(facts, 'ordered-consumption', span, confidence, params, risks);
}

/** kafkajs partitionsConsumedConcurrently, Spring @KafkaListener(concurrency) and setConcurrency. */
function partitionConcurrency(facts: Facts, c: Call): FindingOf<'ordered-consumption'> | null {
  const name = lastName(c.callee) ?? '';
  if ((facts.lang === 'typescript' || facts.lang === 'javascript') && name === 'run' && c.args[0]?.value.k === 'record') {
    const rec = c.args[0].value;
    const n = entry(rec, 'partitionsConsumedConcurrently');
    if (!n) return null;
    return report(facts, c.span, 0.9, { workers: evalNumber(n, facts.scope), routing: 'partition', key: null, framework: 'kafkajs' });
  }
  if (facts.lang === 'java' && (name === '@KafkaListener' || name === 'setConcurrency')) {
    const arg = name === 'setConcurrency' ? c.args[0]?.value : c.args.find((a) => a.name === 'concurrency')?.value;
    if (!arg) return null;
    return report(facts, c.span, 0.85, { workers: evalNumber(arg, facts.scope), routing: 'partition', key: null, framework: 'spring-kafka' });
  }
  return null;
}

/** A thread pool created and fed with submit/execute/map, not through an indexed per-key lane. */
function sharedPool(facts: Facts): FindingOf<'ordered-consumption'> | null {
  for (const create of facts.calls) {
    const name = lastName(create.callee) ?? '';
    if (!POOL_FACTORIES.test(name)) continue;
    if (name === 'Pool' && !(facts.lang === 'python' && /multiprocessing|^Pool$/.test(dotted(create.callee) ?? ''))) continue;
    const owner = facts.assigns.find((a) => a.value === create || (a.value.k === 'call' && a.value.args.some((x) => x.value === create)));
    const poolName = owner ? dotted(owner.target) : null;
    const feeds = facts.calls.filter((c) => c.callee.k === 'member' && /^(submit|execute|map|apply_async|add|run|imap|imap_unordered|starmap)$/.test(c.callee.name) && poolName !== null && dotted(c.callee.object) === poolName);
    // p-limit: the pool is the function it returns; `limit(() => handle(m))`.
    const limitCalls = name === 'pLimit' && poolName ? facts.calls.filter((c) => c.callee.k === 'name' && c.callee.name === poolName) : [];
    const all = [...feeds, ...limitCalls];
    if (all.length === 0) continue;
    const workers = workerCount(facts, create, name);
    return report(facts, cover([create.span, ...all.map((c) => c.span)]), 0.85, { workers, routing: 'shared', key: null, framework: name === 'pLimit' || name === 'PQueue' ? name : FRAMEWORK[facts.lang]! });
  }
  return null;
}

function workerCount(facts: Facts, create: Call, name: string): number | null {
  if (name === 'PQueue') {
    const rec = create.args[0]?.value;
    return rec?.k === 'record' ? evalNumber(entry(rec, 'concurrency'), facts.scope) : null;
  }
  const named = create.args.find((a) => a.name === 'max_workers' || a.name === 'processes');
  if (named) return evalNumber(named.value, facts.scope);
  if (name === 'newCachedThreadPool') return null;
  return create.args[0] ? evalNumber(create.args[0].value, facts.scope) : null;
}

/** Go: `for i := 0; i < N; i++ { go worker(jobs) }`, N goroutines draining one channel. */
function goroutinePool(facts: Facts): FindingOf<'ordered-consumption'> | null {
  if (facts.lang !== 'go') return null;
  for (const top of facts.unit.exprs) {
    let spawn: Expr | null = null;
    walk(top, (x) => { if (!spawn && x.k === 'unary' && x.op === 'go') spawn = x; });
    if (!spawn || !facts.inLoop((spawn as Expr).span)) continue;
    const span = (spawn as Expr).span;
    const fn = facts.functionAt(span);
    const header = facts.unit.loops.filter((l) => l.start < span.start && (!fn || contains(fn.body, l))).pop();
    let workers: number | null = null;
    if (header) {
      const bound = facts.binaries.find((b) => b.op === '<' && b.span.start > header.start && b.span.end < span.start);
      if (bound) workers = evalNumber(bound.right, facts.scope);
    }
    return report(facts, header ? cover([header, span]) : span, 0.8, { workers, routing: 'shared', key: null, framework: 'goroutines' });
  }
  return null;
}

/** JS: `Promise.all(messages.map(handle))` processes a whole batch at once, in no order. */
function promiseAll(facts: Facts): FindingOf<'ordered-consumption'> | null {
  if (facts.lang !== 'typescript' && facts.lang !== 'javascript') return null;
  for (const c of facts.calls) {
    if (dotted(c.callee) !== 'Promise.all' && dotted(c.callee) !== 'Promise.allSettled') continue;
    const arg = c.args[0]?.value;
    if (arg?.k !== 'call' || lastName(arg.callee) !== 'map' || arg.callee.k !== 'member') continue;
    if (!CONSUMER_NAMES.test(facts.text(arg.callee.object.span))) continue;
    return report(facts, c.span, 0.8, { workers: null, routing: 'shared', key: null, framework: 'Promise.all' });
  }
  return null;
}

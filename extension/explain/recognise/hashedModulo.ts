/**
 * `hash(key) % n` in all its spellings, and what `n` counts. The same expression routes a key to a
 * shard, to a worker's queue or to a bucket; the divisor's name says which, so the three
 * recognisers that care (modulo sharding, ordered consumption, hash table) share this one reader.
 * A `%` whose left side computes no hash (`page % pageSize`, `counter++ % servers.length`) is not
 * hashing at all and is left alone.
 */
import type { Call, Facts } from '../syntax/facts';
import { evalList, evalNumber } from '../syntax/evaluate';
import { type Expr, lastName, type Span } from '../syntax/tree';
import { mentions } from './common';
import { hashIn, type HashUse } from './hashCalls';

export type ModuloRole = 'shard' | 'worker' | 'bucket' | 'unknown';

export interface HashedModulo {
  span: Span;
  /** The hashed side, e.g. `Math.abs(key.hashCode())`. */
  left: Expr;
  /** The divisor, e.g. `servers.size()`. */
  right: Expr;
  hash: HashUse;
  role: ModuloRole;
  /** The divisor's value when the selection fixes it. */
  n: number | null;
}

const WORKER_WORDS = new Set(['worker', 'thread', 'consumer', 'queue', 'executor', 'lane', 'partition', 'goroutine', 'chan', 'channel', 'inbox', 'mailbox', 'actor', 'processor', 'handler']);
const BUCKET_WORDS = new Set(['bucket', 'table', 'slot', 'capacity', 'cap', 'bin', 'size', 'entries']);
const SHARD_WORDS = new Set([
  'shard', 'server', 'node', 'host', 'instance', 'db', 'database', 'backend', 'cluster', 'member', 'peer', 'replica', 'pod',
  'machine', 'redis', 'cache', 'memcached', 'upstream', 'region', 'endpoint', 'target', 'broker', 'connection', 'pool', 'tenant',
]);

export function hashedModulos(facts: Facts): HashedModulo[] {
  const out: HashedModulo[] = [];
  const consider = (span: Span, left: Expr, right: Expr): void => {
    // Python's "user:%s" % uid formats a string; it divides nothing.
    if (left.k === 'str') return;
    const hash = hashIn(left, facts);
    if (!hash) return;
    out.push({ span, left, right, hash, role: roleOf(facts.text(right.span)), n: countOf(right, facts) });
  };
  for (const b of facts.binaries) if (b.op === '%') consider(b.span, b.left, b.right);
  for (const a of facts.assigns) if (a.op === '%=') consider(a.span, a.target, a.value);
  for (const c of facts.calls) if (isFloorMod(c)) consider(c.span, c.args[0]!.value, c.args[1]!.value);
  return out;
}

function isFloorMod(c: Call): boolean {
  return (lastName(c.callee) === 'floorMod' || lastName(c.callee) === 'remainderUnsigned') && c.args.length === 2;
}

function roleOf(divisor: string): ModuloRole {
  if (mentions(divisor, WORKER_WORDS)) return 'worker';
  if (mentions(divisor, SHARD_WORDS)) return 'shard';
  if (mentions(divisor, BUCKET_WORDS)) return 'bucket';
  return 'unknown';
}

/** How many things a divisor counts: a number, a constant, or the length of a literal list. */
export function countOf(e: Expr, facts: Facts): number | null {
  const n = evalNumber(e, facts.scope);
  if (n !== null) return n;
  // uint32(len(servers)), servers.length, servers.size(), len(self.nodes)
  let x = e;
  while (x.k === 'call' && x.args.length === 1 && /^(uint32|uint64|int|int32|int64|uint|long)$/.test(lastName(x.callee) ?? '')) x = x.args[0]!.value;
  let list: Expr | undefined;
  if (x.k === 'call' && lastName(x.callee) === 'len' && x.args.length === 1) list = x.args[0]!.value;
  else if (x.k === 'member' && (x.name === 'length' || x.name === 'size')) list = x.object;
  else if (x.k === 'call' && x.callee.k === 'member' && (x.callee.name === 'size' || x.callee.name === 'length' || x.callee.name === 'count') && x.args.length === 0) list = x.callee.object;
  if (!list) return null;
  const items = evalList(list, facts.scope);
  return items ? items.length : null;
}

/**
 * Modulo sharding: a key's shard is `hash(key) % n`. Cheap and even, but changing n remaps almost
 * every key. Risks: `modulo-resharding` (always), `abs-min-value` (Java's Math.abs of
 * Integer.MIN_VALUE stays negative), `negative-remainder` (a signed hash's `%` can be negative),
 * `python-hash-randomized` (str hashes differ between processes).
 */
import type { FindingOf, Risk } from '../finding';
import type { Facts } from '../syntax/facts';
import { type Expr, lastName, walk } from '../syntax/tree';
import { finding, type Recogniser } from './common';
import { type HashedModulo, hashedModulos } from './hashedModulo';

export const moduloSharding: Recogniser = {
  concept: 'modulo-sharding',
  recognise(facts) {
    return hashedModulos(facts)
      .filter((m) => m.role === 'shard' || m.role === 'unknown')
      .map((m) => shardFinding(facts, m));
  },
};

function shardFinding(facts: Facts, m: HashedModulo): FindingOf<'modulo-sharding'> {
  const confidence = m.role === 'shard' ? (m.hash.hash ? 0.95 : 0.85) : 0.6;
  return finding(facts, 'modulo-sharding', m.span, confidence, {
    n: m.n,
    nText: facts.text(m.right.span),
    hash: m.hash.hash,
    hashText: facts.excerpt(m.left.span, 80),
  }, shardingRisks(facts, m));
}

export function shardingRisks(facts: Facts, m: HashedModulo): Risk[] {
  const risks: Risk[] = [{
    id: 'modulo-resharding',
    severity: 'warning',
    message: `Changing the number of shards${m.n ? ` from ${m.n}` : ''} sends most keys to a different shard at once (caches go cold, data must move). A consistent-hash ring or jump hash moves only the share the new shard should own.`,
  }];
  const absOfHashCode = findCall(m.left, 'abs', (arg) => findCall(arg, 'hashCode') !== null);
  if (facts.lang === 'java' && absOfHashCode)
    risks.push({
      id: 'abs-min-value',
      severity: 'error',
      message: 'Math.abs(x.hashCode()) is negative when the hash is Integer.MIN_VALUE (the key "polygenelubricants" hashes to it), so `% n` yields a negative index. Use Math.floorMod(hash, n) or (hash & 0x7fffffff) % n.',
    });
  else if ((facts.lang === 'java' || facts.lang === 'typescript' || facts.lang === 'javascript') && m.hash.hash === 'java' && !masked(m.left))
    risks.push({
      id: 'negative-remainder',
      severity: 'error',
      message: 'hashCode() is a signed int and `%` keeps the sign, so about half the keys get a negative shard index. Use Math.floorMod(hash, n).',
    });
  if (m.hash.hash === 'python-hash')
    risks.push({
      id: 'python-hash-randomized',
      severity: 'error',
      message: "Python's hash() of a str or bytes is salted per process (PYTHONHASHSEED), so two processes send the same key to different shards. Use a stable hash such as zlib.crc32(key.encode()) or hashlib.",
    });
  return risks;
}

function findCall(e: Expr, name: string, argTest?: (arg: Expr) => boolean): Expr | null {
  let found: Expr | null = null;
  walk(e, (x) => {
    if (!found && x.k === 'call' && lastName(x.callee) === name && (!argTest || x.args.some((a) => argTest(a.value)))) found = x;
  });
  return found;
}

/** `h & 0x7fffffff` or Math.floorMod: the sign is handled. */
function masked(e: Expr): boolean {
  let ok = false;
  walk(e, (x) => {
    if (x.k === 'binary' && (x.op === '&' || x.op === '>>>')) ok = true;
    if (x.k === 'call' && /^(floorMod|toPositive|abs)$/.test(lastName(x.callee) ?? '')) ok = true;
  });
  return ok;
}

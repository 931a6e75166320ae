/**
 * Consistent hashing: ring libraries (`hashring` with ketama points, `consistent-hash`,
 * `uhashring`, groupcache's `consistenthash`, serialx `hashring`), Guava's and hand-written jump
 * hash, rendezvous hashing, and hand-written rings (a sorted structure of server points, virtual
 * nodes added in a loop, a clockwise successor lookup).
 * Risks: `few-vnodes`, `no-vnodes`, `random-ring-points`, `missing-wraparound`.
 */
import type { FindingOf, HashRingParams, Risk } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalList, evalNumber } from '../syntax/evaluate';
import { contains, dotted, entry, type Expr, lastName, type Span, walk } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';
import { hashIn } from './hashCalls';

/** Points per server each library places when not told otherwise. */
const DEFAULT_VNODES: Record<string, number> = { hashring: 40, 'consistent-hash': 40, uhashring: 160, groupcache: 1, 'serialx/hashring': 40 };
const LOOKUP_CALLS = /^(tailMap|ceilingKey|ceilingEntry|higherKey|higherEntry|bisect|bisect_left|bisect_right|Search|SearchInts|binarySearch|lowerBound|upper_bound|lower_bound)$/;
const INSERT_CALLS = /^(put|insort|insort_left|insort_right|append|push|set|add|Add|Put|ReplaceOrInsert)$/;
const VNODE_NAMES = /vnode|virtual|replica|points|numberOfReplicas|weight/i;
const JUMP_CONSTANT = 2862933555777941757;

export const hashRing: Recogniser = {
  concept: 'hash-ring',
  recognise(facts) {
    const out: FindingOf<'hash-ring'>[] = [];
    const claimed: Span[] = [];
    for (const c of facts.calls) {
      const f = libraryRing(facts, c);
      if (f) { out.push(f.finding); claimed.push(f.span); }
    }
    for (const f of jumpAndRendezvous(facts)) out.push(f);
    const hand = handWrittenRing(facts);
    if (hand && !claimed.some((s) => contains(s, hand.span))) out.push(hand.finding);
    return out;
  },
};

function ringParams(library: string, scheme: HashRingParams['scheme'], servers: string[] | null, vnodes: number | null, hash: string | null, serverCount?: number | null): HashRingParams {
  return { library, scheme, servers, serverCount: serverCount ?? servers?.length ?? null, vnodes, hash };
}

function vnodeRisks(vnodes: number | null, library: string): Risk[] {
  if (vnodes === null) return [];
  if (vnodes <= 1)
    return [{
      id: 'no-vnodes',
      severity: 'warning',
      message: `Each server has a single point on the ring${library === 'groupcache' ? ' (replicas = 1)' : ''}: the arcs between points differ wildly, so some servers own several times their share of keys.`,
    }];
  if (vnodes < 100)
    return [{
      id: 'few-vnodes',
      severity: 'info',
      message: `${vnodes} points per server leave a visible imbalance between servers; 100–200 points per server even it out at little memory cost.`,
    }];
  return [];
}

/** Server names from a list, or an object keyed by server (hashring's weights form). */
function serversOf(e: Expr | undefined, facts: Facts): string[] | null {
  if (!e) return null;
  const list = evalList(e, facts.scope);
  if (list) return list.map((x) => (x.k === 'str' ? x.value : facts.text(x.span)));
  if (e.k === 'str') return [e.value];
  if (e.k === 'record') return e.entries.filter((x) => x.key !== undefined).map((x) => x.key!);
  if (e.k === 'name') { const v = facts.scope.lookup(e); if (v && v !== e) return serversOf(v, facts); }
  return null;
}

function libraryRing(facts: Facts, c: Call): { finding: FindingOf<'hash-ring'>; span: Span } | null {
  const name = lastName(c.callee) ?? '';
  const path = dotted(c.callee) ?? name;
  if (facts.lang === 'typescript' || facts.lang === 'javascript') {
    if (c.isNew && name === 'HashRing') {
      const serversArg = c.args[0]?.value;
      const servers = serversOf(serversArg, facts);
      const options = c.args[2]?.value;
      let vnodes = options?.k === 'record' ? evalNumber(entry(options, 'vnode count'), facts.scope) : null;
      if (serversArg?.k === 'record') {
        const perServer = serversArg.entries.map((x) => (x.value.k === 'record' ? evalNumber(entry(x.value, 'vnodes'), facts.scope) : null)).filter((v): v is number => v !== null);
        if (perServer.length > 0) vnodes = Math.min(...perServer);
      }
      vnodes ??= DEFAULT_VNODES.hashring!;
      const algo = c.args[1]?.value;
      const hash = algo?.k === 'str' ? algo.value : 'md5';
      // hashring makes four ketama points per "vnode": 40 vnodes are 160 points on the ring.
      return { finding: finding(facts, 'hash-ring', c.span, 0.95, ringParams('hashring', 'ketama', servers, vnodes, hash), vnodeRisks(vnodes * 4, 'hashring')), span: c.span };
    }
    if (c.isNew && name === 'ConsistentHash') {
      const options = c.args[0]?.value;
      const vnodes = (options?.k === 'record' ? evalNumber(entry(options, 'weight') ?? entry(options, 'controlPoints'), facts.scope) : null) ?? DEFAULT_VNODES['consistent-hash']!;
      const servers = addedServers(facts, c);
      return {
        finding: finding(facts, 'hash-ring', c.span, 0.9, ringParams('consistent-hash', 'ring', servers, vnodes, null), [
          ...vnodeRisks(vnodes, 'consistent-hash'),
          {
            id: 'random-ring-points',
            severity: 'error',
            message: 'The consistent-hash package places each node\'s control points with Math.random(): two processes (or a restart) build different rings and route the same key to different nodes.',
          },
        ]),
        span: c.span,
      };
    }
  }
  if (facts.lang === 'python' && name === 'HashRing') {
    const servers = serversOf(c.args.find((a) => a.name === 'nodes')?.value ?? c.args[0]?.value, facts);
    const vnodes = evalNumber(c.args.find((a) => a.name === 'vnodes' || a.name === 'replicas')?.value, facts.scope) ?? DEFAULT_VNODES.uhashring!;
    return { finding: finding(facts, 'hash-ring', c.span, 0.9, ringParams('uhashring', 'ketama', servers, vnodes, 'md5'), vnodeRisks(vnodes, 'uhashring')), span: c.span };
  }
  if (facts.lang === 'go' && path === 'consistenthash.New') {
    const vnodes = evalNumber(c.args[0]?.value, facts.scope);
    const servers = addedServers(facts, c);
    const hashArg = c.args[1]?.value;
    const hash = hashArg && hashArg.k !== 'null' ? hashIn(hashArg, facts)?.hash ?? facts.text(hashArg.span) : 'crc32';
    return { finding: finding(facts, 'hash-ring', c.span, 0.95, ringParams('groupcache', 'ring', servers, vnodes, hash), vnodeRisks(vnodes, 'groupcache')), span: c.span };
  }
  if (facts.lang === 'go' && (path === 'hashring.New' || path === 'hashring.NewWithWeights')) {
    const servers = serversOf(c.args[0]?.value, facts);
    return { finding: finding(facts, 'hash-ring', c.span, 0.9, ringParams('serialx/hashring', 'ketama', servers, 40, 'md5'), []), span: c.span };
  }
  if (facts.lang === 'java' && name === 'consistentHash' && /Hashing/.test(path)) {
    const buckets = evalNumber(c.args[1]?.value, facts.scope);
    return { finding: finding(facts, 'hash-ring', c.span, 0.95, ringParams('guava', 'jump', null, null, null, buckets), []), span: c.span };
  }
  return null;
}

/** Servers passed to `.add(…)`/`.Add(…)` on the variable the ring was assigned to. */
function addedServers(facts: Facts, ctor: Call): string[] | null {
  const owner = facts.assigns.find((a) => a.value === ctor);
  const ringName = owner ? dotted(owner.target) : null;
  if (!ringName) return null;
  const servers: string[] = [];
  for (const c of facts.calls) {
    if (c.callee.k !== 'member' || !/^(add|Add)$/.test(c.callee.name) || dotted(c.callee.object) !== ringName) continue;
    for (const a of c.args) {
      if (a.value.k === 'str') servers.push(a.value.value);
      else if (a.value.k === 'unary' && a.value.op === '...') servers.push(...(serversOf(a.value.operand, facts) ?? []));
    }
  }
  return servers.length > 0 ? servers : null;
}

function jumpAndRendezvous(facts: Facts): FindingOf<'hash-ring'>[] {
  const out: FindingOf<'hash-ring'>[] = [];
  for (const fn of facts.unit.functions) {
    let jump = false;
    for (const e of facts.exprsIn(fn.body)) walk(e, (x) => { if (x.k === 'num' && Math.abs(x.value - JUMP_CONSTANT) < 1e4) jump = true; });
    if (jump) out.push(finding(facts, 'hash-ring', fn.span, 0.95, ringParams('hand-written', 'jump', null, null, null), []));
    else if (/rendezvous|hrw|highestRandomWeight/i.test(fn.name ?? '') && facts.hasLoopIn(fn.body))
      out.push(finding(facts, 'hash-ring', fn.span, 0.85, ringParams('hand-written', 'rendezvous', null, null, null), []));
  }
  return out;
}

/**
 * A hand-written ring needs a clockwise lookup (tailMap, bisect, sort.Search, binary search) over
 * hashed server points; virtual nodes show as a loop that inserts several hashes per server.
 */
function handWrittenRing(facts: Facts): { finding: FindingOf<'hash-ring'>; span: Span } | null {
  const lookups = facts.calls.filter((c) => LOOKUP_CALLS.test(lastName(c.callee) ?? ''));
  if (lookups.length === 0) return null;
  const hashedInserts = facts.calls.filter((c) => INSERT_CALLS.test(lastName(c.callee) ?? '') && c.args.some((a) => hashIn(a.value, facts) !== null));
  const ringy = facts.hasName(/ring|circle|continuum/i) || facts.unit.classes.some((c) => /ring|consistent/i.test(c.name));
  if (hashedInserts.length === 0 && !ringy) return null;
  const vnodeLoop = hashedInserts.some((c) => facts.inLoop(c.span) && loopOverReplicas(facts, c.span));
  const vnodes = vnodeCount(facts);
  const spans = [...lookups.map((c) => c.span), ...hashedInserts.map((c) => c.span)];
  const cls = facts.classAt(spans[0]!);
  const area = cls && spans.every((s) => contains(cls.span, s)) ? cls.span : cover(spans);
  const hash = hashedInserts.map((c) => c.args.map((a) => hashIn(a.value, facts)?.hash).find((h) => h)).find((h) => h) ?? null;
  const risks: Risk[] = [];
  if (vnodeLoop || vnodes !== null) risks.push(...vnodeRisks(vnodes, 'hand-written'));
  else if (hashedInserts.length > 0) risks.push(...vnodeRisks(1, 'hand-written'));
  if (lookups.some((c) => lastName(c.callee) === 'tailMap') && !facts.calls.some((c) => /^(firstKey|firstEntry)$/.test(lastName(c.callee) ?? '')))
    risks.push({
      id: 'missing-wraparound',
      severity: 'error',
      message: 'A key hashed past the last point must wrap around to the first server; without a firstKey() fallback the lookup finds nothing for those keys.',
    });
  const confidence = hashedInserts.length > 0 && ringy ? 0.9 : 0.7;
  return { finding: finding(facts, 'hash-ring', area, confidence, ringParams('hand-written', 'ring', null, vnodeLoop || vnodes !== null ? vnodes : 1, hash), risks), span: area };
}

function loopOverReplicas(facts: Facts, at: Span): boolean {
  const fn = facts.functionAt(at);
  const text = facts.text(fn ? fn.body : at);
  return VNODE_NAMES.test(text) || /\bi\b|\bj\b/.test(text);
}

/** The number of virtual nodes: a named constant, or a literal loop bound next to the insert. */
function vnodeCount(facts: Facts): number | null {
  for (const a of facts.assigns) {
    const name = lastName(a.target) ?? '';
    if (!VNODE_NAMES.test(name) || (a.op !== '=' && a.op !== ':=')) continue;
    const n = evalNumber(a.value, facts.scope);
    if (n !== null && n >= 1 && n <= 100_000) return n;
  }
  for (const b of facts.binaries) {
    if ((b.op === '<' || b.op === '<=') && VNODE_NAMES.test(facts.text(b.right.span))) {
      const n = evalNumber(b.right, facts.scope);
      if (n !== null) return b.op === '<=' ? n + 1 : n;
    }
  }
  return null;
}

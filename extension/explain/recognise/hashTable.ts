/**
 * Hash tables: library maps constructed with a capacity or load factor (`new HashMap<>(cap, lf)`,
 * `make(map[K]V, n)`), and hand-written tables that index buckets with a hash. A map built with
 * defaults (`new Map()`, `new HashMap<>()`) is not tuning anything and is not reported.
 * Risks: `capacity-rounded`, `high-load-factor`, `low-load-factor`, `concurrency-level-ignored`,
 * `no-resize`, `delete-breaks-probing`.
 */
import type { FindingOf, HashTableParams, Risk } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalNumber } from '../syntax/evaluate';
import { contains, type Expr, lastName, type Span, walk } from '../syntax/tree';
import { cover, finding, type Recogniser, wordsOf } from './common';
import { hashIn } from './hashCalls';
import { hashedModulos } from './hashedModulo';

const JAVA_MAPS: Record<string, string> = {
  HashMap: 'java.util.HashMap', LinkedHashMap: 'java.util.LinkedHashMap', HashSet: 'java.util.HashSet', LinkedHashSet: 'java.util.LinkedHashSet',
  WeakHashMap: 'java.util.WeakHashMap', Hashtable: 'java.util.Hashtable', ConcurrentHashMap: 'java.util.concurrent.ConcurrentHashMap',
};
/** Java maps whose table size is the capacity rounded up to a power of two. */
const POWER_OF_TWO = new Set(['HashMap', 'LinkedHashMap', 'HashSet', 'LinkedHashSet', 'WeakHashMap']);
const SIZE_LIKE = /size|cap|count|expected|initial|len|num|^n$|total|max/i;

export const hashTable: Recogniser = {
  concept: 'hash-table',
  recognise(facts) {
    const out: FindingOf<'hash-table'>[] = [];
    for (const c of facts.calls) {
      const f = facts.lang === 'java' ? javaMap(facts, c) : facts.lang === 'go' ? goMap(facts, c) : null;
      if (f) out.push(f);
    }
    out.push(...customTables(facts));
    return out;
  },
};

function javaMap(facts: Facts, c: Call): FindingOf<'hash-table'> | null {
  const type = lastName(c.callee);
  if (!c.isNew || !type || !(type in JAVA_MAPS) || c.args.length === 0) return null;
  const first = c.args[0]!.value;
  const capacity = evalNumber(first, facts.scope);
  // new HashMap<>(otherMap) copies; only a number-like first argument sizes the table.
  if (capacity === null && !(first.k === 'name' || first.k === 'member' || first.k === 'binary' || first.k === 'call') ) return null;
  if (capacity === null && !SIZE_LIKE.test(facts.text(first.span))) return null;
  const loadFactor = c.args[1] ? evalNumber(c.args[1].value, facts.scope) : null;
  const risks: Risk[] = [];
  const lf = loadFactor ?? 0.75;
  if (capacity !== null && POWER_OF_TWO.has(type) && capacity > 0) {
    const table = 2 ** Math.ceil(Math.log2(Math.max(1, capacity)));
    const threshold = Math.floor(table * lf);
    if (threshold < capacity)
      risks.push({
        id: 'capacity-rounded',
        severity: 'info',
        message: `${type} rounds the capacity ${capacity} up to a table of ${table} and resizes once it holds more than ${threshold} entries (${table} × ${lf}). If ${capacity} is how many entries you expect, ask for ${Math.ceil(capacity / lf)} so they fit without a resize.`,
      });
  }
  risks.push(...loadFactorRisks(loadFactor, 'chaining'));
  if (type === 'ConcurrentHashMap' && c.args.length >= 3)
    risks.push({
      id: 'concurrency-level-ignored',
      severity: 'info',
      message: 'Since Java 8 the concurrencyLevel argument of ConcurrentHashMap only raises the initial size; it no longer sets a number of lock segments.',
    });
  return finding(facts, 'hash-table', c.span, 0.95, { implementation: JAVA_MAPS[type]!, capacity, loadFactor, collision: 'chaining' }, risks);
}

function goMap(facts: Facts, c: Call): FindingOf<'hash-table'> | null {
  if (lastName(c.callee) !== 'make' || c.args.length < 2) return null;
  const type = c.args[0]!.value;
  if (type.k !== 'name' || !type.name.startsWith('map[]')) return null;
  const capacity = evalNumber(c.args[1]!.value, facts.scope);
  return finding(facts, 'hash-table', c.span, 0.9, { implementation: 'go map', capacity, loadFactor: null, collision: null }, []);
}

function loadFactorRisks(lf: number | null, collision: HashTableParams['collision']): Risk[] {
  if (lf === null) return [];
  const open = collision !== 'chaining' && collision !== null;
  if (open ? lf >= 0.9 : lf > 1)
    return [{
      id: 'high-load-factor',
      severity: 'warning',
      message: open
        ? `A load factor of ${lf} with open addressing lets clusters grow until probes run long: lookups for missing keys slow down sharply above about 0.8.`
        : `A load factor of ${lf} lets chains grow longer than one entry on average before the table resizes: lookups walk longer lists.`,
    }];
  if (lf < 0.5) return [{ id: 'low-load-factor', severity: 'info', message: `A load factor of ${lf} keeps most of the table empty: fast, but it spends ${Math.round(1 / lf)}× the slots the entries need.` }];
  return [];
}

/** Hand-written tables: a bucket index computed from a hash, grouped by the class around it. */
function customTables(facts: Facts): FindingOf<'hash-table'>[] {
  const sites: Span[] = hashedModulos(facts).filter((m) => m.role === 'bucket').map((m) => m.span);
  // hash & (capacity - 1), hash & mask: the power-of-two form of the same index.
  for (const b of facts.binaries) {
    if (b.op !== '&') continue;
    const r = facts.text(b.right.span);
    if (!(/mask/i.test(r) || (b.right.k === 'binary' && b.right.op === '-' && b.right.right.k === 'num' && b.right.right.value === 1))) continue;
    if (hashIn(b.left, facts)) sites.push(b.span);
  }
  if (sites.length === 0) return [];
  const groups = new Map<string, Span[]>();
  for (const s of sites) {
    const cls = facts.classAt(s);
    const key = cls ? `${cls.span.start}` : 'unit';
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: FindingOf<'hash-table'>[] = [];
  for (const [key, spans] of groups) {
    const cls = key === 'unit' ? undefined : facts.classAt(spans[0]!);
    const area = cls ? cls.span : cover(spans);
    const collision = collisionOf(facts, cls ? cls.span : { start: 0, end: facts.unit.text.length });
    const capacity = capacityOf(facts);
    const loadFactor = loadFactorOf(facts, cls ? cls.span : { start: 0, end: facts.unit.text.length });
    const risks = loadFactorRisks(loadFactor, collision);
    const methods = facts.unit.functions.filter((f) => !cls || contains(cls.span, f.span));
    if (cls && loadFactor === null && !methods.some((m) => /resize|rehash|grow|expand/i.test(m.name ?? '')))
      risks.push({
        id: 'no-resize',
        severity: 'warning',
        message: 'The table never resizes: as entries accumulate, chains or probe sequences grow without bound and lookups slow to a linear scan.',
      });
    if (collision && collision !== 'chaining' && deletesByClearing(facts, methods))
      risks.push({
        id: 'delete-breaks-probing',
        severity: 'error',
        message: 'Deleting empties the slot outright: a later lookup stops at that hole and misses keys that had probed past it. Mark deleted slots with a tombstone (or shift entries back, as linear probing allows).',
      });
    out.push(finding(facts, 'hash-table', area, cls ? 0.9 : 0.75, { implementation: 'custom', capacity, loadFactor, collision }, risks));
  }
  return out;
}

function collisionOf(facts: Facts, area: Span): HashTableParams['collision'] {
  let linear = false;
  let quadratic = false;
  let double = false;
  let chaining = false;
  for (const top of facts.exprsIn(area)) {
    walk(top, (x) => {
      if (x.k === 'binary' && (x.op === '%' || x.op === '&')) {
        const l = x.left;
        if (l.k === 'binary' && l.op === '+' && l.right.k === 'num' && l.right.value === 1) linear = true;
        if (l.k === 'binary' && l.op === '+' && hasSquare(l.right)) quadratic = true;
        if (l.k === 'binary' && l.op === '+' && l.right.k === 'binary' && l.right.op === '*' && /step|hash2|h2|second/i.test(facts.text(l.right.span))) double = true;
      }
      if (x.k === 'assign' && (x.op === '+=') && /step|hash2|h2/i.test(facts.text(x.value.span))) double = true;
      if (x.k === 'call' && /^(push|append|add|addFirst|addLast|unshift|insert)$/.test(lastName(x.callee) ?? '') && x.callee.k === 'member' && x.callee.object.k === 'index') chaining = true;
      if (x.k === 'call' && x.isNew && /LinkedList|ArrayList/.test(lastName(x.callee) ?? '')) chaining = true;
    });
  }
  return double ? 'double-hashing' : quadratic ? 'quadratic-probing' : linear ? 'linear-probing' : chaining ? 'chaining' : null;
}

function hasSquare(e: Expr): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.k === 'binary' && x.op === '*' && x.left.k === 'name' && x.right.k === 'name' && x.left.name === x.right.name) found = true;
    if (x.k === 'binary' && x.op === '**' && x.right.k === 'num' && x.right.value === 2) found = true;
  });
  return found;
}

const CAPACITY_NAMES = /^(capacity|initialCapacity|INITIAL_CAPACITY|DEFAULT_CAPACITY|initial_capacity|cap|tableSize|table_size|numBuckets|num_buckets|nBuckets|bucketCount|bucket_count)$/;
const TABLE_NAMES = /^(buckets|table|slots|entries|keys|bins)$/i;

function capacityOf(facts: Facts): number | null {
  for (const a of facts.assigns) {
    const name = lastName(a.target);
    if (!name || (a.op !== '=' && a.op !== ':=')) continue;
    const n = CAPACITY_NAMES.test(name) ? evalNumber(a.value, facts.scope) : TABLE_NAMES.test(name) ? arraySize(a.value, facts) : null;
    if (n !== null && n > 0) return n;
  }
  return null;
}

/** The length of a freshly made array: `new Array(16)`, `[None] * 16`, `make([]entry, 16)`, `new Entry[16]`. */
function arraySize(e: Expr, facts: Facts): number | null {
  if (e.k === 'call' && e.isNew && lastName(e.callee) === 'Array' && e.args.length === 1) return evalNumber(e.args[0]!.value, facts.scope);
  if (e.k === 'call' && e.isNew && e.callee.k === 'index') return evalNumber(e.callee.index, facts.scope);
  if (e.k === 'call' && lastName(e.callee) === 'make' && e.args.length >= 2) return evalNumber(e.args[1]!.value, facts.scope);
  if (e.k === 'binary' && e.op === '*' && e.left.k === 'list') return evalNumber(e.right, facts.scope);
  if (e.k === 'call' && e.callee.k === 'member' && /^(fill|map)$/.test(e.callee.name)) return arraySize(e.callee.object, facts);
  return null;
}

function loadFactorOf(facts: Facts, area: Span): number | null {
  for (const a of facts.assigns) {
    if (!contains(area, a.span) && area.start !== 0) continue;
    const name = lastName(a.target) ?? '';
    const w = wordsOf(name).join(' ');
    if (!/load factor|max load|load$/.test(w)) continue;
    const n = evalNumber(a.value, facts.scope);
    if (n !== null && n > 0 && n <= 10) return n;
  }
  // `size / capacity > 0.75`, `count >= cap * 0.75`: the threshold written inline.
  for (const b of facts.binaries) {
    if (!contains(area, b.span) || !['>', '>=', '<', '<='].includes(b.op)) continue;
    const sides = [b.left, b.right];
    for (const [i, side] of sides.entries()) {
      const other = sides[1 - i]!;
      if (side.k === 'num' && side.value > 0 && side.value <= 1 && other.k === 'binary' && other.op === '/') return side.value;
      if (side.k === 'binary' && side.op === '*' && side.right.k === 'num' && side.right.value > 0 && side.right.value < 1) return side.right.value;
    }
  }
  return null;
}

/** A remove/delete method that writes null/None/nil/undefined into a slot, with no tombstone in sight. */
function deletesByClearing(facts: Facts, methods: { name: string | null; body: Span }[]): boolean {
  if (/tombstone|deleted/i.test(facts.unit.text)) return false;
  return methods.some((m) => /remove|delete|del|erase/i.test(m.name ?? '') && facts.assigns.some((a) =>
    contains(m.body, a.span) && a.target.k === 'index' && (a.value.k === 'null' || (a.value.k === 'name' && a.value.name === 'undefined'))));
}

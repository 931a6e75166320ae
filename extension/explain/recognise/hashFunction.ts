/**
 * Hash function implementations: string-hashing loops and mixers (named when they are a published
 * function), `hashCode()` and `__hash__` overrides, and thin wrappers around a fast hash library.
 * Risks: `constant-hash`, `hashcode-without-equals`, `mutable-hash-fields`, `weak-polynomial`,
 * `float-multiply-precision`.
 */
import type { FindingOf, HashFunctionParams, Risk } from '../finding';
import type { Facts } from '../syntax/facts';
import { contains, type Expr, type FunctionDef, lastName, walk } from '../syntax/tree';
import { finding, type Recogniser } from './common';
import { hashIn } from './hashCalls';
import { hashShape } from './hashShape';

const HASHY_NAME = /hash|fnv|djb|murmur|crc|checksum|fingerprint|mix|digest|sdbm|xxh/i;
/** Fast hashes worth wrapping; a wrapper around MD5 or SHA is a digest, not a table or shard hash. */
const FAST_HASHES = new Set(['fnv1a32', 'fnv1_32', 'fnv1a64', 'murmur3_32', 'murmur3_128', 'murmur2', 'xxhash32', 'xxhash64', 'crc32', 'crc16', 'djb2', 'python-hash']);
const WEAK = new Set(['java', 'djb2', 'djb2a', 'sdbm', 'polynomial-31']);

export const hashFunction: Recogniser = {
  concept: 'hash-function',
  recognise(facts) {
    const out: FindingOf<'hash-function'>[] = [];
    for (const fn of facts.unit.functions) {
      const f = recogniseFunction(facts, fn);
      if (f) out.push(f);
    }
    return out;
  },
};

function recogniseFunction(facts: Facts, fn: FunctionDef): FindingOf<'hash-function'> | null {
  const callable = (facts.lang === 'typescript' || facts.lang === 'javascript') && fn.params.length >= 1;
  if (fn.name === 'hashCode' && fn.params.length === 0 && (facts.lang === 'java' || fn.className !== null)) return override(facts, fn, 'hashCode-override');
  if (fn.name === '__hash__' && facts.lang === 'python') return override(facts, fn, '__hash__-override');

  const shape = hashShape(fn, facts);
  const named = fn.name !== null && HASHY_NAME.test(fn.name);
  if (shape.mixing && (shape.hasLoop || shape.mixer || shape.known)) {
    const strong = shape.known !== null || (shape.hasLoop && shape.readsCharacters);
    if (!strong && !named) return null;
    const confidence = shape.known ? 0.95 : named ? 0.85 : 0.7;
    const params: HashFunctionParams = {
      name: fn.name, known: shape.known, form: shape.mixer && !shape.hasLoop ? 'mixer' : 'string-loop',
      multiplier: shape.multiplier, initial: shape.initial, callable,
    };
    const risks: Risk[] = [];
    if (shape.known && WEAK.has(shape.known)) risks.push(weakPolynomial(shape.known));
    else if (!shape.known && (shape.multiplier === 31 || shape.multiplier === 33)) risks.push(weakPolynomial('polynomial-31'));
    if (shape.floatMultiply)
      risks.push({
        id: 'float-multiply-precision',
        severity: 'error',
        message: 'The accumulator is multiplied with `*` by a constant larger than 2^21: a 32-bit value times it exceeds 2^53, so JavaScript doubles drop the low bits and the hash is not the published one. Use Math.imul(h, prime) >>> 0.',
      });
    return finding(facts, 'hash-function', fn.span, confidence, params, risks);
  }

  // A thin wrapper: a hash-named function whose body calls a fast hash library.
  if (named && !shape.hasLoop) {
    const body = facts.exprsIn(fn.body);
    if (body.length > 0 && body.length <= 4) {
      for (const e of body) {
        const use = hashIn(e, facts);
        if (use?.hash && FAST_HASHES.has(use.hash)) {
          return finding(facts, 'hash-function', fn.span, 0.8, {
            name: fn.name, known: use.hash, form: 'library-wrapper', multiplier: null, initial: null, callable,
          }, use.hash === 'python-hash' ? [{
            id: 'python-hash-randomized', severity: 'warning',
            message: "Python's hash() of a str is salted per process (PYTHONHASHSEED): the same key hashes differently in another process. Use zlib.crc32 or hashlib for anything stored or shared.",
          }] : []);
        }
      }
    }
  }
  return null;
}

function weakPolynomial(known: string): Risk {
  return {
    id: 'weak-polynomial',
    severity: 'info',
    message: `${known === 'djb2' || known === 'djb2a' ? 'djb2' : known === 'sdbm' ? 'sdbm' : 'A ×31 polynomial hash'} mixes weakly: whole families of keys collide by construction (Java's "Aa" and "BB" hash alike), and similar keys land in neighbouring buckets. Murmur3 or xxHash avalanche properly.`,
  };
}

/** hashCode() and __hash__: what they combine, whether they return a constant, and what the class does alongside. */
function override(facts: Facts, fn: FunctionDef, form: 'hashCode-override' | '__hash__-override'): FindingOf<'hash-function'> {
  const body = facts.exprsIn(fn.body);
  const risks: Risk[] = [];
  const shape = hashShape(fn, facts);
  let known: string | null = null;
  for (const e of body) walk(e, (x) => {
    if (x.k === 'call' && lastName(x.callee) === 'hash' && x.callee.k === 'member' && x.callee.object.k === 'name' && x.callee.object.name === 'Objects') known = 'java-objects-hash';
    if (x.k === 'call' && facts.lang === 'python' && x.callee.k === 'name' && x.callee.name === 'hash') known = 'python-hash';
  });
  if (!known && shape.multiplier === 31) known = 'polynomial-31';
  if (body.length > 0 && body.every((e) => e.k === 'num')) {
    risks.push({
      id: 'constant-hash',
      severity: 'error',
      message: `${form === 'hashCode-override' ? 'hashCode()' : '__hash__'} returns a constant, so every object lands in the same bucket: a HashMap or dict of them degrades to a list (Java 8+ treeifies large bins, which only softens it).`,
    });
  }
  const cls = fn.className ? facts.unit.classes.find((c) => c.name === fn.className && contains(c.span, fn.span)) : undefined;
  const methods = cls ? facts.unit.functions.filter((f) => contains(cls.span, f.span)) : [];
  if (form === 'hashCode-override' && cls && !methods.some((m) => m.name === 'equals'))
    risks.push({
      id: 'hashcode-without-equals',
      severity: 'error',
      message: `${cls.name} overrides hashCode() without equals(): two equal-looking objects hash alike but never compare equal, so map lookups with a new instance miss.`,
    });
  const mutated = mutatedFields(facts, fn, methods);
  if (mutated.length > 0)
    risks.push({
      id: 'mutable-hash-fields',
      severity: 'warning',
      message: `The hash reads ${mutated.map((f) => `"${f}"`).join(', ')}, which ${mutated.length === 1 ? 'is' : 'are'} changed outside the constructor: an object changed while it sits in a set or as a map key is no longer found.`,
    });
  if (known === 'polynomial-31') risks.push(weakPolynomial('polynomial-31'));
  return finding(facts, 'hash-function', fn.span, 0.95, {
    name: fn.name, known, form, multiplier: shape.multiplier, initial: shape.initial, callable: false,
  }, risks);
}

/** Fields the hash reads (`this.x`, `self.x`, bare Java fields) that another non-constructor method assigns. */
function mutatedFields(facts: Facts, hashFn: FunctionDef, methods: FunctionDef[]): string[] {
  const read = new Set<string>();
  for (const e of facts.exprsIn(hashFn.body)) {
    walk(e, (x) => {
      if (x.k === 'member' && x.object.k === 'name' && (x.object.name === 'this' || x.object.name === 'self')) read.add(x.name);
      if (x.k === 'name' && facts.lang === 'java') read.add(x.name);
    });
  }
  const constructors = new Set(['__init__', 'constructor', hashFn.className ?? '']);
  const changed = new Set<string>();
  for (const m of methods) {
    if (m === hashFn || constructors.has(m.name ?? '')) continue;
    for (const a of facts.assigns) {
      if (!contains(m.body, a.span)) continue;
      const t = fieldName(a.target);
      if (t && read.has(t)) changed.add(t);
    }
  }
  return [...changed];
}

function fieldName(t: Expr): string | null {
  if (t.k === 'member' && t.object.k === 'name' && (t.object.name === 'this' || t.object.name === 'self')) return t.name;
  return null;
}

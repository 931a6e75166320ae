/**
 * The shape of a hand-written hash function: which variable accumulates, what it is multiplied by
 * per step, what it starts at, and the constants it uses. From that shape a published function is
 * named: FNV-1a multiplies by 16777619 after XOR-ing the byte in, djb2 starts at 5381 and
 * multiplies by 33, Java's String.hashCode multiplies by 31 from 0, Murmur3 and xxHash use their
 * own odd constants.
 */
import type { Facts } from '../syntax/facts';
import { type Expr, type FunctionDef, lastName, walk } from '../syntax/tree';

export interface HashShape {
  /** The variable that accumulates the hash. */
  accumulator: string | null;
  /** Whether the accumulator is mixed (multiplied, shifted or XOR-ed with itself): a hash, not a sum. */
  mixing: boolean;
  multiplier: number | null;
  initial: number | null;
  /** FNV order: the byte is XOR-ed in before the multiplication. */
  xorFirst: boolean | null;
  known: string | null;
  /** A mixer works on one word (Murmur's fmix, a 64-bit finalizer) rather than looping over bytes. */
  mixer: boolean;
  hasLoop: boolean;
  /** Reads characters or bytes of its input (charCodeAt, ord, s[i], range over a string, …). */
  readsCharacters: boolean;
  /** JS/TS: multiplies the accumulator by a constant so large that doubles lose its low bits. */
  floatMultiply: boolean;
}

/** The value of a literal or of a constant declared in the selection (`FNV_PRIME = 16777619`). */
type Resolve = (e: Expr) => number | null;

const CHAR_ACCESS = /^(charCodeAt|charAt|codePointAt|ord|getBytes|encode|toCharArray|chars|bytes|byteAt|readUInt8|Uint8Array|TextEncoder|rune|byte)$/;
const LOOP_CALLS = /^(reduce|forEach|each|fold|foldl|for_each|map)$/;
/** Masks that only keep the result in 32 bits; they do not change the multiplier. */
const WRAPPERS = new Set(['&', '|', '>>>', '%']);

export function hashShape(fn: FunctionDef, facts: Facts): HashShape {
  const body = fn.body;
  const exprs = facts.exprsIn(body);
  const value: Resolve = (e) => {
    if (e.k === 'num') return e.value;
    if (e.k !== 'name' && e.k !== 'member') return null;
    const v = facts.scope.lookup(e);
    return v && v.k === 'num' ? v.value : null;
  };
  const nums = new Set<number>();
  let readsCharacters = false;
  let loopCall = false;
  for (const top of exprs) walk(top, (e) => {
    // Java and C write 32-bit constants as signed ints; compare them unsigned.
    const n = e.k === 'num' || e.k === 'name' ? value(e) : null;
    if (n !== null) nums.add(Number.isInteger(n) && n < 0 && n >= -(2 ** 31) ? n >>> 0 : n);
    if (e.k === 'call') {
      const n = lastName(e.callee) ?? '';
      if (CHAR_ACCESS.test(n)) readsCharacters = true;
      if (LOOP_CALLS.test(n)) loopCall = true;
    }
    if (e.k === 'index' && e.object.k === 'name' && fn.params.includes(e.object.name)) readsCharacters = true;
    if (e.k === 'unary' && e.op === 'range') readsCharacters = true;
  });
  const assigns = exprs.flatMap((top) => { const out: Extract<Expr, { k: 'assign' }>[] = []; walk(top, (e) => { if (e.k === 'assign') out.push(e); }); return out; });

  // The accumulator: the variable most often mixed with itself.
  const mixCount = new Map<string, number>();
  for (const a of assigns) {
    const t = targetName(a.target);
    if (t && isMixingUpdate(a, t)) mixCount.set(t, (mixCount.get(t) ?? 0) + 1);
  }
  const accumulator = [...mixCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const updates = accumulator ? assigns.filter((a) => targetName(a.target) === accumulator && isMixingUpdate(a, accumulator)) : [];

  let multiplier: number | null = null;
  let xorFirst: boolean | null = null;
  let floatMultiply = false;
  let xorAt = -1;
  let mulAt = -1;
  updates.forEach((a, i) => {
    const m = updateMultiplier(a, accumulator!, value);
    if (m !== null && multiplier === null) multiplier = m;
    if (m !== null && mulAt < 0) mulAt = i;
    if ((a.op === '^=' || containsOp(a.value, '^')) && xorAt < 0) xorAt = i;
    if (a.op === '=' && m !== null && xorAt === i) {
      // Both in one statement: FNV-1a multiplies what the XOR produced.
      xorFirst = multipliedContainsXor(a.value);
    }
    if ((facts.lang === 'typescript' || facts.lang === 'javascript') && multipliesByLargeConstant(a, accumulator!, value)) floatMultiply = true;
  });
  if (xorFirst === null && xorAt >= 0 && mulAt >= 0) xorFirst = xorAt < mulAt;

  let initial: number | null = null;
  if (accumulator) {
    const init = assigns.find((a) => targetName(a.target) === accumulator && (a.op === '=' || a.op === ':=') && !mentionsName(a.value, accumulator));
    if (init) initial = numberOf(init.value, facts);
  }

  const hasLoop = facts.hasLoopIn(body) || loopCall;
  const known = identify(nums, multiplier, initial, xorFirst, updates.length > 0);
  const mixer = !hasLoop && (known === 'murmur3-fmix32' || (updates.length >= 2 && !readsCharacters));
  return { accumulator, mixing: updates.length > 0, multiplier, initial, xorFirst, known, mixer, hasLoop, readsCharacters, floatMultiply };
}

function identify(nums: Set<number>, multiplier: number | null, initial: number | null, xorFirst: boolean | null, mixing: boolean): string | null {
  if (nums.has(0xcc9e2d51) && nums.has(0x1b873593)) return 'murmur3_32';
  if (nums.has(2654435761) && nums.has(2246822519)) return 'xxhash32';
  if (nums.has(0xedb88320)) return 'crc32';
  if (nums.has(0x85ebca6b) && nums.has(0xc2b2ae35)) return 'murmur3-fmix32';
  if (!mixing) return null;
  if (multiplier === 16777619) {
    if (initial !== null && initial !== 2166136261) return null;
    return xorFirst === false ? 'fnv1_32' : 'fnv1a32';
  }
  if (multiplier === 33 && initial === 5381) return xorFirst ? 'djb2a' : 'djb2';
  if (multiplier === 31 && (initial === 0 || initial === null)) return 'java';
  if (multiplier === 65599) return 'sdbm';
  if (nums.has(10) && nums.has(6) && nums.has(3) && nums.has(11) && nums.has(15)) return 'jenkins-one-at-a-time';
  return null;
}

function targetName(t: Expr): string | null {
  if (t.k === 'name') return t.name;
  if (t.k === 'member') return t.name;
  return null;
}

function mentionsName(e: Expr, name: string): boolean {
  let found = false;
  walk(e, (x) => { if ((x.k === 'name' && x.name === name) || (x.k === 'member' && x.name === name)) found = true; });
  return found;
}

/** `h = h * 31 + c`, `h ^= c`, `h *= p`, `h = Math.imul(h ^ c, p)`, `h += h << 10`: the accumulator mixed with itself. */
function isMixingUpdate(a: Extract<Expr, { k: 'assign' }>, acc: string): boolean {
  if (a.op === '*=' || a.op === '<<=') return true;
  if (a.op === '^=') return true;
  if (a.op === '+=' || a.op === '-=') return mentionsName(a.value, acc) && (containsOp(a.value, '<<') || containsOp(a.value, '*') || containsOp(a.value, '>>'));
  if (a.op !== '=' && a.op !== ':=') return false;
  if (!mentionsName(a.value, acc)) return false;
  let mixing = false;
  walk(a.value, (x) => {
    if (x.k === 'binary' && ['*', '<<', '^', '>>>', '>>'].includes(x.op) && (mentionsName(x.left, acc) || mentionsName(x.right, acc))) mixing = true;
    if (x.k === 'call' && lastName(x.callee) === 'imul') mixing = true;
  });
  return mixing;
}

function containsOp(e: Expr, op: string): boolean {
  let found = false;
  walk(e, (x) => { if (x.k === 'binary' && x.op === op) found = true; });
  return found;
}

function multipliedContainsXor(e: Expr): boolean | null {
  let result: boolean | null = null;
  walk(e, (x) => {
    if (result !== null) return;
    if (x.k === 'binary' && x.op === '*') result = containsOp(x.left, '^') || containsOp(x.right, '^');
    if (x.k === 'call' && lastName(x.callee) === 'imul') result = x.args.some((a) => containsOp(a.value, '^'));
    if (x.k === 'binary' && x.op === '^') {
      // The XOR is outermost: whatever was multiplied happened first.
      if (containsOp(x.left, '*') || containsOp(x.right, '*')) result = false;
    }
  });
  return result;
}

/** The per-step multiplier of one update: the accumulator's coefficient in a shift-and-add or product. */
function updateMultiplier(a: Extract<Expr, { k: 'assign' }>, acc: string, value: Resolve): number | null {
  if (a.op === '*=') return value(a.value);
  if (a.op === '+=' || a.op === '-=') {
    const c = coefficient(a.value, acc, value);
    return c === null || c === 0 ? null : a.op === '+=' ? 1 + c : 1 - c;
  }
  if (a.op !== '=' && a.op !== ':=') return null;
  const c = coefficient(unwrap(a.value), acc, value);
  if (c !== null && c !== 1 && c !== 0) return c;
  // FNV's (h ^ b) * p: the product of something holding the accumulator and a constant.
  let found: number | null = null;
  walk(a.value, (x) => {
    if (found !== null) return;
    if (x.k === 'binary' && x.op === '*') {
      if (value(x.right) !== null && mentionsName(x.left, acc)) found = value(x.right);
      else if (value(x.left) !== null && mentionsName(x.right, acc)) found = value(x.left);
    }
    if (x.k === 'call' && lastName(x.callee) === 'imul' && x.args.length === 2) {
      const [p, q] = [x.args[0]!.value, x.args[1]!.value];
      if (value(q) !== null && mentionsName(p, acc)) found = value(q);
      else if (value(p) !== null && mentionsName(q, acc)) found = value(p);
    }
  });
  return found;
}

/** Strips outer masks and conversions that keep a value in 32 bits: `(… ) & 0xffffffff`, `… | 0`, `uint32(…)`. */
function unwrap(e: Expr): Expr {
  if (e.k === 'binary' && WRAPPERS.has(e.op) && e.right.k === 'num') return unwrap(e.left);
  if (e.k === 'call' && e.args.length === 1 && /^(uint32|int32|int|uint|toInt|Int|long)$/.test(lastName(e.callee) ?? '')) return unwrap(e.args[0]!.value);
  return e;
}

/** The coefficient of `acc` in a sum of terms like acc, acc << k, acc * K, K * acc, imul(acc, K); null if not linear. */
function coefficient(e: Expr, acc: string, value: Resolve): number | null {
  e = unwrap(e);
  if (e.k === 'name' && e.name === acc) return 1;
  if (e.k === 'member' && e.name === acc) return 1;
  if (!mentionsName(e, acc)) return 0;
  if (e.k === 'binary') {
    if (e.op === '+' || e.op === '-') {
      const l = coefficient(e.left, acc, value);
      const r = coefficient(e.right, acc, value);
      if (l === null || r === null) return null;
      return e.op === '+' ? l + r : l - r;
    }
    const rv = value(e.right);
    const lv = value(e.left);
    if (e.op === '<<' && rv !== null) { const l = coefficient(e.left, acc, value); return l === null ? null : l * 2 ** rv; }
    if (e.op === '*') {
      if (rv !== null) { const l = coefficient(e.left, acc, value); return l === null ? null : l * rv; }
      if (lv !== null) { const r = coefficient(e.right, acc, value); return r === null ? null : r * lv; }
    }
    return null;
  }
  if (e.k === 'call' && lastName(e.callee) === 'imul' && e.args.length === 2) {
    const [p, q] = [e.args[0]!.value, e.args[1]!.value];
    const pv = value(p);
    const qv = value(q);
    if (qv !== null) { const c = coefficient(p, acc, value); return c === null ? null : c * qv; }
    if (pv !== null) { const c = coefficient(q, acc, value); return c === null ? null : c * pv; }
  }
  return null;
}

/** `h * 16777619` in JS: a double cannot hold a 32-bit value times a 25-bit constant exactly. */
function multipliesByLargeConstant(a: Extract<Expr, { k: 'assign' }>, acc: string, value: Resolve): boolean {
  const large = (e: Expr): boolean => { const v = value(e); return v !== null && Math.abs(v) > 2 ** 21; };
  if (a.op === '*=') return large(a.value);
  let found = false;
  walk(a.value, (x) => {
    if (x.k !== 'binary' || x.op !== '*') return;
    if ((large(x.right) && mentionsName(x.left, acc)) || (large(x.left) && mentionsName(x.right, acc))) found = true;
  });
  return found;
}

function numberOf(e: Expr, facts: Facts): number | null {
  const u = unwrap(e);
  if (u.k === 'num') return u.value < 0 ? u.value >>> 0 : u.value;
  const v = facts.scope.lookup(u);
  if (v && v.k === 'num') return v.value;
  if (u.k === 'call' && u.args.length === 1 && u.args[0]!.value.k === 'num') return u.args[0]!.value.value;
  return null;
}

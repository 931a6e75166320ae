/**
 * Reading values out of code: numbers, durations, strings and key shapes, following constants
 * declared in the same source (`const SHARDS = 8`, `final int N = 4;`, `pool_size = 10`). A value
 * that depends on anything else is unknown (null), never guessed.
 */
import { dotted, type Expr, type SourceUnit, walk } from './tree';

/** Names assigned exactly once (or always to the same literal) in the source, with their values. */
export class Scope {
  private readonly values = new Map<string, Expr | null>();

  constructor(unit: SourceUnit) {
    for (const top of unit.exprs) {
      walk(top, (e) => {
        if (e.k === 'unary' && (e.op === '++' || e.op === '--')) this.mutate(e.operand);
        if (e.k !== 'assign') return;
        if (e.op === '=' || e.op === ':=') this.define(e.target, e.value, unit.text);
        else this.mutate(e.target);
      });
    }
  }

  private keys(target: Expr): string[] {
    const d = dotted(target);
    if (d === null) return [];
    const last = d.slice(d.lastIndexOf('.') + 1);
    return d === last ? [d] : [d, last];
  }

  private define(target: Expr, value: Expr, text: string): void {
    for (const k of this.keys(target)) {
      if (!this.values.has(k)) { this.values.set(k, value); continue; }
      const prev = this.values.get(k);
      if (prev && text.slice(prev.span.start, prev.span.end) !== text.slice(value.span.start, value.span.end)) this.values.set(k, null);
    }
  }

  private mutate(target: Expr): void {
    for (const k of this.keys(target)) this.values.set(k, null);
  }

  /** The single value assigned to a name or member (`this.x`, `self.x`, `cfg.x` also answer to `x`). */
  lookup(e: Expr): Expr | undefined {
    const d = dotted(e);
    if (d === null) return undefined;
    const v = this.values.get(d) ?? (d.includes('.') && /^(this|self)\./.test(d) ? this.values.get(d.slice(d.indexOf('.') + 1)) : undefined);
    return v ?? undefined;
  }
}

/** Calls that only convert a number's type: `uint32(n)`, `int(x)`, `Number(s)`, `Long.valueOf(x)`. */
const CONVERSIONS = new Set([
  'int', 'int32', 'int64', 'uint', 'uint32', 'uint64', 'float', 'float32', 'float64', 'Number', 'parseInt', 'parseFloat',
  'valueOf', 'parseLong', 'Duration', 'long', 'BigInt',
]);

export function evalNumber(e: Expr | undefined, scope: Scope, seen: Set<Expr> = new Set()): number | null {
  if (!e || seen.has(e) || seen.size > 64) return null;
  seen.add(e);
  switch (e.k) {
    case 'num': return e.value;
    case 'str': { const t = e.value.trim(); return t !== '' && Number.isFinite(Number(t)) ? Number(t) : null; }
    case 'name': case 'member': {
      const v = scope.lookup(e);
      return v ? evalNumber(v, scope, seen) : null;
    }
    case 'unary': {
      const x = evalNumber(e.operand, scope, seen);
      if (x === null) return null;
      return e.op === '-' ? -x : e.op === '+' ? x : e.op === '~' ? ~x : null;
    }
    case 'binary': {
      const a = evalNumber(e.left, scope, seen);
      const b = evalNumber(e.right, scope, seen);
      if (a === null || b === null) return null;
      return arithmetic(e.op, a, b);
    }
    case 'call': {
      const name = e.callee.k === 'name' ? e.callee.name : e.callee.k === 'member' ? e.callee.name : null;
      if (name && CONVERSIONS.has(name) && e.args.length === 1) return evalNumber(e.args[0]!.value, scope, seen);
      return null;
    }
    default: return null;
  }
}

function arithmetic(op: string, a: number, b: number): number | null {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? null : a / b;
    case '//': return b === 0 ? null : Math.floor(a / b);
    case '%': return b === 0 ? null : a % b;
    case '**': return a ** b;
    case '<<': return a * 2 ** b;
    case '>>': return Math.floor(a / 2 ** b);
    case '|': return (a | b) >>> 0;
    case '&': return (a & b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    default: return null;
  }
}

/** Milliseconds per unit, by the names Go, Java and Python give them. */
const UNIT_MS: Record<string, number> = {
  'time.Nanosecond': 1e-6, 'time.Microsecond': 1e-3, 'time.Millisecond': 1, 'time.Second': 1000, 'time.Minute': 60_000, 'time.Hour': 3_600_000,
  NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000,
};
const JAVA_DURATION_MS: Record<string, number> = { ofNanos: 1e-6, ofMillis: 1, ofSeconds: 1000, ofMinutes: 60_000, ofHours: 3_600_000, ofDays: 86_400_000 };
const PY_TIMEDELTA_MS: Record<string, number> = { microseconds: 1e-3, milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** The milliseconds a unit name stands for (`time.Second`, `TimeUnit.SECONDS`), or null. */
export function unitMs(e: Expr | undefined): number | null {
  if (!e) return null;
  const d = dotted(e);
  if (d === null) return null;
  const key = d.startsWith('time.') ? d : d.slice(d.lastIndexOf('.') + 1);
  return UNIT_MS[key] ?? null;
}

/**
 * A duration in milliseconds. Bare numbers are in `unit` (milliseconds by default): the caller
 * knows that `keepAliveTimeout: 5000` is milliseconds and `pool_recycle=3600` seconds.
 */
export function evalDurationMs(e: Expr | undefined, scope: Scope, unit = 1): number | null {
  const q = quantity(e, scope, new Set());
  if (q === null) return null;
  return q.withUnit ? q.value : q.value * unit;
}

function quantity(e: Expr | undefined, scope: Scope, seen: Set<Expr>): { value: number; withUnit: boolean } | null {
  if (!e || seen.has(e) || seen.size > 64) return null;
  seen.add(e);
  const u = unitMs(e);
  if (u !== null) return { value: u, withUnit: true };
  switch (e.k) {
    case 'binary': {
      const a = quantity(e.left, scope, seen);
      const b = quantity(e.right, scope, seen);
      if (!a || !b) return null;
      if (e.op === '*') return { value: a.value * b.value, withUnit: a.withUnit || b.withUnit };
      if ((e.op === '+' || e.op === '-') && a.withUnit === b.withUnit) return { value: e.op === '+' ? a.value + b.value : a.value - b.value, withUnit: a.withUnit };
      if (e.op === '/' && !b.withUnit && b.value !== 0) return { value: a.value / b.value, withUnit: a.withUnit };
      return null;
    }
    case 'call': {
      const name = e.callee.k === 'member' ? e.callee.name : e.callee.k === 'name' ? e.callee.name : '';
      // Duration.ofSeconds(30), and .toMillis() on one.
      if (name in JAVA_DURATION_MS && e.args.length === 1) {
        const n = evalNumber(e.args[0]!.value, scope);
        return n === null ? null : { value: n * JAVA_DURATION_MS[name]!, withUnit: true };
      }
      if ((name === 'toMillis' || name === 'getSeconds' || name === 'toSeconds') && e.callee.k === 'member') {
        // TimeUnit.SECONDS.toMillis(30) or Duration.ofSeconds(30).toMillis().
        const base = e.args.length === 1 ? unitMs(e.callee.object) : null;
        if (base !== null) { const n = evalNumber(e.args[0]!.value, scope); return n === null ? null : { value: n * base, withUnit: true }; }
        const inner = quantity(e.callee.object, scope, seen);
        return inner && inner.withUnit ? inner : null;
      }
      if (name === 'timedelta') {
        let ms = 0;
        for (const a of e.args) {
          const per = a.name ? PY_TIMEDELTA_MS[a.name] : 86_400_000;
          const n = evalNumber(a.value, scope);
          if (per === undefined || n === null) return null;
          ms += n * per;
        }
        return { value: ms, withUnit: true };
      }
      if ((name === 'Duration' || CONVERSIONS.has(name)) && e.args.length === 1) return quantity(e.args[0]!.value, scope, seen);
      break;
    }
    case 'name': case 'member': {
      const v = scope.lookup(e);
      return v ? quantity(v, scope, seen) : null;
    }
    default: break;
  }
  const n = evalNumber(e, scope);
  return n === null ? null : { value: n, withUnit: false };
}

export function evalBool(e: Expr | undefined, scope: Scope): boolean | null {
  if (!e) return null;
  if (e.k === 'bool') return e.value;
  if (e.k === 'str') return /^(true|yes|on)$/i.test(e.value) ? true : /^(false|no|off)$/i.test(e.value) ? false : null;
  if (e.k === 'unary' && (e.op === '!' || e.op === 'not')) { const b = evalBool(e.operand, scope); return b === null ? null : !b; }
  if (e.k === 'name' || e.k === 'member') { const v = scope.lookup(e); return v ? evalBool(v, scope) : null; }
  return null;
}

/**
 * A string with its variable parts shown in braces: `"idem:" + orderId` → "idem:{orderId}",
 * `f"idem:{order.id}"` → "idem:{order.id}", `fmt.Sprintf("idem:%s", id)` → "idem:{id}".
 */
export function evalTemplate(e: Expr | undefined, scope: Scope, text: string, depth = 0): string | null {
  if (!e) return null;
  const src = (x: Expr): string => text.slice(x.span.start, x.span.end);
  const part = (x: Expr): string => {
    if (x.k === 'str') return x.value;
    if (x.k === 'num') return String(x.value);
    const v = x.k === 'name' || x.k === 'member' ? scope.lookup(x) : undefined;
    if (v && (v.k === 'str' || v.k === 'num')) return part(v);
    if (x.k === 'binary' && x.op === '+' && (isStringy(x.left) || isStringy(x.right))) return part(x.left) + part(x.right);
    if (x.k === 'call' || x.k === 'binary') { const t = evalTemplate(x, scope, text); if (t !== null) return t; }
    return `{${src(x)}}`;
  };
  if (e.k === 'str') return e.value;
  if (e.k === 'binary' && e.op === '+' && (isStringy(e.left) || isStringy(e.right))) return part(e.left) + part(e.right);
  if (e.k === 'binary' && e.op === '%' && e.left.k === 'str') return fillFormat(e.left.value, e.right.k === 'list' ? e.right.items : [e.right], part);
  if (e.k === 'call') {
    const name = e.callee.k === 'member' ? e.callee.name : e.callee.k === 'name' ? e.callee.name : '';
    const first = e.args[0]?.value;
    if ((name === 'Sprintf' || name === 'format' || name === 'formatted') && first?.k === 'str')
      return fillFormat(first.value, e.args.slice(1).map((a) => a.value), part);
    if (name === 'format' && e.callee.k === 'member' && e.callee.object.k === 'str') {
      // Python "idem:{}".format(x)
      let i = 0;
      return e.callee.object.value.replace(/\{[^}]*\}/g, () => { const a = e.args[i++]; return a ? part(a.value) : '{}'; });
    }
    if (name === 'concat' && e.callee.k === 'member') return part(e.callee.object) + e.args.map((a) => part(a.value)).join('');
  }
  if (e.k === 'name' || e.k === 'member') {
    const v = scope.lookup(e);
    if (v && v !== e && depth < 8) return evalTemplate(v, scope, text, depth + 1);
  }
  return null;
}

function isStringy(e: Expr): boolean {
  return e.k === 'str' || (e.k === 'binary' && e.op === '+' && (isStringy(e.left) || isStringy(e.right)));
}

/** Replaces printf verbs (%s, %d, %v, …) with the arguments' text. */
function fillFormat(format: string, args: Expr[], part: (x: Expr) => string): string {
  let i = 0;
  return format.replace(/%[-+ #0-9.]*[sdvxfqoXb]/g, () => { const a = args[i++]; return a ? `{${stripBraces(part(a))}}` : '{}'; });
}

const stripBraces = (s: string): string => s.replace(/^\{(.*)\}$/, '$1');

/** The elements of a list literal, following a constant name to its literal. */
export function evalList(e: Expr | undefined, scope: Scope): Expr[] | null {
  if (!e) return null;
  if (e.k === 'list') return e.items;
  if (e.k === 'record' && e.entries.every((x) => x.key === undefined)) return e.entries.map((x) => x.value);
  if (e.k === 'call' && e.args.length > 0 && /^(asList|of|List|listOf)$/.test(e.callee.k === 'member' ? e.callee.name : e.callee.k === 'name' ? e.callee.name : ''))
    return e.args.map((a) => a.value);
  if (e.k === 'name' || e.k === 'member') { const v = scope.lookup(e); return v ? evalList(v, scope) : null; }
  return null;
}

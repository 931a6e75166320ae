/**
 * The one syntax tree every recogniser reads, whatever the language: the TypeScript parser and
 * the tolerant token parser both lower their input into these few node kinds, so a pattern such
 * as "a hashing call on the left of `%`" is written once for all languages.
 *
 * Each expression appears in exactly one tree of `SourceUnit.exprs`: a function's body is not
 * inside the `func` node that stands for it but listed as expressions of its own, tied to the
 * function by its span.
 */
import type { Language } from '../language';

/** Offsets into the source text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface Arg {
  /** Keyword arguments (Python `pool_size=5`, Java annotation `concurrency = "3"`). */
  name?: string;
  value: Expr;
}

export interface RecordEntry {
  /** Undefined for a positional element (Go `T{1, 2}`) or a spread. */
  key?: string;
  value: Expr;
}

export type Expr =
  | { k: 'num'; value: number; span: Span }
  | { k: 'str'; value: string; template: boolean; span: Span }
  | { k: 'bool'; value: boolean; span: Span }
  | { k: 'null'; span: Span }
  | { k: 'name'; name: string; span: Span }
  | { k: 'member'; object: Expr; name: string; span: Span }
  | { k: 'index'; object: Expr; index: Expr | undefined; span: Span }
  | { k: 'call'; callee: Expr; args: Arg[]; isNew: boolean; span: Span }
  | { k: 'binary'; op: string; left: Expr; right: Expr; span: Span }
  | { k: 'assign'; op: string; target: Expr; value: Expr; span: Span }
  | { k: 'unary'; op: string; operand: Expr; span: Span }
  | { k: 'cond'; test: Expr; then: Expr; otherwise: Expr; span: Span }
  | { k: 'record'; type?: Expr; entries: RecordEntry[]; span: Span }
  | { k: 'list'; items: Expr[]; span: Span }
  | { k: 'func'; fn: FunctionDef; span: Span }
  | { k: 'other'; span: Span };

export interface FunctionDef {
  /** Declared name, or the name it is assigned to (`const h = (s) => …`), or null. */
  name: string | null;
  params: string[];
  span: Span;
  body: Span;
  /** The class (or Go receiver type) it belongs to. */
  className: string | null;
  /** Annotations and decorators written on it, as calls (`@Transactional` → callee "@Transactional"). */
  annotations: Expr[];
}

export interface ClassDef {
  name: string;
  span: Span;
  /** Names after extends/implements, or Python base classes. */
  bases: string[];
}

export interface SourceUnit {
  lang: Language;
  text: string;
  exprs: Expr[];
  functions: FunctionDef[];
  classes: ClassDef[];
  /** The header of every loop (for/while/do, comprehensions, range): where iteration happens. */
  loops: Span[];
}

export const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

/** Visits `e` and every expression below it, parents first. Function bodies are not below their `func` node. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.k) {
    case 'member': walk(e.object, visit); break;
    case 'index': walk(e.object, visit); if (e.index) walk(e.index, visit); break;
    case 'call': walk(e.callee, visit); for (const a of e.args) walk(a.value, visit); break;
    case 'binary': walk(e.left, visit); walk(e.right, visit); break;
    case 'assign': walk(e.target, visit); walk(e.value, visit); break;
    case 'unary': walk(e.operand, visit); break;
    case 'cond': walk(e.test, visit); walk(e.then, visit); walk(e.otherwise, visit); break;
    case 'record': if (e.type) walk(e.type, visit); for (const en of e.entries) walk(en.value, visit); break;
    case 'list': for (const x of e.items) walk(x, visit); break;
    default: break;
  }
}

/** "a.b.c" for a name or a member chain; calls in the chain are written "f()" ("redis.opsForValue().setIfAbsent"). */
export function dotted(e: Expr): string | null {
  switch (e.k) {
    case 'name': return e.name;
    case 'member': { const o = dotted(e.object); return o === null ? null : `${o}.${e.name}`; }
    case 'call': { const c = dotted(e.callee); return c === null ? null : `${c}()`; }
    case 'index': { const o = dotted(e.object); return o === null ? null : `${o}[]`; }
    case 'unary': return e.op === '&' || e.op === '*' ? dotted(e.operand) : null;
    default: return null;
  }
}

/** The last name of a callee or member chain: "createPool" for `mysql.createPool`. */
export function lastName(e: Expr): string | null {
  if (e.k === 'name') return e.name;
  if (e.k === 'member') return e.name;
  if (e.k === 'unary' && (e.op === '&' || e.op === '*')) return lastName(e.operand);
  return null;
}

export function isCall(e: Expr, ...names: string[]): e is Extract<Expr, { k: 'call' }> {
  if (e.k !== 'call') return false;
  const n = lastName(e.callee);
  return n !== null && (names.length === 0 || names.includes(n));
}

/** A call's argument by keyword name, or else by position. */
export function argument(call: Extract<Expr, { k: 'call' }>, name: string | null, position?: number): Expr | undefined {
  if (name !== null) {
    const named = call.args.find((a) => a.name === name);
    if (named) return named.value;
  }
  if (position === undefined) return undefined;
  const positional = call.args.filter((a) => a.name === undefined);
  return positional[position]?.value;
}

export function entry(rec: Extract<Expr, { k: 'record' }>, key: string): Expr | undefined {
  return rec.entries.find((e) => e.key === key)?.value;
}

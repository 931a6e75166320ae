/**
 * A parsed selection as the recognisers query it: every call, operator, assignment and string in
 * one flat list each, the function around a node, its text, and source ranges that VS Code can use
 * directly.
 */
import type { Position, Range } from '../finding';
import type { Language } from '../language';
import { Scope } from './evaluate';
import type { ClassDef, Expr, FunctionDef, SourceUnit, Span } from './tree';
import { contains, walk } from './tree';

export type Call = Extract<Expr, { k: 'call' }>;
export type Binary = Extract<Expr, { k: 'binary' }>;
export type Assign = Extract<Expr, { k: 'assign' }>;
export type Str = Extract<Expr, { k: 'str' }>;
export type RecordExpr = Extract<Expr, { k: 'record' }>;

export class Facts {
  readonly calls: Call[] = [];
  readonly binaries: Binary[] = [];
  readonly assigns: Assign[] = [];
  readonly strings: Str[] = [];
  readonly records: RecordExpr[] = [];
  /** Every name that occurs in the code, for cheap "is this about consumers at all" checks. */
  readonly names = new Set<string>();
  readonly scope: Scope;
  private readonly lineStarts: number[];

  /** `origin`: where the parsed text starts in the document, so ranges point into the editor. */
  constructor(readonly unit: SourceUnit, private readonly origin: Position = { line: 0, character: 0 }) {
    for (const top of unit.exprs) {
      walk(top, (e) => {
        switch (e.k) {
          case 'call': this.calls.push(e); break;
          case 'binary': this.binaries.push(e); break;
          case 'assign': this.assigns.push(e); break;
          case 'str': this.strings.push(e); break;
          case 'record': this.records.push(e); break;
          case 'name': this.names.add(e.name); break;
          case 'member': this.names.add(e.name); break;
          default: break;
        }
      });
    }
    for (const f of unit.functions) if (f.name) this.names.add(f.name);
    this.scope = new Scope(unit);
    this.lineStarts = [0];
    for (let i = 0; i < unit.text.length; i++) if (unit.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  get lang(): Language {
    return this.unit.lang;
  }

  text(s: Span): string {
    return this.unit.text.slice(s.start, s.end);
  }

  /** The code of a span on one line, shortened: what a finding shows as its evidence. */
  excerpt(s: Span, max = 120): string {
    const one = this.text(s).replace(/\s+/g, ' ').trim();
    return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
  }

  range(s: Span): Range {
    return { start: this.position(s.start), end: this.position(s.end) };
  }

  private position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const character = offset - this.lineStarts[lo]!;
    return lo === 0 ? { line: this.origin.line, character: this.origin.character + character } : { line: this.origin.line + lo, character };
  }

  /** The innermost function whose span holds `s`, if any. */
  functionAt(s: Span): FunctionDef | undefined {
    let best: FunctionDef | undefined;
    for (const f of this.unit.functions) if (contains(f.span, s) && (!best || contains(best.span, f.span))) best = f;
    return best;
  }

  classAt(s: Span): ClassDef | undefined {
    let best: ClassDef | undefined;
    for (const c of this.unit.classes) if (contains(c.span, s) && (!best || contains(best.span, c.span))) best = c;
    return best;
  }

  /** Whether a loop header lies inside `s` (a function body) or, for a node, around it in its function. */
  hasLoopIn(s: Span): boolean {
    return this.unit.loops.some((l) => contains(s, l));
  }

  inLoop(node: Span): boolean {
    const fn = this.functionAt(node);
    const limit = fn ? fn.body : { start: 0, end: this.unit.text.length };
    // A loop header before the node inside the same function: the loop body is assumed to reach it.
    return this.unit.loops.some((l) => contains(limit, l) && l.start < node.start);
  }

  /** The top-level expressions inside `s` (a function body, a class), found by binary search on their start. */
  exprsIn(s: Span): Expr[] {
    const exprs = this.unit.exprs;
    let lo = 0;
    let hi = exprs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (exprs[mid]!.span.start < s.start) lo = mid + 1;
      else hi = mid;
    }
    const out: Expr[] = [];
    for (let i = lo; i < exprs.length && exprs[i]!.span.start < s.end; i++) if (exprs[i]!.span.end <= s.end) out.push(exprs[i]!);
    return out;
  }

  /** Calls whose span lies inside `s`. */
  callsIn(s: Span): Call[] {
    return this.calls.filter((c) => contains(s, c.span));
  }

  hasName(re: RegExp): boolean {
    for (const n of this.names) if (re.test(n)) return true;
    return false;
  }
}

/**
 * A tolerant parser for Java, Go and Python: tokens in, the shared syntax tree out. It reads
 * expressions with operator precedence, calls with keyword arguments, object and composite
 * literals, lambdas, and the outline of functions and classes; whatever it does not understand it
 * steps over one token at a time, so a fragment or a broken line costs only the expression it is in.
 */
import type { Language } from '../language';
import { type Token, tokenize } from './tokenizer';
import type { Arg, ClassDef, Expr, FunctionDef, RecordEntry, SourceUnit, Span } from './tree';

type TokenLanguage = Exclude<Language, 'typescript' | 'javascript'>;

/** Binary operators by precedence, lowest first; one table serves the three languages. */
const PRECEDENCE: Record<string, number> = {
  '||': 1, or: 1, '??': 1,
  '&&': 2, and: 2,
  '|': 3,
  '^': 4,
  '&': 5, '&^': 5,
  '==': 6, '!=': 6, is: 6, 'is not': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, instanceof: 7, in: 7, 'not in': 7,
  '<<': 8, '>>': 8, '>>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '%': 10, '//': 10, '@': 10,
  '**': 11,
};
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '>>>=', '**=', '//=', ':=', '&^=', '<-']);
const PREFIX_OPS = new Set(['-', '+', '!', '~', '++', '--', '*', '&', '**', '<-']);
const PREFIX_WORDS: Record<TokenLanguage, Set<string>> = {
  java: new Set(),
  go: new Set(['go', 'defer', 'range']),
  python: new Set(['not', 'await', 'yield']),
};

/** Words that start or shape a statement and never name a value. */
const STATEMENT_WORDS: Record<TokenLanguage, Set<string>> = {
  java: new Set([
    'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'return', 'break', 'continue', 'try', 'catch', 'finally',
    'throw', 'throws', 'import', 'package', 'public', 'private', 'protected', 'static', 'final', 'abstract', 'synchronized',
    'volatile', 'transient', 'native', 'var', 'assert', 'extends', 'implements', 'void', 'sealed', 'permits', 'yield',
  ]),
  go: new Set([
    'if', 'else', 'for', 'switch', 'select', 'case', 'default', 'return', 'break', 'continue', 'goto', 'fallthrough',
    'import', 'package', 'var', 'const', 'range', 'type', 'struct', 'interface', 'chan',
  ]),
  python: new Set([
    'if', 'elif', 'else', 'for', 'while', 'return', 'break', 'continue', 'try', 'except', 'finally', 'raise', 'import',
    'from', 'as', 'with', 'pass', 'global', 'nonlocal', 'assert', 'del', 'async', 'yield',
  ]),
};
const LOOP_WORDS = new Set(['for', 'while', 'do']);
/** Statement words after which a Go `{` opens a block, not a composite literal. */
const GO_HEADER_WORDS = new Set(['if', 'for', 'switch', 'select']);
const JAVA_CLASS_WORDS = new Set(['class', 'interface', 'enum', 'record']);
const JAVA_NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'synchronized', 'return', 'new', 'try', 'super', 'this', 'else', 'throw']);
const JAVA_PRIMITIVES = new Set(['int', 'long', 'short', 'byte', 'char', 'float', 'double', 'boolean']);

/** Deeper nesting than this is stepped over rather than recursed into. */
const MAX_DEPTH = 400;

export function parseTokens(text: string, lang: TokenLanguage): SourceUnit {
  return new TokenParser(text, lang).parse();
}

class TokenParser {
  private readonly toks: Token[];
  private pos = 0;
  private lastEnd = 0;
  /** Inside (), [] or a literal's {}: line breaks do not end anything there. */
  private grouped = 0;
  /** In a Go if/for/switch header, where `name {` opens the block. */
  private noComposite = false;
  private depth = 0;
  private readonly exprs: Expr[] = [];
  private readonly functions: FunctionDef[] = [];
  private readonly classes: ClassDef[] = [];
  private readonly loops: Span[] = [];
  private annotations: Expr[] = [];
  /** Where the current statement began, modifiers and annotations included: a definition's span starts there. */
  private statementStart = 0;
  private readonly words: Set<string>;

  constructor(private readonly text: string, private readonly lang: TokenLanguage) {
    this.toks = tokenize(text, lang);
    this.words = STATEMENT_WORDS[lang];
  }

  parse(): SourceUnit {
    while (this.pos < this.toks.length) this.statements(null);
    for (const f of this.functions) {
      if (f.className !== null) continue;
      const owner = this.classes.filter((c) => c.span.start <= f.span.start && f.span.end <= c.span.end).sort((a, b) => b.span.start - a.span.start)[0];
      if (owner) f.className = owner.name;
    }
    this.exprs.sort((a, b) => a.span.start - b.span.start);
    return { lang: this.lang, text: this.text, exprs: this.exprs, functions: this.functions, classes: this.classes, loops: this.loops };
  }

  // ── tokens ──────────────────────────────────────────────────────────────

  private peek(offset = 0): Token | undefined {
    let i = this.pos;
    for (let k = 0; ; i++) {
      const t = this.toks[i];
      if (t === undefined) return undefined;
      if (t.kind === 'newline' && this.grouped > 0) continue;
      if (k === offset) return t;
      k++;
    }
  }

  private next(): Token {
    while (this.grouped > 0 && this.toks[this.pos]?.kind === 'newline') this.pos++;
    const t = this.toks[this.pos];
    if (!t) return { kind: 'newline', text: '', start: this.text.length, end: this.text.length, indent: 0 };
    this.pos++;
    this.lastEnd = t.end;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'op' && t.text === text;
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'ident' && t.text === text;
  }

  private accept(text: string): boolean {
    if (this.isOp(text)) { this.next(); return true; }
    return false;
  }

  /** Index just past the bracket that closes the one at `i`. */
  private matching(i: number): number {
    const open = this.toks[i]!.text;
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    let d = 0;
    for (let j = i; j < this.toks.length; j++) {
      const t = this.toks[j]!;
      if (t.kind !== 'op') continue;
      if (t.text === open) d++;
      else if (t.text === close && --d === 0) return j + 1;
    }
    return this.toks.length;
  }

  private span(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  // ── statements ──────────────────────────────────────────────────────────

  /** Parses statements until `close` (consumed) or the end of input. */
  private statements(close: string | null): void {
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos]!;
      if (t.kind === 'newline' || (t.kind === 'op' && (t.text === ';' || t.text === ','))) { this.pos++; continue; }
      if (t.kind === 'op' && t.text === '}') {
        this.pos++;
        this.lastEnd = t.end;
        if (close === '}') return;
        continue;
      }
      if (t.kind === 'op' && t.text === '{') {
        this.pos++;
        this.noComposite = false;
        this.block(() => this.statements('}'));
        continue;
      }
      const prev = this.toks[this.pos - 1];
      if (!prev || prev.kind === 'newline' || (prev.kind === 'op' && (prev.text === ';' || prev.text === '{' || prev.text === '}'))) this.statementStart = t.start;
      const before = this.pos;
      this.statement();
      if (this.pos === before) this.pos++;
    }
  }

  /** Runs `body` as a nested block: line breaks count again, nesting is bounded. */
  private block(body: () => void): void {
    const grouped = this.grouped;
    const noComposite = this.noComposite;
    this.grouped = 0;
    this.noComposite = false;
    if (++this.depth > MAX_DEPTH) {
      this.pos = this.matching(this.pos - 1);
    } else {
      body();
    }
    this.depth--;
    this.grouped = grouped;
    this.noComposite = noComposite;
  }

  private statement(): void {
    const t = this.toks[this.pos]!;
    if (t.kind === 'op' && t.text === '@') {
      const start = t.start;
      this.next();
      const head = this.primary();
      const target = head ? this.postfix(head) : null;
      if (target) {
        const ann: Expr = target.k === 'call'
          ? { ...target, callee: renamed(target.callee, '@'), span: this.span(start) }
          : { k: 'call', callee: renamed(target, '@'), args: [], isNew: false, span: this.span(start) };
        this.annotations.push(ann);
        this.exprs.push(ann);
      }
      return;
    }
    if (t.kind === 'ident') {
      if (this.definition()) return;
      if (this.lang === 'go' && (t.text === 'var' || t.text === 'const') && this.goDeclaration()) return;
      if (this.words.has(t.text)) {
        if (LOOP_WORDS.has(t.text)) this.loops.push({ start: t.start, end: t.end });
        if (this.lang === 'go' && GO_HEADER_WORDS.has(t.text)) this.noComposite = true;
        if (t.text === 'import' || t.text === 'package' || (t.text === 'from' && this.lang === 'python')) { this.skipLine(); return; }
        this.next();
        return;
      }
    }
    const e = this.expression();
    if (!e) return;
    if (this.lang === 'python' && this.isOp(':') && (e.k === 'name' || e.k === 'member')) {
      // An annotated assignment, `pool_size: int = 10`.
      const save = this.pos;
      this.next();
      this.expressionNoAssign();
      if (this.accept('=')) {
        const value = this.expression();
        if (value) { this.push({ k: 'assign', op: '=', target: e, value, span: { start: e.span.start, end: value.span.end } }); return; }
      }
      this.pos = save;
    }
    // A bare name is a type or a modifier in a declaration (`int n = 4`), not a statement; the
    // annotations before it still belong to what it declares.
    if (e.k !== 'name') this.push(e);
  }

  private push(e: Expr): void {
    this.exprs.push(e);
    this.annotations = [];
  }

  private skipLine(): void {
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos]!;
      if (t.kind === 'newline' || t.text === ';') return;
      if (t.kind === 'op' && t.text === '(') { this.pos = this.matching(this.pos); continue; }
      this.pos++;
    }
  }

  /** Go `var name Type = value` and `const name = value`: the name, not the type, is assigned. */
  private goDeclaration(): boolean {
    const name = this.toks[this.pos + 1];
    if (name?.kind !== 'ident') return false;
    let j = this.pos + 2;
    while (j < this.toks.length && this.toks[j]!.kind !== 'newline' && this.toks[j]!.text !== '=' && this.toks[j]!.text !== ';') j++;
    if (this.toks[j]?.text !== '=') return false;
    this.pos = j + 1;
    const value = this.expression();
    if (!value) return true;
    const target: Expr = { k: 'name', name: name.text, span: { start: name.start, end: name.end } };
    this.push({ k: 'assign', op: '=', target, value, span: { start: name.start, end: value.span.end } });
    return true;
  }

  // ── definitions ─────────────────────────────────────────────────────────

  private definition(): boolean {
    switch (this.lang) {
      case 'java': return this.javaDefinition();
      case 'go': return this.goDefinition();
      case 'python': return this.pythonDefinition();
    }
  }

  private javaDefinition(): boolean {
    const t = this.toks[this.pos]!;
    if (JAVA_CLASS_WORDS.has(t.text) && this.toks[this.pos - 1]?.text !== '.') {
      const name = this.toks[this.pos + 1];
      if (name?.kind !== 'ident') return false;
      let j = this.pos + 2;
      const bases: string[] = [];
      let after = '';
      while (j < this.toks.length && this.toks[j]!.text !== '{' && this.toks[j]!.text !== ';') {
        const x = this.toks[j]!;
        if (x.text === '(' || x.text === '<') { j = x.text === '(' ? this.matching(j) : j + 1; continue; }
        if (x.text === 'extends' || x.text === 'implements') after = x.text;
        else if (after && x.kind === 'ident') bases.push(x.text);
        j++;
      }
      if (this.toks[j]?.text !== '{') return false;
      const end = this.toks[this.matching(j) - 1] ?? this.toks[this.toks.length - 1]!;
      this.classes.push({ name: name.text, span: { start: t.start, end: end.end }, bases });
      this.pos = j + 1;
      this.block(() => this.statements('}'));
      return true;
    }
    if (t.kind !== 'ident' || JAVA_NOT_METHODS.has(t.text) || this.words.has(t.text)) return false;
    if (this.toks[this.pos + 1]?.text !== '(') return false;
    const prev = this.toks[this.pos - 1];
    if (prev && (prev.text === 'new' || prev.text === '.')) return false;
    const close = this.matching(this.pos + 1);
    let j = close;
    if (this.toks[j]?.text === 'throws') {
      while (j < this.toks.length && this.toks[j]!.text !== '{' && this.toks[j]!.text !== ';') j++;
    }
    if (this.toks[j]?.text !== '{') return false;
    this.defineFunction(t.text, this.paramNames(this.pos + 2, close - 1), Math.min(t.start, this.statementStart), j, null);
    return true;
  }

  private goDefinition(): boolean {
    const t = this.toks[this.pos]!;
    if (t.text === 'type') {
      const name = this.toks[this.pos + 1];
      const kind = this.toks[this.pos + 2];
      if (name?.kind === 'ident' && kind && (kind.text === 'struct' || kind.text === 'interface') && this.toks[this.pos + 3]?.text === '{') {
        const close = this.matching(this.pos + 3);
        this.classes.push({ name: name.text, span: { start: t.start, end: this.toks[close - 1]!.end }, bases: [] });
        this.pos = close;
        this.lastEnd = this.toks[close - 1]!.end;
        return true;
      }
      return false;
    }
    if (t.text !== 'func') return false;
    let j = this.pos + 1;
    let receiver: string | null = null;
    if (this.toks[j]?.text === '(') {
      const close = this.matching(j);
      if (this.toks[close]?.kind !== 'ident' || this.toks[close + 1]?.text !== '(') return false;
      const idents = this.toks.slice(j + 1, close - 1).filter((x) => x.kind === 'ident');
      receiver = idents[idents.length - 1]?.text ?? null;
      j = close;
    }
    const name = this.toks[j];
    if (name?.kind !== 'ident' || this.toks[j + 1]?.text !== '(') return false;
    const close = this.matching(j + 1);
    const body = this.skipToBrace(close);
    if (body < 0) return false;
    this.defineFunction(name.text, this.paramNames(j + 2, close - 1), t.start, body, receiver);
    return true;
  }

  private pythonDefinition(): boolean {
    const t = this.toks[this.pos]!;
    if (t.text !== 'def' && t.text !== 'class') return false;
    const name = this.toks[this.pos + 1];
    if (name?.kind !== 'ident') return false;
    let j = this.pos + 2;
    let params: string[] = [];
    if (this.toks[j]?.text === '(') {
      const close = this.matching(j);
      params = this.paramNames(j + 1, close - 1);
      j = close;
    }
    while (j < this.toks.length && this.toks[j]!.text !== ':' && this.toks[j]!.kind !== 'newline') j++;
    if (this.toks[j]?.text !== ':') return false;
    const end = this.pythonBlockEnd(j + 1, t.indent);
    const span = { start: t.start, end };
    if (t.text === 'class') {
      this.classes.push({ name: name.text, span, bases: params });
    } else {
      const owner = params[0] === 'self' || params[0] === 'cls' ? params.slice(1) : params;
      this.functions.push({ name: name.text, params: owner, span, body: { start: this.toks[j]!.end, end }, className: null, annotations: this.annotations });
    }
    this.annotations = [];
    this.pos = j + 1;
    this.lastEnd = this.toks[j]!.end;
    return true;
  }

  /** End offset of the Python block whose header ends before token `i`, for a header indented `indent`. */
  private pythonBlockEnd(i: number, indent: number): number {
    let end = this.toks[i - 1]!.end;
    if (this.toks[i] && this.toks[i]!.kind !== 'newline') {
      // One-line body: `def f(x): return x`.
      while (i < this.toks.length && this.toks[i]!.kind !== 'newline') end = this.toks[i++]!.end;
      return end;
    }
    for (; i < this.toks.length; i++) {
      const x = this.toks[i]!;
      if (x.kind === 'newline') continue;
      if (x.indent <= indent) break;
      end = x.end;
    }
    return end;
  }

  /** Index of the `{` that opens a Go function body after its signature, or -1. */
  private skipToBrace(j: number): number {
    while (j < this.toks.length) {
      const x = this.toks[j]!;
      if (x.text === '{' && x.kind === 'op') {
        // `func f() struct{…} {` and `interface{}` results: a type literal's braces are not the body.
        const prev = this.toks[j - 1];
        if (prev && (prev.text === 'struct' || prev.text === 'interface')) { j = this.matching(j); continue; }
        return j;
      }
      if (x.kind === 'newline' || x.text === ';') return -1;
      if (x.text === '(' || x.text === '[') { j = this.matching(j); continue; }
      j++;
    }
    return -1;
  }

  private defineFunction(name: string | null, params: string[], start: number, brace: number, className: string | null): FunctionDef {
    const close = this.matching(brace);
    const end = (this.toks[close - 1] ?? this.toks[this.toks.length - 1]!).end;
    const fn: FunctionDef = {
      name, params, span: { start, end }, body: { start: this.toks[brace]!.start, end }, className, annotations: this.annotations,
    };
    this.functions.push(fn);
    this.annotations = [];
    this.pos = brace + 1;
    this.block(() => this.statements('}'));
    this.lastEnd = end;
    return fn;
  }

  /** Parameter names between tokens [from, to): the last name before each top-level comma. */
  private paramNames(from: number, to: number): string[] {
    const names: string[] = [];
    let last: string | null = null;
    let d = 0;
    let seenColon = false;
    const flush = (): void => { if (last !== null) names.push(last); last = null; seenColon = false; };
    for (let j = from; j < to; j++) {
      const x = this.toks[j]!;
      if (x.kind === 'op') {
        if (x.text === '(' || x.text === '[' || x.text === '{' || x.text === '<') d++;
        else if (x.text === ')' || x.text === ']' || x.text === '}' || x.text === '>') d--;
        else if (x.text === ',' && d === 0) flush();
        else if ((x.text === ':' || x.text === '=') && d === 0) seenColon = true;
        continue;
      }
      if (x.kind !== 'ident' || d !== 0 || seenColon) continue;
      // Java and Python name the parameter last or alone; Go names it first (`key string`).
      if (this.lang === 'go') { if (last === null) last = x.text; } else last = x.text;
    }
    flush();
    return names;
  }

  // ── expressions ─────────────────────────────────────────────────────────

  private expression(): Expr | null {
    if (++this.depth > MAX_DEPTH) { this.depth--; return null; }
    try {
      const left = this.ternary();
      if (!left) return null;
      const t = this.peek();
      if (t?.kind === 'op' && ASSIGN_OPS.has(t.text)) {
        this.next();
        const value = this.expression();
        if (!value) return left;
        return { k: 'assign', op: t.text, target: left, value, span: { start: left.span.start, end: value.span.end } };
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  /** An expression that stops before `=`: a Python annotation's type. */
  private expressionNoAssign(): Expr | null {
    return this.ternary();
  }

  private ternary(): Expr | null {
    const test = this.binary(0);
    if (!test) return null;
    if (this.lang === 'java' && this.isOp('?')) {
      this.next();
      const then = this.expression();
      if (!then || !this.accept(':')) return test;
      const otherwise = this.expression();
      if (!otherwise) return test;
      return { k: 'cond', test, then, otherwise, span: { start: test.span.start, end: otherwise.span.end } };
    }
    if (this.lang === 'python' && this.isWord('if') && this.peek(1)?.kind !== 'newline') {
      // `a if cond else b`: only an expression continues with `if` on the same line.
      const save = this.pos;
      this.next();
      const cond = this.binary(0);
      if (cond && this.isWord('else')) {
        this.next();
        const otherwise = this.expression();
        if (otherwise) return { k: 'cond', test: cond, then: test, otherwise, span: { start: test.span.start, end: otherwise.span.end } };
      }
      this.pos = save;
    }
    if (this.lang === 'java' && this.isOp('->')) return this.lambda(test);
    return test;
  }

  private binaryOp(): { op: string; tokens: number } | null {
    const t = this.peek();
    if (!t) return null;
    if (t.kind === 'op') {
      if (t.text === '@' && this.lang !== 'python') return null;
      return t.text in PRECEDENCE ? { op: t.text, tokens: 1 } : null;
    }
    if (t.kind !== 'ident') return null;
    if (this.lang === 'python') {
      if (t.text === 'not' && this.isWord('in', 1)) return { op: 'not in', tokens: 2 };
      if (t.text === 'is' && this.isWord('not', 1)) return { op: 'is not', tokens: 2 };
      if (t.text === 'and' || t.text === 'or' || t.text === 'in' || t.text === 'is') return { op: t.text, tokens: 1 };
    }
    if (this.lang === 'java' && t.text === 'instanceof') return { op: t.text, tokens: 1 };
    return null;
  }

  private binary(minPrec: number): Expr | null {
    let left = this.unary();
    if (!left) return null;
    for (;;) {
      const op = this.binaryOp();
      if (!op) return left;
      const prec = PRECEDENCE[op.op]!;
      if (prec < minPrec) return left;
      const save = this.pos;
      for (let i = 0; i < op.tokens; i++) this.next();
      const right = this.binary(op.op === '**' ? prec : prec + 1);
      if (!right) { this.pos = save; return left; }
      left = { k: 'binary', op: op.op, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private unary(): Expr | null {
    const t = this.peek();
    if (!t) return null;
    if (t.kind === 'op' && PREFIX_OPS.has(t.text)) {
      this.next();
      const operand = this.unary();
      if (!operand) return null;
      if (t.text === '-' && operand.k === 'num') return { k: 'num', value: -operand.value, span: this.span(t.start) };
      return { k: 'unary', op: t.text, operand, span: this.span(t.start) };
    }
    if (t.kind === 'ident' && PREFIX_WORDS[this.lang].has(t.text)) {
      this.next();
      const operand = this.unary();
      if (!operand) return null;
      return { k: 'unary', op: t.text, operand, span: this.span(t.start) };
    }
    if (t.kind === 'ident' && t.text === 'new' && this.lang === 'java') return this.javaNew();
    const p = this.primary();
    return p ? this.postfix(p) : null;
  }

  private javaNew(): Expr | null {
    const start = this.next().start;
    let callee: Expr | null = this.typeName();
    if (!callee) return null;
    if (this.isOp('[')) {
      while (this.isOp('[')) {
        this.next();
        const size = this.isOp(']') ? undefined : (this.grouped++, this.expression() ?? undefined);
        if (size !== undefined) this.grouped--;
        this.accept(']');
        callee = { k: 'index', object: callee, index: size, span: this.span(start) };
      }
      if (this.isOp('{')) this.record(undefined, start);
      return { k: 'call', callee, args: [], isNew: true, span: this.span(start) };
    }
    const args = this.isOp('(') ? this.args() : [];
    const call: Expr = { k: 'call', callee, args, isNew: true, span: this.span(start) };
    if (this.isOp('{')) {
      // An anonymous class: its methods are definitions like any other.
      const brace = this.pos;
      this.next();
      this.block(() => this.statements('}'));
      this.classes.push({ name: dottedText(callee), span: { start: this.toks[brace]!.start, end: this.lastEnd }, bases: [dottedText(callee)] });
      return { ...call, span: this.span(start) };
    }
    return this.postfix(call);
  }

  /** A (possibly qualified, possibly generic) type name after `new`. */
  private typeName(): Expr | null {
    const t = this.peek();
    if (t?.kind !== 'ident') return null;
    this.next();
    let e: Expr = { k: 'name', name: t.text, span: { start: t.start, end: t.end } };
    for (;;) {
      if (this.isOp('.') && this.peek(1)?.kind === 'ident') {
        this.next();
        const n = this.next();
        e = { k: 'member', object: e, name: n.text, span: { start: e.span.start, end: n.end } };
      } else if (this.isOp('<') && this.skipTypeArguments()) {
        continue;
      } else return e;
    }
  }

  /** Skips Java type arguments `<K, List<V>>` at the cursor if they are ones; true when skipped. */
  private skipTypeArguments(): boolean {
    if (this.lang !== 'java') return false;
    let i = this.pos;
    while (this.toks[i]?.kind === 'newline') i++;
    let d = 0;
    for (; i < this.toks.length; i++) {
      const x = this.toks[i]!;
      if (x.kind === 'op') {
        if (x.text === '<') d++;
        else if (x.text === '>' || x.text === '>>' || x.text === '>>>') {
          d -= x.text.length;
          if (d <= 0) break;
        } else if (!['.', ',', '?', '[', ']', '&'].includes(x.text)) return false;
      } else if (x.kind !== 'ident') return false;
    }
    if (d !== 0) return false;
    const after = this.toks[i + 1];
    if (after && !(after.kind === 'ident' || ['(', ')', '>', ',', '::', '[', '...', '{', ';', '='].includes(after.text))) return false;
    this.pos = i + 1;
    this.lastEnd = this.toks[i]!.end;
    return true;
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (!t) return e;
      const start = e.span.start;
      if (t.kind === 'op' && (t.text === '.' || t.text === '?.' || t.text === '::')) {
        const n = this.peek(1);
        if (n?.kind === 'ident') {
          this.next(); this.next();
          e = { k: 'member', object: e, name: n.text, span: this.span(start) };
          continue;
        }
        if (n?.text === '(' && this.lang === 'go') {
          // A type assertion `x.(T)`: the value stays what it was.
          this.next();
          this.pos = this.matching(this.pos);
          this.lastEnd = this.toks[this.pos - 1]!.end;
          continue;
        }
        return e;
      }
      if (t.kind === 'op' && t.text === '(') {
        e = { k: 'call', callee: e, args: this.args(), isNew: false, span: this.span(start) };
        continue;
      }
      if (t.kind === 'op' && t.text === '[') {
        this.next();
        this.grouped++;
        const index = this.isOp(']') ? undefined : this.sliceOrExpression() ?? undefined;
        this.closeGroup(']');
        e = { k: 'index', object: e, index, span: this.span(start) };
        continue;
      }
      if (t.kind === 'op' && (t.text === '++' || t.text === '--') && this.lang !== 'python') {
        this.next();
        e = { k: 'unary', op: t.text, operand: e, span: this.span(start) };
        continue;
      }
      if (t.kind === 'op' && t.text === '<' && this.skipTypeArguments()) continue;
      if (t.kind === 'op' && t.text === '{' && this.lang === 'go' && !this.noComposite && isTypeLike(e)) {
        e = this.record(e, start);
        continue;
      }
      return e;
    }
  }

  private sliceOrExpression(): Expr | null {
    const first = this.isOp(':') ? null : this.expression();
    while (this.isOp(':')) {
      this.next();
      if (!this.isOp(']') && !this.isOp(':')) this.expression();
    }
    return first;
  }

  /** Consumes tokens up to and including `close`, stepping over anything unparsed. */
  private closeGroup(close: string): void {
    while (this.pos < this.toks.length && !this.isOp(close)) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) this.pos = this.matching(this.pos);
      else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) break;
      else this.pos++;
    }
    this.accept(close);
    this.grouped--;
  }

  private args(): Arg[] {
    this.next();
    this.grouped++;
    const args: Arg[] = [];
    for (const e of this.items(')')) {
      if (e.k === 'assign' && e.op === '=' && e.target.k === 'name') args.push({ name: e.target.name, value: e.value });
      else args.push({ value: e });
    }
    this.closeGroup(')');
    return args;
  }

  /** Comma-separated expressions up to `close` (not consumed). */
  private items(close: string): Expr[] {
    const out: Expr[] = [];
    while (this.pos < this.toks.length && !this.isOp(close)) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op' && t.text === ',') { this.next(); continue; }
      if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) break;
      if (this.lang === 'python' && t.kind === 'ident' && (t.text === 'for' || t.text === 'async')) {
        // A comprehension: what follows `for` is iteration, not more items.
        this.loops.push({ start: t.start, end: t.end });
        while (this.pos < this.toks.length && !this.isOp(close)) {
          const x = this.peek()!;
          if (x.kind === 'op' && (x.text === '(' || x.text === '[' || x.text === '{')) this.pos = this.matching(this.pos);
          else if (x.kind === 'op' && (x.text === ')' || x.text === ']' || x.text === '}')) break;
          else this.next();
        }
        break;
      }
      const before = this.pos;
      const e = this.expression();
      if (e) out.push(e);
      else if (this.pos === before) this.next();
    }
    return out;
  }

  private primary(): Expr | null {
    const t = this.peek();
    if (!t || t.kind === 'newline') return null;
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number':
        this.next();
        return { k: 'num', value: t.num!, span };
      case 'string': {
        this.next();
        let value = t.str!;
        let template = t.template === true;
        // Adjacent literals concatenate in Python ("a" "b") and are common in long SQL strings.
        while (this.lang === 'python' && this.peek()?.kind === 'string') {
          const s = this.next();
          value += s.str!;
          template ||= s.template === true;
        }
        return { k: 'str', value, template, span: this.span(t.start) };
      }
      case 'ident':
        return this.word(t);
      case 'op':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.listOrGoType();
        if (t.text === '{') return this.lang === 'go' ? null : this.record(undefined, t.start);
        return null;
    }
    return null;
  }

  private word(t: Token): Expr | null {
    const span = { start: t.start, end: t.end };
    const w = t.text;
    if (w === 'true' || w === 'True') { this.next(); return { k: 'bool', value: true, span }; }
    if (w === 'false' || w === 'False') { this.next(); return { k: 'bool', value: false, span }; }
    if (w === 'null' || w === 'nil' || w === 'None') { this.next(); return { k: 'null', span }; }
    if (this.words.has(w) && !(this.lang === 'go' && (w === 'chan' || w === 'struct' || w === 'interface'))) return null;
    if (this.lang === 'python' && w === 'lambda') return this.pythonLambda();
    if (this.lang === 'go' && w === 'func' && this.isOp('(', 1)) return this.goFuncLiteral();
    if (this.lang === 'go' && w === 'map' && this.isOp('[', 1)) {
      this.next();
      this.pos = this.matching(this.pos);
      const value = this.typeName();
      return { k: 'name', name: `map[]${value ? dottedText(value) : ''}`, span: this.span(t.start) };
    }
    this.next();
    if (this.lang === 'java' && this.isOp('->')) return this.lambda({ k: 'name', name: w, span });
    return { k: 'name', name: w, span };
  }

  private parenthesized(): Expr | null {
    const open = this.next();
    this.grouped++;
    const inner = this.items(')');
    this.closeGroup(')');
    const span = this.span(open.start);
    const group: Expr = inner.length === 1 ? inner[0]! : { k: 'list', items: inner, span };
    if (this.lang === 'java' && this.isOp('->')) return this.lambda(group, open.start);
    // A Java cast `(int) x` or `(Foo) bar`: the value is what follows.
    if (this.lang === 'java' && inner.length === 1 && isTypeLike(inner[0]!) && castTarget(inner[0]!)) {
      const n = this.peek();
      if (n && (n.kind === 'ident' || n.kind === 'number' || n.kind === 'string' || (n.kind === 'op' && n.text === '('))) {
        const operand = this.unary();
        if (operand) return operand;
      }
    }
    return inner.length === 1 ? { ...group, span } : group;
  }

  private listOrGoType(): Expr | null {
    const open = this.peek()!;
    if (this.lang === 'go') {
      // `[]byte(s)`, `[]string{…}`, `[4]int{…}`: a type that a conversion or a literal follows.
      const close = this.matching(this.pos);
      if (close - this.pos <= 3) {
        this.pos = close;
        const elem = this.typeName();
        const type: Expr = { k: 'name', name: `[]${elem ? dottedText(elem) : ''}`, span: this.span(open.start) };
        return this.isOp('{') ? this.record(type, open.start) : type;
      }
    }
    this.next();
    this.grouped++;
    const items = this.items(']');
    this.closeGroup(']');
    return { k: 'list', items, span: this.span(open.start) };
  }

  /** `{ key: value, … }` (Python dict, Go composite literal, Java array initializer). */
  private record(type: Expr | undefined, start: number): Expr {
    this.next();
    this.grouped++;
    const noComposite = this.noComposite;
    this.noComposite = false;
    const entries: RecordEntry[] = [];
    while (this.pos < this.toks.length && !this.isOp('}')) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op' && t.text === ',') { this.next(); continue; }
      if (t.kind === 'op' && (t.text === ')' || t.text === ']')) break;
      if (t.kind === 'op' && t.text === '{') {
        // An element whose type is elided: `[]T{{…}, {…}}`.
        entries.push({ value: this.record(undefined, t.start) });
        continue;
      }
      if (this.lang === 'python' && t.kind === 'ident' && t.text === 'for') { this.items('}'); break; }
      const before = this.pos;
      const first = this.expression();
      if (!first) { if (this.pos === before) this.next(); continue; }
      if (this.accept(':')) {
        const value = this.isOp('{') ? this.record(undefined, this.peek()!.start) : this.expression();
        if (value) entries.push({ key: keyText(first), value });
      } else entries.push({ value: first });
    }
    this.noComposite = noComposite;
    this.closeGroup('}');
    return { k: 'record', type, entries, span: this.span(type ? type.span.start : start) };
  }

  private lambda(params: Expr, start = params.span.start): Expr {
    this.next();
    const names = params.k === 'list' ? params.items.map(dottedText) : [dottedText(params)];
    return this.functionLiteral(names, start);
  }

  private pythonLambda(): Expr {
    const start = this.next().start;
    const names: string[] = [];
    while (this.pos < this.toks.length && !this.isOp(':')) {
      const t = this.next();
      if (t.kind === 'ident') names.push(t.text);
    }
    this.accept(':');
    return this.functionLiteral(names, start);
  }

  private goFuncLiteral(): Expr | null {
    const start = this.next().start;
    const close = this.matching(this.pos);
    const params = this.paramNames(this.pos + 1, close - 1);
    const brace = this.skipToBrace(close);
    if (brace < 0) { this.pos = close; return { k: 'other', span: this.span(start) }; }
    this.pos = brace;
    return this.functionLiteral(params, start);
  }

  /** The body after `->`, `:` or a Go signature: a block, or one expression listed on its own. */
  private functionLiteral(params: string[], start: number): Expr {
    const fn: FunctionDef = { name: null, params, span: { start, end: start }, body: { start, end: start }, className: null, annotations: [] };
    if (this.isOp('{')) {
      const brace = this.peek()!;
      this.next();
      this.block(() => this.statements('}'));
      fn.body = { start: brace.start, end: this.lastEnd };
    } else {
      const body = this.expression();
      if (body) {
        this.exprs.push(body);
        fn.body = body.span;
      }
    }
    fn.span = { start, end: Math.max(fn.body.end, start) };
    this.functions.push(fn);
    return { k: 'func', fn, span: fn.span };
  }
}

function dottedText(e: Expr): string {
  switch (e.k) {
    case 'name': return e.name;
    case 'member': return `${dottedText(e.object)}.${e.name}`;
    default: return '?';
  }
}

function keyText(e: Expr): string {
  if (e.k === 'str') return e.value;
  if (e.k === 'num') return String(e.value);
  return dottedText(e);
}

/** An annotation's callee as one name, `@Transactional` or `@KafkaListener`, whatever its qualification. */
function renamed(e: Expr, prefix: string): Expr {
  if (e.k === 'name' || e.k === 'member') return { k: 'name', name: prefix + e.name, span: e.span };
  return e;
}

/** A name or qualified name that can stand for a type: what a Go composite literal or a cast needs. */
function isTypeLike(e: Expr): boolean {
  if (e.k === 'name') return !['if', 'for', 'switch', 'select', 'else', 'return', 'range', 'go', 'defer'].includes(e.name);
  if (e.k === 'member') return isTypeLike(e.object);
  if (e.k === 'unary') return e.op === '&' && isTypeLike(e.operand);
  if (e.k === 'index') return e.object.k === 'name';
  return false;
}

/** What a Java cast looks like: a primitive or a capitalised (possibly qualified) class name. */
function castTarget(e: Expr): boolean {
  if (e.k === 'name') return JAVA_PRIMITIVES.has(e.name) || /^[A-Z]/.test(e.name);
  if (e.k === 'member') return /^[A-Z]/.test(e.name);
  return false;
}

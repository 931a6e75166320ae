/**
 * A tolerant tokenizer for Java, Go and Python. A selection is often a fragment (half a method,
 * a config block without its imports), so nothing here fails: an unterminated string ends at the
 * end of its line, an unknown character becomes a one-character operator.
 */
import type { Language } from '../language';

export type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'newline';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Numeric value of a number token, decoded content of a string token. */
  num?: number;
  str?: string;
  /** A string with interpolated parts (Python f-strings), shown as `{expr}` in `str`. */
  template?: boolean;
  /** Column of the first token on this token's line: Python's block structure. */
  indent: number;
}

const OPS = [
  '>>>=', '<<=', '>>=', '>>>', '**=', '//=', '...', '&^=',
  ':=', '->', '=>', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '<<', '>>', '**', '//', '::', '&^', '<-', '?.', '??',
];

/** Go's semicolon insertion: a line break ends the statement after these operators and keywords, or after a name or literal. */
const GO_LINE_ENDING_OPS = new Set([')', ']', '}', '++', '--']);
const GO_KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);
const GO_LINE_ENDING_KEYWORDS = new Set(['break', 'continue', 'fallthrough', 'return']);

function endsGoStatement(last: Token): boolean {
  if (last.kind === 'number' || last.kind === 'string') return true;
  if (last.kind === 'ident') return !GO_KEYWORDS.has(last.text) || GO_LINE_ENDING_KEYWORDS.has(last.text);
  return last.kind === 'op' && GO_LINE_ENDING_OPS.has(last.text);
}

export function tokenize(text: string, lang: Exclude<Language, 'typescript' | 'javascript'>): Token[] {
  const out: Token[] = [];
  const python = lang === 'python';
  const slashComments = !python;
  let i = 0;
  let lineIndent = 0;
  let atLineStart = true;
  let depth = 0;
  const n = text.length;

  const push = (t: Omit<Token, 'indent'>): void => {
    out.push({ ...t, indent: lineIndent });
    atLineStart = false;
  };
  const newline = (at: number): void => {
    const last = out[out.length - 1];
    const wanted = last !== undefined && last.kind !== 'newline' && (python ? depth === 0 : lang === 'go' && endsGoStatement(last));
    if (wanted) out.push({ kind: 'newline', text: '\n', start: at, end: at + 1, indent: lineIndent });
    atLineStart = true;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { newline(i); i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (atLineStart) {
      // Column of the first significant character on this line.
      const ls = text.lastIndexOf('\n', i - 1) + 1;
      lineIndent = i - ls;
      atLineStart = false;
    }
    if (python && c === '\\' && text[i + 1] === '\n') { i += 2; continue; }
    if (python && c === '#') { while (i < n && text[i] !== '\n') i++; continue; }
    if (slashComments && c === '/' && text[i + 1] === '/') { while (i < n && text[i] !== '\n') i++; continue; }
    if (slashComments && c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      // A block comment spanning lines ends a Go statement like a line break would.
      if (lang === 'go' && text.slice(i, stop).includes('\n')) newline(i);
      i = stop;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      const word = text.slice(start, i);
      if (python && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(word) && (text[i] === '"' || text[i] === "'")) {
        i = readString(text, start, i, lang, push, /[fF]/.test(word), /[rR]/.test(word));
        continue;
      }
      push({ kind: 'ident', text: word, start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      i = readNumber(text, i);
      const raw = text.slice(start, i);
      push({ kind: 'number', text: raw, start, end: i, num: parseNumber(raw) });
      continue;
    }
    if (c === '"' || c === "'" || (c === '`' && lang === 'go')) {
      i = readString(text, start, i, lang, push, false, c === '`');
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i)) ?? c;
    i += op.length;
    if (op === '(' || op === '[' || op === '{') depth++;
    else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
    push({ kind: 'op', text: op, start, end: i });
  }
  newline(n);
  return out;
}

function readString(
  text: string,
  start: number,
  quoteAt: number,
  lang: Language,
  push: (t: Omit<Token, 'indent'>) => void,
  interpolated: boolean,
  raw: boolean,
): number {
  const n = text.length;
  const q = text[quoteAt]!;
  const triple = (lang === 'python' || lang === 'java') && text.startsWith(q.repeat(3), quoteAt);
  const close = triple ? q.repeat(3) : q;
  let i = quoteAt + close.length;
  let value = '';
  for (;;) {
    if (i >= n) break;
    if (text.startsWith(close, i)) { i += close.length; break; }
    const ch = text[i]!;
    // Single-line strings end at the line's end when unterminated (Go raw strings span lines).
    if (ch === '\n' && !triple && q !== '`') break;
    if (ch === '\\' && !raw && i + 1 < n) {
      const e = text[i + 1]!;
      value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  push({ kind: 'string', text: text.slice(start, i), start, end: i, str: value, template: interpolated && /\{[^}]*\}/.test(value) });
  return i;
}

function readNumber(text: string, i: number): number {
  const n = text.length;
  if (text[i] === '0' && /[xXbBoO]/.test(text[i + 1] ?? '')) {
    i += 2;
    while (i < n && /[0-9a-fA-F_]/.test(text[i]!)) i++;
  } else {
    while (i < n && /[0-9_]/.test(text[i]!)) i++;
    if (text[i] === '.' && /[0-9]/.test(text[i + 1] ?? '')) { i++; while (i < n && /[0-9_]/.test(text[i]!)) i++; }
    else if (text[i] === '.' && !/[A-Za-z_.]/.test(text[i + 1] ?? '')) i++;
    if (/[eE]/.test(text[i] ?? '') && /[-+0-9]/.test(text[i + 1] ?? '')) {
      i += 2;
      while (i < n && /[0-9_]/.test(text[i]!)) i++;
    }
  }
  while (i < n && /[lLfFdDuUjJ]/.test(text[i]!)) i++;
  return i;
}

/** Parses a number as written in Java, Go or Python: 0x…, 0b…, 0o…, 1_000, 0.75f, 100L. */
export function parseNumber(raw: string): number {
  const s = raw.replace(/_/g, '');
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2).replace(/[lLuU]+$/, ''), 16);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2).replace(/[lLuU]+$/, ''), 2);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  return Number(s.replace(/[lLfFdDuUjJ]+$/, ''));
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c) || (c.charCodeAt(0) > 127 && /\p{L}/u.test(c));
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || (c.charCodeAt(0) > 127 && /[\p{L}\p{N}]/u.test(c));

/**
 * TypeScript and JavaScript through the TypeScript compiler's own parser, lowered into the shared
 * syntax tree. The compiler recovers from errors, so a fragment still yields a tree for what it
 * could read.
 */
import ts from 'typescript';
import type { Language } from '../language';
import type { Arg, ClassDef, Expr, FunctionDef, RecordEntry, SourceUnit, Span } from './tree';

export function parseTypeScript(text: string, lang: Extract<Language, 'typescript' | 'javascript'>): SourceUnit {
  const sf = ts.createSourceFile(lang === 'typescript' ? 'selection.ts' : 'selection.js', text, ts.ScriptTarget.Latest, true, lang === 'typescript' ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const lowering = new Lowering(sf);
  lowering.statementsOf(sf);
  lowering.exprs.sort((a, b) => a.span.start - b.span.start);
  return { lang, text, exprs: lowering.exprs, functions: lowering.functions, classes: lowering.classes, loops: lowering.loops };
}

type FunctionNode = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.ArrowFunction | ts.FunctionExpression;

class Lowering {
  readonly exprs: Expr[] = [];
  readonly functions: FunctionDef[] = [];
  readonly classes: ClassDef[] = [];
  readonly loops: Span[] = [];
  private readonly className: (string | null)[] = [null];

  constructor(private readonly sf: ts.SourceFile) {}

  private span(n: ts.Node): Span {
    return { start: n.getStart(this.sf), end: n.getEnd() };
  }

  /** Lowers every statement below `node`; each maximal expression becomes one entry of `exprs`. */
  statementsOf(node: ts.Node): void {
    ts.forEachChild(node, (child) => this.statement(child));
  }

  private statement(n: ts.Node): void {
    if (ts.isTypeNode(n) || ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isParameter(n) || ts.isImportDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isInterfaceDeclaration(n)) return;
    if (isFunctionNode(n)) { this.func(n, nameOf(n)); return; }
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) { this.classDecl(n); return; }
    if (ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) {
      const s = n.getStart(this.sf);
      this.loops.push({ start: s, end: s + (ts.isDoStatement(n) ? 2 : ts.isWhileStatement(n) ? 5 : 3) });
    }
    if (ts.isVariableDeclaration(n)) {
      if (n.initializer) {
        const target: Expr = ts.isIdentifier(n.name) ? { k: 'name', name: n.name.text, span: this.span(n.name) } : { k: 'other', span: this.span(n.name) };
        const value = this.lower(n.initializer, ts.isIdentifier(n.name) ? n.name.text : null);
        this.exprs.push({ k: 'assign', op: '=', target, value, span: this.span(n) });
      }
      return;
    }
    if (ts.isPropertyDeclaration(n)) {
      if (n.initializer) {
        const name = propertyName(n.name);
        const target: Expr = { k: 'member', object: { k: 'name', name: 'this', span: this.span(n.name) }, name, span: this.span(n.name) };
        this.exprs.push({ k: 'assign', op: '=', target, value: this.lower(n.initializer, name), span: this.span(n) });
      }
      return;
    }
    if (ts.isDecorator(n)) return;
    if (ts.isExpression(n)) { this.exprs.push(this.lower(n)); return; }
    this.statementsOf(n);
  }

  private classDecl(n: ts.ClassDeclaration | ts.ClassExpression): void {
    const name = n.name?.text ?? 'anonymous class';
    const bases = (n.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(this.sf)));
    this.classes.push({ name, span: this.span(n), bases });
    this.className.push(name);
    for (const m of n.members) this.statement(m);
    this.className.pop();
  }

  private func(n: FunctionNode, name: string | null): FunctionDef {
    const params = n.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : p.name.getText(this.sf)));
    const annotations = (ts.canHaveDecorators(n) ? ts.getDecorators(n) ?? [] : []).map((d) => this.decorator(d));
    const body = n.body ?? n;
    const fn: FunctionDef = {
      name, params, span: this.span(n), body: this.span(body), annotations,
      className: ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) ? null : this.className[this.className.length - 1] ?? null,
    };
    this.functions.push(fn);
    if (n.body) {
      if (ts.isBlock(n.body)) this.statementsOf(n.body);
      else this.exprs.push(this.lower(n.body));
    }
    return fn;
  }

  /** A decorator as a call named "@Name", like a Java annotation. */
  private decorator(d: ts.Decorator): Expr {
    const e = this.lower(d.expression);
    const span = this.span(d);
    const rename = (callee: Expr): Expr => ({ k: 'name', name: `@${callee.k === 'name' || callee.k === 'member' ? callee.name : '?'}`, span: callee.span });
    const ann: Expr = e.k === 'call' ? { ...e, callee: rename(e.callee), span } : { k: 'call', callee: rename(e), args: [], isNew: false, span };
    this.exprs.push(ann);
    return ann;
  }

  lower(n: ts.Expression, name: string | null = null): Expr {
    const span = this.span(n);
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n))
      return this.lower(n.expression, name);
    if (ts.isNumericLiteral(n)) return { k: 'num', value: Number(n.text.replace(/_/g, '')), span };
    if (ts.isBigIntLiteral(n)) return { k: 'num', value: Number(n.text.replace(/n$/, '').replace(/_/g, '')), span };
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return { k: 'str', value: n.text, template: false, span };
    if (ts.isTemplateExpression(n)) {
      let value = n.head.text;
      for (const s of n.templateSpans) {
        value += `{${s.expression.getText(this.sf)}}` + s.literal.text;
        this.exprs.push(this.lower(s.expression));
      }
      return { k: 'str', value, template: true, span };
    }
    if (n.kind === ts.SyntaxKind.TrueKeyword) return { k: 'bool', value: true, span };
    if (n.kind === ts.SyntaxKind.FalseKeyword) return { k: 'bool', value: false, span };
    if (n.kind === ts.SyntaxKind.NullKeyword) return { k: 'null', span };
    if (n.kind === ts.SyntaxKind.ThisKeyword) return { k: 'name', name: 'this', span };
    if (n.kind === ts.SyntaxKind.SuperKeyword) return { k: 'name', name: 'super', span };
    if (ts.isIdentifier(n)) return { k: 'name', name: n.text, span };
    if (ts.isPropertyAccessExpression(n)) return { k: 'member', object: this.lower(n.expression), name: n.name.text, span };
    if (ts.isElementAccessExpression(n)) return { k: 'index', object: this.lower(n.expression), index: this.lower(n.argumentExpression), span };
    if (ts.isCallExpression(n)) return { k: 'call', callee: this.lower(n.expression), args: this.args(n.arguments), isNew: false, span };
    if (ts.isNewExpression(n)) return { k: 'call', callee: this.lower(n.expression), args: this.args(n.arguments ?? ts.factory.createNodeArray()), isNew: true, span };
    if (ts.isTaggedTemplateExpression(n)) return { k: 'call', callee: this.lower(n.tag), args: [{ value: this.lower(n.template) }], isNew: false, span };
    if (ts.isBinaryExpression(n)) {
      const op = ts.tokenToString(n.operatorToken.kind) ?? '?';
      const left = this.lower(n.left);
      const right = this.lower(n.right, n.left.kind === ts.SyntaxKind.Identifier ? (n.left as ts.Identifier).text : null);
      if (isAssignmentOperator(n.operatorToken.kind)) return { k: 'assign', op, target: left, value: right, span };
      return { k: 'binary', op, left, right, span };
    }
    if (ts.isPrefixUnaryExpression(n)) {
      const operand = this.lower(n.operand);
      const op = ts.tokenToString(n.operator) ?? '?';
      if (op === '-' && operand.k === 'num') return { k: 'num', value: -operand.value, span };
      return { k: 'unary', op, operand, span };
    }
    if (ts.isPostfixUnaryExpression(n)) return { k: 'unary', op: ts.tokenToString(n.operator) ?? '?', operand: this.lower(n.operand), span };
    if (ts.isAwaitExpression(n)) return { k: 'unary', op: 'await', operand: this.lower(n.expression), span };
    if (ts.isTypeOfExpression(n)) return { k: 'unary', op: 'typeof', operand: this.lower(n.expression), span };
    if (ts.isVoidExpression(n)) return { k: 'unary', op: 'void', operand: this.lower(n.expression), span };
    if (ts.isDeleteExpression(n)) return { k: 'unary', op: 'delete', operand: this.lower(n.expression), span };
    if (ts.isSpreadElement(n)) return { k: 'unary', op: '...', operand: this.lower(n.expression), span };
    if (ts.isConditionalExpression(n)) return { k: 'cond', test: this.lower(n.condition), then: this.lower(n.whenTrue), otherwise: this.lower(n.whenFalse), span };
    if (ts.isArrayLiteralExpression(n)) return { k: 'list', items: n.elements.map((e) => this.lower(e)), span };
    if (ts.isObjectLiteralExpression(n)) return { k: 'record', entries: n.properties.map((p) => this.property(p)).filter((e): e is RecordEntry => e !== null), span };
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return { k: 'func', fn: this.func(n, n.name?.text ?? name), span };
    if (ts.isClassExpression(n)) { this.classDecl(n); return { k: 'other', span }; }
    this.statementsOf(n);
    return { k: 'other', span };
  }

  private args(list: ts.NodeArray<ts.Expression>): Arg[] {
    return list.map((a) => ({ value: this.lower(a) }));
  }

  private property(p: ts.ObjectLiteralElementLike): RecordEntry | null {
    if (ts.isPropertyAssignment(p)) { const key = propertyName(p.name); return { key, value: this.lower(p.initializer, key) }; }
    if (ts.isShorthandPropertyAssignment(p)) return { key: p.name.text, value: { k: 'name', name: p.name.text, span: this.span(p.name) } };
    if (ts.isSpreadAssignment(p)) return { value: this.lower(p.expression) };
    if (ts.isMethodDeclaration(p)) { const key = propertyName(p.name); return { key, value: { k: 'func', fn: this.func(p, key), span: this.span(p) } }; }
    return null;
  }
}

function isFunctionNode(n: ts.Node): n is FunctionNode {
  return ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n);
}

function nameOf(n: FunctionNode): string | null {
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  if (ts.isArrowFunction(n)) return null;
  return n.name ? propertyName(n.name) : null;
}

function propertyName(n: ts.PropertyName | ts.BindingName): string {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  return n.getText();
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

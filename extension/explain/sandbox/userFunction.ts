/**
 * Turns a selected TypeScript or JavaScript hash function into a script the sandbox can run: finds
 * the function (a declaration, an arrow or function assigned to a name, a lone arrow, or a class
 * method), refuses anything that imports modules, and strips the types with the TypeScript
 * compiler. What comes out is plain JavaScript plus the expression that names the function.
 */
import ts from 'typescript';
import { UserError } from '../../engines/core/model';

export interface PreparedFunction {
  /** The function's name as selected, or "anonymous function". */
  name: string;
  /** JavaScript that defines the function (and anything else the selection declares). */
  script: string;
  /** An expression that evaluates to the function once `script` has run. */
  entry: string;
}

const ENTRY = '__dsiSelected';
const WRAPPER_CLASS = '__DsiSelection';

export function prepareUserFunction(selection: string, lang: 'typescript' | 'javascript'): PreparedFunction {
  if (selection.trim() === '') throw new UserError('The selection is empty. Select a function that takes a key (a string) and returns a number.');
  const kind = lang === 'typescript' ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  let source = selection;
  let sf = ts.createSourceFile('selection.ts', source, ts.ScriptTarget.ES2022, true, kind);
  let found = findFunction(sf);
  if (!found) {
    // A method selected on its own (`hash(key: string) { … }`) parses only inside a class body.
    const wrapped = `class ${WRAPPER_CLASS} {\n${selection}\n}`;
    const wsf = ts.createSourceFile('selection.ts', wrapped, ts.ScriptTarget.ES2022, true, kind);
    const method = firstMethod(wsf);
    if (method) {
      source = wrapped;
      sf = wsf;
      found = { name: method, entry: `((o) => (key) => o.${method}(key))(new ${WRAPPER_CLASS}())` };
    }
  }
  if (!found)
    throw new UserError('The selection holds no function. Select one function that takes a key (a string) and returns a number, e.g. `function h(s) { … }` or `const h = (s) => …`.');
  checkNoModules(sf);
  if (found.anonymous) source = `const ${ENTRY} = ${selection.trim().replace(/;\s*$/, '')};`;
  const out = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, removeComments: true, isolatedModules: true },
  });
  const error = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) {
    const where = error.file && error.start !== undefined ? ` (line ${error.file.getLineAndCharacterOfPosition(error.start).line + 1})` : '';
    throw new UserError(`The selection does not parse as ${lang === 'typescript' ? 'TypeScript' : 'JavaScript'}${where}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ').replace(/\.$/, '')}. Select the whole function.`);
  }
  return { name: found.name, script: out.outputText, entry: found.anonymous ? ENTRY : found.entry };
}

interface Found {
  name: string;
  entry: string;
  anonymous?: boolean;
}

/** The function to run: one whose name says "hash" if there are several, else the last one declared. */
function findFunction(sf: ts.SourceFile): Found | undefined {
  const candidates: Found[] = [];
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) candidates.push({ name: st.name.text, entry: st.name.text });
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && isFunctionExpression(d.initializer)) candidates.push({ name: d.name.text, entry: d.name.text });
      }
    } else if (ts.isExpressionStatement(st) && isFunctionExpression(st.expression) && sf.statements.length === 1) {
      candidates.push({ name: 'anonymous function', entry: ENTRY, anonymous: true });
    }
  }
  return candidates.find((c) => /hash/i.test(c.name)) ?? candidates[candidates.length - 1];
}

function isFunctionExpression(e: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}

function firstMethod(sf: ts.SourceFile): string | undefined {
  const cls = sf.statements.find(ts.isClassDeclaration);
  if (!cls || sf.statements.length !== 1) return undefined;
  const methods = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.body !== undefined);
  const pick = methods.find((m) => /hash/i.test((m.name as ts.Identifier).text)) ?? methods[methods.length - 1];
  return pick ? (pick.name as ts.Identifier).text : undefined;
}

/** The sandbox has no modules: say so before running rather than fail on `require is not defined`. */
function checkNoModules(sf: ts.SourceFile): void {
  const visit = (n: ts.Node): void => {
    const what =
      ts.isImportDeclaration(n) || ts.isImportEqualsDeclaration(n) ? n.getText(sf) :
      ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword ? 'import(…)' :
      ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' ? n.getText(sf) : null;
    if (what)
      throw new UserError(`The selection loads a module (${what.length > 60 ? `${what.slice(0, 59)}…` : what}), and the sandbox that runs selected code has no module access. Select a self-contained function that computes the hash itself.`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

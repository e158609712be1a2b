/**
 * Keeps docs/troubleshooting.md complete: every message the plugin can report to a person is
 * on the page. The messages are read from the source with the TypeScript compiler, never listed
 * here, so a message added later without its entry fails this spec.
 *
 * Which string is a message (the rule):
 * - Channels. The arguments of `new <Name>Error(...)`, of `super(...)` in a class named
 *   `<Name>Error`, of `logger.error(...)` and `logger.warn(...)`; the `why` and `fix` of an
 *   object literal that has a `fix` (a refusal, as setup prints it); an `outOfSyncMessage`.
 * - Flow. From a channel, values are followed back to where they are written: a variable to
 *   its initialiser, its assignments and what is `push`ed onto it (a `for ... of` variable to
 *   what it iterates); a parameter to the matching argument of every call of its function (so
 *   `fail(problem)` counts as `logger.error(...)`); a call of a function of src/ to what it
 *   returns; `x.p` to the `p` of the object literals `x` holds (destructuring likewise), `x[k]`
 *   to all of them; both sides of `?:`, `??`, `||`, `&&`; the elements of an array. A call of a
 *   library function (`join`, `map`, `filter`) is followed into its receiver and its callbacks.
 * - Templates. A string literal, template literal or `+` chain reached that way is a message
 *   template; each `${...}` in it is a wildcard, and is followed too (a message in a message).
 *   A template whose fixed text holds no two words in a row (a name, a path, `'them'`) is a
 *   value, not a message. The log prefix `nx-docker-stages: ` is left out.
 * - On the page. A template is documented when one code span or fenced block of the page holds
 *   its fixed fragments in order (whitespace collapsed): a `<placeholder>` may stand wherever the
 *   code has a `${...}`.
 * Spec files, test helpers (`test-*.ts`, `*.fixture.ts`) and `__fixtures__` are not read.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const REPO_ROOT = join(__dirname, '..', '..');
const SRC = join(__dirname, 'src');
const PAGE = 'docs/troubleshooting.md';
const LOG_PREFIX = 'nx-docker-stages: ';

/** A message as the code writes it: its fixed fragments, in order, with a wildcard between each two. */
interface MessageTemplate {
  /** `src/<path>:<line>`. */
  where: string;
  fragments: string[];
  /** The message with `…` for each wildcard, for people. */
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === '__fixtures__' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(spec|fixture|d)\.ts$/.test(entry) && !/^test-/.test(entry) ? [path] : [];
  });
}

/** Collapses runs of whitespace to one space, as Markdown renders them. */
const collapse = (text: string) => text.replace(/\s+/g, ' ');

/** Two words in a row: what tells a message from a name, a path or a single word. */
const isWords = (fixedText: string) => /[a-z]+ [a-z]+/i.test(collapse(fixedText.replace(LOG_PREFIX, ' ')));

/**
 * The message templates of `files` by the rule above. `program` must include them; its type
 * checker resolves calls and names across modules.
 */
function messageTemplates(program: ts.Program, files: string[], root: string): MessageTemplate[] {
  const checker = program.getTypeChecker();
  const ours = new Set(files.map((f) => f.split('\\').join('/')));
  const sources = program.getSourceFiles().filter((sf) => ours.has(sf.fileName));
  const found = new Map<ts.Node, MessageTemplate>();
  const seen = new Set<string>();

  /** Every call by the declaration it calls, and every assignment and `push` by the variable it writes. */
  const callsOf = new Map<ts.Node, ts.CallExpression[]>();
  const writesOf = new Map<ts.Symbol, ts.Expression[]>();
  const addTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => map.set(key, [...(map.get(key) ?? []), value]);
  const symbolOf = (node: ts.Node) => {
    const symbol = checker.getSymbolAtLocation(node);
    return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  };
  const calledDeclaration = (call: ts.CallExpression) => {
    const declaration = checker.getResolvedSignature(call)?.declaration;
    return declaration && ours.has(declaration.getSourceFile().fileName) && !ts.isJSDocSignature(declaration) ? declaration : undefined;
  };
  for (const sf of sources) {
    const index = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const declaration = calledDeclaration(node);
        if (declaration) addTo(callsOf, declaration, node);
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'push' && ts.isIdentifier(callee.expression)) {
          const target = symbolOf(callee.expression);
          if (target) for (const argument of node.arguments) addTo(writesOf, target, argument);
        }
      }
      if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken].includes(node.operatorToken.kind)) {
        const target = symbolOf(node.left);
        if (target) addTo(writesOf, target, node.right);
      }
      ts.forEachChild(node, index);
    };
    index(sf);
  }

  /** The parts of a string-valued literal expression (literal text, or a `${...}` expression), or null when it is none. */
  const parts = (node: ts.Expression): Array<string | ts.Expression> | null => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
    if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.flatMap((s) => [s.expression, s.literal.text])];
    if (ts.isParenthesizedExpression(node)) return parts(node.expression);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = parts(node.left);
      const right = parts(node.right);
      if (!left && !right) return null;
      return [...(left ?? [node.left]), ...(right ?? [node.right])];
    }
    return null;
  };

  const record = (node: ts.Expression, pieces: Array<string | ts.Expression>) => {
    const fragments: string[] = [];
    let current = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') current += piece;
      else {
        fragments.push(current);
        current = '';
        follow(piece, []);
      }
    }
    fragments.push(current);
    const cleaned = fragments.map((f, i) => collapse(i === 0 ? f.replace(LOG_PREFIX, '') : f).trim()).filter((f) => f !== '');
    if (!isWords(fragments.join(' '))) return;
    const sf = node.getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const text = collapse(fragments.join('…').replace(LOG_PREFIX, '')).trim();
    found.set(node, { where: `${relative(root, sf.fileName).split('\\').join('/')}:${line}`, fragments: cleaned, text });
  };

  /** What a function-like declaration returns: its expression body, or its `return`s (not those of functions inside it). */
  const returnsOf = (fn: ts.Node): ts.Expression[] => {
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isBlock(fn.body)) return [fn.body];
    const body = (fn as ts.FunctionLikeDeclarationBase).body;
    const returns: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) returns.push(node.expression);
      if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
    };
    if (body) ts.forEachChild(body, visit);
    return returns;
  };

  /** Where a variable's value comes from: its initialiser, or what its `for ... of` iterates. */
  const valueOfVariable = (declaration: ts.VariableDeclaration): ts.Expression | undefined => {
    if (declaration.initializer) return declaration.initializer;
    const statement = declaration.parent?.parent;
    return statement && ts.isForOfStatement(statement) ? statement.expression : undefined;
  };

  const followSymbol = (symbol: ts.Symbol | undefined, path: string[]) => {
    for (const declaration of symbol?.declarations ?? []) {
      if (ts.isVariableDeclaration(declaration)) {
        const value = valueOfVariable(declaration);
        if (value) follow(value, path);
      } else if (ts.isBindingElement(declaration)) {
        const field = (declaration.propertyName ?? declaration.name).getText();
        const holder = declaration.parent.parent;
        if (ts.isVariableDeclaration(holder)) {
          const value = valueOfVariable(holder);
          if (value) follow(value, [field, ...path]);
        } else if (ts.isParameter(holder)) followParameter(holder, [field, ...path]);
      } else if (ts.isParameter(declaration)) followParameter(declaration, path);
    }
    for (const write of symbol ? (writesOf.get(symbol) ?? []) : []) follow(write, path);
  };

  const followParameter = (parameter: ts.ParameterDeclaration, path: string[]) => {
    const index = parameter.parent.parameters.indexOf(parameter);
    for (const call of callsOf.get(parameter.parent) ?? []) {
      const argument = call.arguments[index];
      if (argument) follow(argument, path);
    }
  };

  /**
   * Follows a value back to the strings it is written from; `path` is the fields still to select
   * from it. Each node is followed once per path, and a path deeper than any the code uses is not.
   */
  function follow(node: ts.Expression, path: string[]): void {
    const key = `${node.getSourceFile().fileName}:${node.pos}:${node.end}:${path.join('.')}`;
    if (seen.has(key) || path.length > 4) return;
    seen.add(key);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node) || ts.isSatisfiesExpression(node)) {
      return follow(node.expression, path);
    }
    const pieces = parts(node);
    if (pieces) {
      if (path.length === 0) record(node, pieces);
      return;
    }
    if (ts.isConditionalExpression(node)) {
      follow(node.whenTrue, path);
      follow(node.whenFalse, path);
    } else if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        follow(node.left, path);
        follow(node.right, path);
      }
    } else if (ts.isArrayLiteralExpression(node)) {
      // An array stands for its elements: `x[i]` selects one, and any other field applies to each.
      for (const elementPath of path[0] === '*' ? [path, path.slice(1)] : [path]) {
        for (const element of node.elements) follow(ts.isSpreadElement(element) ? element.expression : element, elementPath);
      }
    } else if (ts.isObjectLiteralExpression(node)) {
      if (path.length === 0) return;
      const [field, ...rest] = path;
      for (const property of node.properties) {
        const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        if (ts.isSpreadAssignment(property)) follow(property.expression, path);
        else if (field !== '*' && name !== field) continue;
        else if (ts.isPropertyAssignment(property)) follow(property.initializer, rest);
        else if (ts.isShorthandPropertyAssignment(property)) followSymbol(checker.getShorthandAssignmentValueSymbol(property), rest);
      }
    } else if (ts.isIdentifier(node)) {
      followSymbol(symbolOf(node), path);
    } else if (ts.isPropertyAccessExpression(node)) {
      follow(node.expression, [node.name.text, ...path]);
    } else if (ts.isElementAccessExpression(node)) {
      follow(node.expression, ['*', ...path]);
    } else if (ts.isCallExpression(node)) {
      const declaration = calledDeclaration(node);
      if (declaration) {
        for (const value of returnsOf(declaration)) follow(value, path);
        return;
      }
      // A library function: what it returns comes from its receiver and its callbacks.
      if (ts.isPropertyAccessExpression(node.expression)) follow(node.expression.expression, path);
      for (const argument of node.arguments) {
        if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) for (const value of returnsOf(argument)) follow(value, path);
      }
    }
  }

  /** The channels, in every source file. */
  for (const sf of sources) {
    const visit = (node: ts.Node): void => {
      const callee = ts.isNewExpression(node) || ts.isCallExpression(node) ? node.expression : undefined;
      const isErrorClass = (name: string | undefined) => name !== undefined && /Error$/.test(name);
      const enclosingClass = (n: ts.Node): ts.ClassLikeDeclaration | undefined => (ts.isClassLike(n) ? n : n.parent && enclosingClass(n.parent));
      const isChannel =
        (ts.isNewExpression(node) && callee && isErrorClass(ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined)) ||
        (ts.isCallExpression(node) && callee?.kind === ts.SyntaxKind.SuperKeyword && isErrorClass(enclosingClass(node)?.name?.text)) ||
        (ts.isCallExpression(node) &&
          callee !== undefined &&
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'logger' &&
          ['error', 'warn'].includes(callee.name.text));
      if (isChannel) for (const argument of (node as ts.CallExpression | ts.NewExpression).arguments ?? []) follow(argument, []);
      if (ts.isObjectLiteralExpression(node)) {
        const named = (name: string) =>
          node.properties.filter((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name);
        if (named('fix').length) for (const p of [...named('why'), ...named('fix')]) follow(p.initializer, []);
        for (const p of named('outOfSyncMessage')) follow(p.initializer, []);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...found.values()].sort((a, b) => a.where.localeCompare(b.where, undefined, { numeric: true }));
}

/** The text of every code span and fenced block of a Markdown page, whitespace collapsed. */
function codeSpans(markdown: string): string[] {
  const spans: string[] = [];
  const prose: string[] = [];
  let fence: string | null = null;
  let block: string[] = [];
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) {
      fence = marker;
      block = [];
    } else if (fence !== null && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') {
      spans.push(collapse(block.join('\n')).trim());
      fence = null;
    } else if (fence !== null) block.push(line);
    else prose.push(line);
  }
  const text = prose.join('\n');
  // CommonMark: a run of n backticks opens a span that the next run of exactly n backticks closes.
  const runs = [...text.matchAll(/`+/g)];
  for (let i = 0; i < runs.length; i++) {
    const close = runs.findIndex((r, j) => j > i && r[0].length === runs[i][0].length);
    if (close === -1) continue;
    spans.push(collapse(text.slice(runs[i].index! + runs[i][0].length, runs[close].index)).trim());
    i = close;
  }
  return spans;
}

/** Whether one span holds the template's fragments in order. */
function isDocumented(template: MessageTemplate, spans: string[]): boolean {
  return spans.some((span) => {
    let from = 0;
    for (const fragment of template.fragments) {
      const at = span.indexOf(fragment, from);
      if (at === -1) return false;
      from = at + fragment.length;
    }
    return true;
  });
}

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2021,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

describe('the rule that finds messages in the code', () => {
  /** The templates the rule finds in one module written here. */
  function templatesOf(code: string): string[] {
    const file = join(SRC, '__rule-example__.ts');
    const host = ts.createCompilerHost(compilerOptions);
    const readFile = host.readFile;
    host.readFile = (name) => (name === file ? code : readFile(name));
    host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists);
    const program = ts.createProgram([file], compilerOptions, host);
    return messageTemplates(program, [file], __dirname).map((t) => t.text);
  }

  it('finds a message thrown, logged, passed to a reporter, returned as a problem or pushed onto a list', () => {
    const code = `
      declare const logger: { error(m: string): void; warn(m: string): void; info(m: string): void };
      class StagingError extends Error {}
      function optionProblem(name: string, value?: string): string | undefined {
        if (value === undefined) return \`\${name}: the "value" option is not set; set it\`;
        return undefined;
      }
      function check(name: string) {
        const problems: string[] = [];
        problems.push('a pushed problem, named here');
        return { error: problems.join('; ') || 'no error at all' };
      }
      export function run(name: string, value?: string) {
        const fail = (message: string) => logger.error(\`nx-docker-stages: \${message}\`);
        const problem = optionProblem(name, value);
        if (problem) return fail(problem);
        const checked = check(name);
        if (checked.error) fail(checked.error);
        logger.info('an info line is no error');
        logger.warn(\`\${name}: a warning with \${value ? 'them' : 'it'}\`);
        throw new StagingError(\`\${name}: staging failed\` + '; run it again');
      }
    `;
    expect(templatesOf(code).sort()).toEqual(
      ['…: the "value" option is not set; set it', 'a pushed problem, named here', 'no error at all', '…: a warning with …', '…: staging failed; run it again'].sort(),
    );
  });
});

describe(`the messages of src/ on ${PAGE}`, () => {
  let templates: MessageTemplate[];
  let spans: string[];
  beforeAll(() => {
    const files = sourceFiles(SRC);
    templates = messageTemplates(ts.createProgram(files, compilerOptions), files, __dirname);
    spans = codeSpans(readFileSync(join(REPO_ROOT, PAGE), 'utf8'));
  });

  it('finds the messages of every folder of src/ that reports errors', () => {
    const folders = new Set(templates.map((t) => t.where.split('/')[1]));
    expect([...folders].sort()).toEqual(expect.arrayContaining(['engine', 'executors', 'generators', 'go', 'node', 'nx']));
  });

  it('has an entry for every message the code can report', () => {
    const missing = templates.filter((t) => !isDocumented(t, spans)).map((t) => `${t.where}: ${t.text}`);
    expect(missing).toEqual([]);
  });
});

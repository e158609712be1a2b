/**
 * Go build constraints, evaluated without a Go toolchain for the platforms the
 * images are built for (linux on amd64 or arm64, with cgo or without).
 *
 * Supports `//go:build` expressions, legacy `// +build` lines, file-name
 * suffixes (`_windows.go`, `_linux_arm64.go`) and cgo files (`import "C"`).
 */

export interface BuildContext {
  goos: string;
  goarch: string;
  cgo: boolean;
  /** Extra tags, as `go build -tags`. */
  tags: string[];
}

export const IMAGE_BUILD_CONTEXT: BuildContext = { goos: 'linux', goarch: 'amd64', cgo: false, tags: [] };

/**
 * Images may be built for either architecture, and an app whose packages use cgo is built with it
 * (go/go-plan.ts): a file that builds in any of these counts.
 */
export const IMAGE_BUILD_CONTEXTS: BuildContext[] = [false, true].flatMap((cgo) => [
  { ...IMAGE_BUILD_CONTEXT, cgo },
  { ...IMAGE_BUILD_CONTEXT, goarch: 'arm64', cgo },
]);

// The lists Go itself recognises in file names (go/build's knownOS / knownArch).
const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64',
  'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x',
  'sparc', 'sparc64', 'wasm',
]);
const UNIX_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris',
]);

/**
 * The newest Go release (1.N) whose release tag holds: the images' toolchains are at most that recent.
 * Raise it with each Go release; the go/build parity spec fails against a newer host Go until then.
 */
export const NEWEST_GO_MINOR = 26;

/** The default microarchitecture level's tag of an architecture (Go's ToolTags with GOAMD64=v1, GOARM64=v8.0). */
const DEFAULT_LEVEL_TAG: Record<string, string> = { amd64: 'amd64.v1', arm64: 'arm64.v8.0' };

/** Whether a tag holds on a context, as go/build's matchTag answers it. */
function tagHolds(tag: string, ctx: BuildContext): boolean {
  if (tag === ctx.goos) return true;
  if (tag === 'unix') return UNIX_OS.has(ctx.goos);
  if ((ctx.goos === 'android' && tag === 'linux') || (ctx.goos === 'illumos' && tag === 'solaris') || (ctx.goos === 'ios' && tag === 'darwin')) return true;
  if (tag === ctx.goarch) return true;
  if (Object.hasOwn(DEFAULT_LEVEL_TAG, ctx.goarch) && DEFAULT_LEVEL_TAG[ctx.goarch] === tag) return true;
  if (tag === 'cgo') return ctx.cgo;
  if (tag === 'gc') return true;
  // Release tags: go1.1 up to the toolchain's own release, as go/build's ReleaseTags.
  const release = /^go1\.([1-9]\d*)$/.exec(tag);
  if (release) return Number(release[1]) <= NEWEST_GO_MINOR;
  return ctx.tags.includes(tag);
}

/** Whether a file name's `_GOOS`/`_GOARCH` suffixes allow it on the build context (go/build's goodOSArchFile). */
export function fileNameMatches(fileName: string, ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  // As Go: the name up to its first dot, without a final `_test`.
  const base = fileName.replace(/^.*\//, '').split('.')[0].replace(/_test$/, '');
  const parts = base.split('_');
  // The first element is the name proper and never a constraint.
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1];
  const secondLast = parts.length >= 3 ? parts[parts.length - 2] : undefined;
  if (secondLast !== undefined && KNOWN_OS.has(secondLast) && KNOWN_ARCH.has(last)) {
    return tagHolds(secondLast, ctx) && tagHolds(last, ctx);
  }
  if (KNOWN_OS.has(last)) return tagHolds(last, ctx);
  if (KNOWN_ARCH.has(last)) return tagHolds(last, ctx);
  return true;
}

/** Go refuses an expression of more terms than this (go/build/constraint's maxSize); it also bounds the recursion below. */
const MAX_EXPRESSION_SIZE = 1000;

/** A tag is Unicode letters and digits, `_` and `.`, as go/build/constraint reads it. */
const TAG_CHAR = '[\\p{L}\\p{Nd}_.]';
const TAG_CHARS = new RegExp(`${TAG_CHAR}+`, 'uy');

/**
 * Splits a `//go:build` expression into tokens as go/build/constraint's lexer does: blanks are spaces
 * and tabs, `&` and `|` only come doubled, and any other character outside a tag is a syntax error.
 */
function expressionTokens(expression: string, fail: () => never): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === '!') {
      tokens.push(c);
      i++;
    } else if (c === '&' || c === '|') {
      if (expression[i + 1] !== c) fail();
      tokens.push(c + c);
      i += 2;
    } else {
      TAG_CHARS.lastIndex = i;
      const tag = TAG_CHARS.exec(expression);
      if (!tag) fail();
      tokens.push(tag![0]);
      i += tag![0].length;
    }
  }
  return tokens;
}

/**
 * Evaluates a `//go:build` expression (`linux && (amd64 || !cgo)`). Throws on one Go refuses (a
 * character outside the syntax, `!!`, an unbalanced parenthesis, a dangling operator, too many terms).
 */
export function evaluateGoBuildExpression(expression: string, ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  const fail = (): never => {
    throw new Error(`malformed build constraint: //go:build ${expression}`);
  };
  const tokens = expressionTokens(expression, fail);
  let pos = 0;
  let size = 0;
  const peek = () => tokens[pos];
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (peek() === '||') {
      pos++;
      const right = parseAnd();
      value = value || right;
    }
    return value;
  };
  const parseAnd = (): boolean => {
    let value = parseNot();
    while (peek() === '&&') {
      pos++;
      const right = parseNot();
      value = value && right;
    }
    return value;
  };
  // As Go: one `!` applies to an atom; `!!x` is refused ("double negation not allowed").
  const parseNot = (): boolean => {
    if (++size > MAX_EXPRESSION_SIZE) fail();
    if (peek() !== '!') return parseAtom();
    pos++;
    if (peek() === '!') fail();
    return !parseAtom();
  };
  const parseAtom = (): boolean => {
    const token = peek();
    if (token === '(') {
      pos++;
      const value = parseOr();
      if (peek() !== ')') fail();
      pos++;
      return value;
    }
    if (token === undefined || token === ')' || token === '&&' || token === '||' || token === '!') fail();
    pos++;
    return tagHolds(token, ctx);
  };
  const value = parseOr();
  if (pos !== tokens.length) fail();
  return value;
}

/** Go reads no `// +build` line of more operators than this (go/build/constraint's maxOldSize): the line is ignored. */
const MAX_PLUS_BUILD_OPERATORS = 100;

const TAG = new RegExp(`^${TAG_CHAR}+$`, 'u');
const isTag = (word: string) => TAG.test(word);

/**
 * One `// +build` line's value as go/build/constraint reads it: space-separated clauses ORed, each of
 * comma-separated terms ANDed; a term that is not a tag (or `!`, `!!x`) never holds; a line of more
 * than 100 operators does not count (undefined).
 */
function plusBuildLineHolds(line: string, ctx: BuildContext): boolean | undefined {
  const clauses = line.trim().split(/\s+/u).filter(Boolean);
  if (clauses.length === 0) return false;
  const operators = clauses.length - 1 + clauses.reduce((n, clause) => n + clause.split(',').length - 1, 0);
  if (operators > MAX_PLUS_BUILD_OPERATORS) return undefined;
  const term = (term: string): boolean => {
    if (term === '!' || term.startsWith('!!')) return false;
    const negated = term.startsWith('!');
    const word = negated ? term.slice(1) : term;
    const holds = isTag(word) && tagHolds(word, ctx);
    return negated ? !holds : holds;
  };
  return clauses.some((clause) => clause.split(',').every(term));
}

/** Evaluates legacy `// +build` lines (the text after `+build`): the lines that count are ANDed. */
export function evaluatePlusBuildLines(lines: string[], ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  return lines.every((line) => plusBuildLineHolds(line, ctx) !== false);
}

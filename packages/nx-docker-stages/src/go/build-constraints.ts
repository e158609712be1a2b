/**
 * Go build constraints, evaluated without a Go toolchain for the platforms the
 * images are built for (linux on amd64 or arm64, CGO_ENABLED=0).
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

/** Images may be built for either architecture: a file that builds for any of them counts. */
export const IMAGE_BUILD_CONTEXTS: BuildContext[] = [IMAGE_BUILD_CONTEXT, { ...IMAGE_BUILD_CONTEXT, goarch: 'arm64' }];

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

function tagHolds(tag: string, ctx: BuildContext): boolean {
  if (tag === ctx.goos) return true;
  if (tag === 'unix') return UNIX_OS.has(ctx.goos);
  if (tag === ctx.goarch) return true;
  if (tag === 'cgo') return ctx.cgo;
  if (tag === 'gc') return true;
  // Release tags: the toolchain images are recent, so every go1.N tag holds.
  if (/^go1\.\d+$/.test(tag)) return true;
  return ctx.tags.includes(tag);
}

/** Whether a file name's `_GOOS`/`_GOARCH` suffixes allow it on the build context (go/build's goodOSArchFile). */
export function fileNameMatches(fileName: string, ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  const base = fileName.replace(/^.*\//, '').replace(/\.go$/, '').replace(/_test$/, '');
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

/** Evaluates a `//go:build` expression (`linux && (amd64 || !cgo)`). Throws on a malformed one. */
export function evaluateGoBuildExpression(expression: string, ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  const tokens = expression.match(/&&|\|\||!|\(|\)|[A-Za-z0-9_.]+/g) ?? [];
  let pos = 0;
  let size = 0;
  const peek = () => tokens[pos];
  const fail = (): never => {
    throw new Error(`malformed build constraint: //go:build ${expression}`);
  };
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
  const parseNot = (): boolean => {
    if (++size > MAX_EXPRESSION_SIZE) fail();
    const token = peek();
    if (token === '!') {
      pos++;
      return !parseNot();
    }
    if (token === '(') {
      pos++;
      const value = parseOr();
      if (peek() !== ')') fail();
      pos++;
      return value;
    }
    if (token === undefined || token === ')' || token === '&&' || token === '||') fail();
    pos++;
    return tagHolds(token, ctx);
  };
  const value = parseOr();
  if (pos !== tokens.length) fail();
  return value;
}

/** Evaluates legacy `// +build` lines: lines are ANDed, space-separated terms ORed, comma-separated ANDed. */
export function evaluatePlusBuildLines(lines: string[], ctx: BuildContext = IMAGE_BUILD_CONTEXT): boolean {
  return lines.every((line) =>
    line
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .some((term) =>
        term.split(',').every((atom) => (atom.startsWith('!') ? !tagHolds(atom.slice(1), ctx) : tagHolds(atom, ctx))),
      ),
  );
}

/**
 * Reads the header of a Go source file (build constraints, package clause,
 * imports) without a Go toolchain. Pure: text in, data out.
 */
import {
  BuildContext,
  IMAGE_BUILD_CONTEXTS,
  evaluateGoBuildExpression,
  evaluatePlusBuildLines,
  fileNameMatches,
} from './build-constraints';

/** A Go file's build constraints, as its header states them. */
export interface GoConstraints {
  /** The `//go:build` expression, if any. */
  goBuild?: string;
  /** Legacy `// +build` lines (without the prefix). */
  plusBuild: string[];
  /** Why Go refuses the file's constraints before reading them (two `//go:build` lines). */
  constraintError?: string;
}

export interface GoSourceHeader extends GoConstraints {
  packageName: string;
  imports: string[];
}

type Token = { kind: 'ident' | 'string' | 'punct'; value: string };

/**
 * Tokenises Go source just far enough for the package clause and import
 * declarations, skipping comments.
 */
function* goTokens(text: string): Generator<Token> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      yield { kind: 'punct', value: ';' }; // a newline ends a statement in Go
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (c === '\n') {
      yield { kind: 'punct', value: ';' };
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < n && text[j] !== '"' && text[j] !== '\n') {
        // An escape takes the next character, but never past the end of the line or of the file.
        if (text[j] === '\\' && j + 1 < n && text[j + 1] !== '\n') {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      i = j + 1;
      yield { kind: 'string', value };
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      const stop = end === -1 ? n : end;
      yield { kind: 'string', value: text.slice(i + 1, stop) };
      i = stop + 1;
      continue;
    }
    const ident = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i, i + 256));
    if (ident) {
      i += ident[0].length;
      yield { kind: 'ident', value: ident[0] };
      continue;
    }
    yield { kind: 'punct', value: c };
    i++;
  }
}

/** Whether a trimmed line is a `//go:build` comment (go/build's isGoBuildComment). */
const isGoBuildComment = (line: string) => /^\/\/go:build(?:\s|$)/u.test(line);

/** The text after `+build` of a trimmed `// +build` line (go/build/constraint's splitPlusBuild), else undefined. */
function plusBuildText(line: string): string | undefined {
  if (!line.startsWith('//')) return undefined;
  const rest = line.slice(2).trim();
  if (!rest.startsWith('+build')) return undefined;
  const after = rest.slice('+build'.length);
  if (after !== '' && after.trim().length === after.length) return undefined;
  return after.trim();
}

/**
 * The constraints of a Go file's header, read as go/build's parseFileHeader reads them: `//go:build`
 * lines anywhere in the leading run of comments and blank lines (two are an error), `// +build` lines
 * only above the last blank line before the first line of code.
 */
export function readGoConstraints(text: string): GoConstraints {
  const lines = text.split('\n');
  let goBuild: string | undefined;
  let constraintError: string | undefined;
  let endLine = 0; // lines before this one may hold // +build lines
  let ended = false;
  let inSlashStar = false;
  scan: for (let n = 0; n < lines.length; n++) {
    let line = lines[n].trim();
    if (line === '' && !ended) {
      endLine = n + 1;
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && isGoBuildComment(line)) {
      if (goBuild !== undefined) constraintError ??= 'multiple //go:build comments';
      else goBuild = line.slice('//go:build'.length).trim();
    }
    while (line.length > 0) {
      if (inSlashStar) {
        const close = line.indexOf('*/');
        if (close < 0) continue scan;
        inSlashStar = false;
        line = line.slice(close + 2).trim();
        continue;
      }
      if (line.startsWith('//')) continue scan;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = line.slice(2).trim();
        continue;
      }
      break scan; // code
    }
  }
  const plusBuild = lines
    .slice(0, endLine)
    .map((line) => plusBuildText(line.trim()))
    .filter((t): t is string => t !== undefined);
  return { goBuild, plusBuild, constraintError };
}

/** Reads the build constraints, package name and imports of a Go file. Returns null when it has no package clause. */
export function parseGoSourceHeader(text: string): GoSourceHeader | null {
  const { goBuild, plusBuild, constraintError } = readGoConstraints(text);

  const tokens = goTokens(text);
  const next = (): Token | undefined => {
    for (;;) {
      const t = tokens.next();
      if (t.done) return undefined;
      if (t.value.kind === 'punct' && t.value.value === ';') continue;
      return t.value;
    }
  };
  const keyword = next();
  if (!keyword || keyword.value !== 'package') return null;
  const name = next();
  if (!name || name.kind !== 'ident') return null;

  const imports: string[] = [];
  const readSpec = (first: Token | undefined): boolean => {
    let t = first;
    if (t && (t.kind === 'ident' || t.value === '.')) t = next(); // alias, `_` or `.`
    if (!t || t.kind !== 'string') return false;
    imports.push(t.value);
    return true;
  };
  for (let t = next(); t && t.value === 'import'; t = next()) {
    const open = next();
    if (open?.value === '(') {
      for (let spec = next(); spec && spec.value !== ')'; spec = next()) {
        if (!readSpec(spec)) break;
      }
    } else if (!readSpec(open)) break;
  }
  return { packageName: name.value, imports, goBuild, plusBuild, ...(constraintError ? { constraintError } : {}) };
}

/**
 * Whether a file is part of its package's build for the images: not a test
 * file, and its name's OS/arch suffix and its constraints hold in one of the
 * image build contexts (a cgo file, `import "C"`, only in those with cgo).
 */
export function isBuiltForImage(fileName: string, header: GoSourceHeader, contexts: BuildContext[] = IMAGE_BUILD_CONTEXTS): boolean {
  if (fileName.endsWith('_test.go')) return false;
  return contexts.some((ctx) => builtFor(fileName, header, ctx));
}

function builtFor(fileName: string, header: GoSourceHeader, ctx: BuildContext): boolean {
  if (!fileNameMatches(fileName, ctx)) return false;
  if (header.constraintError) throw new Error(header.constraintError);
  if (header.goBuild !== undefined) {
    if (!evaluateGoBuildExpression(header.goBuild, ctx)) return false;
  } else if (header.plusBuild.length && !evaluatePlusBuildLines(header.plusBuild, ctx)) {
    return false;
  }
  if (!ctx.cgo && header.imports.includes('C')) return false;
  return true;
}

import { IMAGE_BUILD_CONTEXTS, evaluateGoBuildExpression, evaluatePlusBuildLines, fileNameMatches } from './build-constraints';
import { isBuiltForImage, parseGoSourceHeader } from './go-source';

describe('parseGoSourceHeader', () => {
  it('reads the package name and every form of import', () => {
    const header = parseGoSourceHeader(`// Package main does things.
/* a block comment with import "fake" */
package main

import "fmt"
import str "strings"
import (
\t"os" // trailing comment
\t_ "embed"
\t. "example.com/shop/internal/dot"
\tg "example.com/shop/internal/greeting"
\t\`example.com/shop/raw\`
)

func main() { fmt.Println("import \\"not/an/import\\"") }
`);
    expect(header).toEqual({
      packageName: 'main',
      imports: ['fmt', 'strings', 'os', 'embed', 'example.com/shop/internal/dot', 'example.com/shop/internal/greeting', 'example.com/shop/raw'],
      goBuild: undefined,
      plusBuild: [],
    });
  });

  it('reads //go:build and // +build lines before the package clause only', () => {
    const header = parseGoSourceHeader('//go:build linux && !cgo\n// +build linux,!cgo\n\npackage x\n\n//go:build ignore\n');
    expect(header?.goBuild).toBe('linux && !cgo');
    expect(header?.plusBuild).toEqual(['linux,!cgo']);
  });

  it('reads an unterminated import path up to the end of its line or of the file, with no text the file lacks', () => {
    // Found by go-source.fuzz.spec.ts: a backslash at the very end gave the import "undefined".
    expect(parseGoSourceHeader('package a\nimport"\\')?.imports).toEqual(['\\']);
    expect(parseGoSourceHeader('package a\nimport "x\\\nfunc main() {}')?.imports).toEqual(['x\\']);
  });

  it('reads // +build lines only above a blank line, and //go:build anywhere in the leading comments, as go/build does', () => {
    expect(parseGoSourceHeader('// +build windows\npackage a\n')?.plusBuild).toEqual([]);
    expect(parseGoSourceHeader('/* c */\n// +build windows\n\npackage a\n')?.plusBuild).toEqual([]);
    expect(parseGoSourceHeader('// Copyright\n\n//go:build linux\n/*\n//go:build windows\n*/\npackage a\n')).toMatchObject({ goBuild: 'linux' });
    expect(parseGoSourceHeader('//go:buildx linux\n\npackage a\n')?.goBuild).toBeUndefined();
  });

  it('refuses a file with two //go:build lines, as Go does', () => {
    const header = parseGoSourceHeader('//go:build linux\n//go:build linux\n\npackage a\n')!;
    expect(header.constraintError).toBe('multiple //go:build comments');
    expect(() => isBuiltForImage('a.go', header)).toThrow('multiple //go:build comments');
    // A file Go skips for its name is never read further, so never refused.
    expect(isBuiltForImage('a_windows.go', header)).toBe(false);
  });

  it('returns null for a file without a package clause', () => {
    expect(parseGoSourceHeader('// just a comment\n')).toBeNull();
  });
});

describe('build constraints for images (linux on amd64 or arm64, no cgo)', () => {
  it('evaluates //go:build expressions with precedence and parentheses', () => {
    expect(evaluateGoBuildExpression('linux && (amd64 || arm)')).toBe(true);
    expect(evaluateGoBuildExpression('!linux || windows')).toBe(false);
    expect(evaluateGoBuildExpression('ignore')).toBe(false);
    expect(evaluateGoBuildExpression('unix && !cgo && go1.18')).toBe(true);
    expect(evaluateGoBuildExpression('integration')).toBe(false);
  });

  it('rejects a malformed expression', () => {
    expect(() => evaluateGoBuildExpression('linux &&')).toThrow('malformed build constraint');
  });

  it("rejects what Go's lexer and parser reject: characters outside the syntax, a lone & or |, a double negation", () => {
    for (const expression of ['linux $', 'linux & amd64', 'linux | amd64', '!!linux', '! !linux', 'linux-amd64', '']) {
      expect(() => evaluateGoBuildExpression(expression)).toThrow(`malformed build constraint: //go:build ${expression}`);
    }
    expect(evaluateGoBuildExpression('!(!linux)')).toBe(true);
    // A letter outside ASCII is part of a tag, as in Go: `linuxñ` is one tag, which never holds.
    expect(evaluateGoBuildExpression('linuxñ')).toBe(false);
    expect(evaluateGoBuildExpression('amd64.v1')).toBe(true);
  });

  it('reads // +build terms as Go does: a term that is not a tag never holds', () => {
    expect(evaluatePlusBuildLines(['!!linux'])).toBe(false);
    expect(evaluatePlusBuildLines(['!'])).toBe(false);
    expect(evaluatePlusBuildLines(['linux$'])).toBe(false);
    expect(evaluatePlusBuildLines(['!linux$'])).toBe(true);
    expect(evaluatePlusBuildLines([''])).toBe(false);
    // A line of more than 100 operators is not read at all.
    expect(evaluatePlusBuildLines([Array(102).fill('windows').join(' ')])).toBe(true);
  });

  it('rejects an expression of more than 1000 terms as Go does, instead of overflowing the stack', () => {
    // Found by build-constraints.fuzz.spec.ts: 1000 nested parentheses threw a RangeError.
    expect(() => evaluateGoBuildExpression(`${'('.repeat(1000)}linux`)).toThrow('malformed build constraint');
    expect(() => evaluateGoBuildExpression(`${'('.repeat(20_000)}linux${')'.repeat(20_000)}`)).toThrow('malformed build constraint');
    expect(evaluateGoBuildExpression(`${'('.repeat(500)}linux${')'.repeat(500)}`)).toBe(true);
  });

  it('evaluates legacy +build lines: spaces are OR, commas AND, lines AND', () => {
    expect(evaluatePlusBuildLines(['darwin linux', 'amd64'])).toBe(true);
    expect(evaluatePlusBuildLines(['linux,cgo'])).toBe(false);
  });

  it('honours GOOS and GOARCH file-name suffixes', () => {
    expect(fileNameMatches('a/net_linux.go')).toBe(true);
    expect(fileNameMatches('a/net_windows.go')).toBe(false);
    expect(fileNameMatches('a/asm_linux_386.go')).toBe(false);
    // As Go: the name up to its first dot.
    expect(fileNameMatches('a/net_windows.x.go')).toBe(false);
    expect(fileNameMatches('a/net.x_windows.go')).toBe(true);
    expect(fileNameMatches('a/asm_arm64.go')).toBe(false); // on amd64
    expect(fileNameMatches('a/asm_arm64.go', { goos: 'linux', goarch: 'arm64', cgo: false, tags: [] })).toBe(true);
    expect(fileNameMatches('a/windows.go')).toBe(true); // the name proper is never a constraint
    expect(fileNameMatches('a/my_helper.go')).toBe(true);
  });

  it('leaves out test files and ignored files, and keeps cgo files for the builds with cgo', () => {
    const plain = parseGoSourceHeader('package a\nimport "fmt"\n')!;
    expect(isBuiltForImage('a/a.go', plain)).toBe(true);
    expect(isBuiltForImage('a/a_test.go', plain)).toBe(false);
    expect(isBuiltForImage('a/gen.go', parseGoSourceHeader('//go:build ignore\n\npackage main\n')!)).toBe(false);
    const cgoFile = parseGoSourceHeader('package a\nimport "C"\n')!;
    expect(isBuiltForImage('a/c.go', cgoFile)).toBe(true);
    expect(isBuiltForImage('a/c.go', cgoFile, IMAGE_BUILD_CONTEXTS.filter((ctx) => !ctx.cgo))).toBe(false);
    expect(isBuiltForImage('a/nocgo.go', parseGoSourceHeader('//go:build !cgo\n\npackage a\n')!)).toBe(true);
  });

  it('keeps a file that builds on either image architecture, judging each on its own', () => {
    expect(isBuiltForImage('a/asm_arm64.go', parseGoSourceHeader('package a\n')!)).toBe(true);
    expect(isBuiltForImage('a/x.go', parseGoSourceHeader('//go:build !arm64\n\npackage a\n')!)).toBe(true);
    expect(isBuiltForImage('a/y.go', parseGoSourceHeader('//go:build amd64 && arm64\n\npackage a\n')!)).toBe(false);
  });
});

import fc from 'fast-check';
import { anyText, assertParser, assertProperty, largeTextOf, nothingThrown } from '../workspace/test-fuzz';
import { isBuiltForImage, parseGoSourceHeader } from './go-source';

/** The words and punctuation of a Go file's header: comments, constraints, the package clause, imports, strings. */
const GO_SOURCE_TOKENS = [
  'package', 'main', 'lib', '_', 'import', '(', ')', ';', '.', '"fmt"', '"example.com/a/b"', '`raw/path`', '"', '`', '\\', '"\\"', '"a\\', '"\\',
  '//', '/*', '*/', '//go:build', '// +build', 'linux', '&&', '||', '!', 'amd64', 'cgo', '"C"', 'func', '{', '}', 'ñame', '日本', 'x1',
];

/** A well-formed start (package clause, an import) followed by anything: reaches the import reader more often than random text. */
const headerThenAnything = fc
  .tuple(fc.constantFrom('', 'package a\n', 'package main; '), fc.constantFrom('', 'import ', 'import (\n', 'import x '), anyText(GO_SOURCE_TOKENS, 8))
  .map((parts) => parts.join(''));

describe('parseGoSourceHeader on any text', () => {
  it('returns a package name, string imports and constraint lines, or null; never throws', () => {
    assertParser(fc.oneof(anyText(GO_SOURCE_TOKENS), headerThenAnything), parseGoSourceHeader, nothingThrown, (header, text) => {
      if (header === null) return;
      expect(header.packageName).toMatch(/^[\p{L}_][\p{L}\p{N}_]*$/u);
      // An import is read from the file: it holds no character the file lacks.
      expect(header.imports.filter((i) => typeof i !== 'string' || [...i].some((c) => !text.includes(c)))).toEqual([]);
      expect(header.goBuild === undefined || typeof header.goBuild === 'string').toBe(true);
      expect(header.plusBuild.every((l) => typeof l === 'string')).toBe(true);
    });
  });

  it('reads back the imports of a header written in any of its forms', () => {
    const importPath = fc.stringMatching(/^[a-z]{1,6}(\.[a-z]{2,3})?(\/[a-zA-Z0-9_-]{1,6}){0,3}$/);
    const spec = fc.record({ path: importPath, alias: fc.constantFrom('', '_ ', '. ', 'x ', 'ñ ', 'a1 '), raw: fc.boolean(), comment: fc.constantFrom('', ' // c', ' /* c */') });
    const header = fc.record({
      name: fc.constantFrom('main', 'lib', 'ünïcode', '_x'),
      groups: fc.array(fc.record({ grouped: fc.boolean(), specs: fc.array(spec, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
      preamble: fc.constantFrom('', '// Package x.\n', '/* a block\ncomment with import "fake" */\n', '//go:build linux\n\n'),
      newline: fc.constantFrom('\n', '\r\n'),
    });
    assertProperty(
      fc.property(header, (h) => {
        const specText = (s: { path: string; alias: string; raw: boolean; comment: string }) => `${s.alias}${s.raw ? `\`${s.path}\`` : `"${s.path}"`}${s.comment}`;
        const lines = [
          `${h.preamble}package ${h.name}`,
          '',
          ...h.groups.flatMap((g) => (g.grouped ? ['import (', ...g.specs.map((s) => `\t${specText(s)}`), ')'] : g.specs.map((s) => `import ${specText(s)}`))),
          '',
          'func main() { println("import \\"not/an/import\\"") }',
        ];
        const parsed = parseGoSourceHeader(lines.join(h.newline));
        expect(parsed?.packageName).toBe(h.name);
        expect(parsed?.imports).toEqual(h.groups.flatMap((g) => g.specs.map((s) => s.path)));
      }),
      150,
    );
  });

  it('stays fast on large files', () => {
    assertParser(largeTextOf(GO_SOURCE_TOKENS), parseGoSourceHeader, nothingThrown, undefined, 30);
  });
});

describe('the build constraints of any Go file', () => {
  it('are read and evaluated without any error but a malformed constraint', () => {
    const isMalformed = (e: unknown) => e instanceof Error && (e.message.startsWith('malformed build constraint') || e.message === 'multiple //go:build comments');
    const constrained = fc.tuple(anyText(GO_SOURCE_TOKENS, 20), anyText(GO_SOURCE_TOKENS, 20)).map(([goBuild, plus]) => `//go:build ${goBuild}\n// +build ${plus}\n\npackage a\n`);
    const fileNames = fc.constantFrom('a.go', 'a_linux.go', 'a_windows_arm64.go', 'a_test.go');
    assertParser(
      fc.tuple(fc.oneof(constrained, anyText(GO_SOURCE_TOKENS)), fileNames),
      ([text, file]) => {
        const header = parseGoSourceHeader(text);
        return header && isBuiltForImage(file, header);
      },
      isMalformed,
      (built) => expect(built === null || typeof built === 'boolean').toBe(true),
    );
  });
});

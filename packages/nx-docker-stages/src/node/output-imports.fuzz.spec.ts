import fc from 'fast-check';
import { anyText, assertParser, assertProperty, largeTextOf, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { importedPackages, missingImports, packageOfSpecifier } from './output-imports';

/** The pieces of built JavaScript that load packages, and what surrounds them. */
const JS_TOKENS = [
  'import', 'export', 'require', 'from', '(', ')', '{', '}', '*', ',', ';', ' ', '\n', "'", '"', '`', 'x', '$', '.', '/*', '*/', '//',
  "'express'", '"@scope/lib/sub"', "'./local'", "'node:fs'", "'fs'", "'#internal'", "'@'", "''", "'a\nb'", ...PROTOTYPE_NAMES.map((n) => `'${n}'`),
];

describe('importedPackages on any built JavaScript', () => {
  it('finds package names, each a bare name, and never throws', () => {
    assertParser(anyText(JS_TOKENS), importedPackages, nothingThrown, (packages) => {
      for (const [name, isStatic] of packages) {
        expect(typeof isStatic).toBe('boolean');
        expect(name).toMatch(/^(@[^/]+\/)?[^/@.#][^/]*$|^[^/.#@][^/]*$/);
      }
    });
  });

  // Runs of at most 2000: long enough that a regular expression which backtracks over them takes seconds, short
  // enough that it still returns and fails the property instead of hanging the suite.
  it('stays fast on large bundles, whitespace runs and unclosed imports included', () => {
    const bundles = fc.oneof(
      largeTextOf(JS_TOKENS),
      fc.tuple(fc.constantFrom('import', 'export', 'require(', 'import('), fc.constantFrom(' ', '\n', '\t', ' x', ',{'), fc.integer({ min: 500, max: 2000 })).map(([kw, filler, n]) => `${kw}${filler.repeat(n)}`),
    );
    assertParser(bundles, importedPackages, nothingThrown, undefined, 30);
  });
});

describe('packageOfSpecifier on any specifier', () => {
  it('gives a prefix of the specifier or null, and never throws', () => {
    const specifiers = anyText(['@', '/', '.', '#', 'scope', 'pkg', 'sub', 'node:', 'fs', 'data:', ...PROTOTYPE_NAMES]);
    assertParser(specifiers, packageOfSpecifier, nothingThrown, (name, specifier) => expect(name === null || specifier.startsWith(name)).toBe(true));
  });
});

describe('missingImports of any imports', () => {
  it('accounts for every import: installed, provided, added, or missing', () => {
    const names = fc.constantFrom('express', 'tslib', '@swc/helpers', 'ghost', ...PROTOTYPE_NAMES);
    assertProperty(
      fc.property(
        fc.array(fc.tuple(names, fc.boolean()), { maxLength: 6 }),
        fc.dictionary(names, fc.constant('^1.0.0')),
        fc.subarray(['express', 'ghost', ...PROTOTYPE_NAMES]),
        fc.subarray(['tslib', '@swc/helpers', ...PROTOTYPE_NAMES]),
        (imports, installed, provided, known) => {
          const loads = new Map(imports.map(([name, isStatic]) => [name, { file: 'app/main.js', static: isStatic }]));
          const result = missingImports(loads, installed, new Set(provided), (name) => (known.includes(name) ? '1.0.0' : undefined));
          const missing = new Set([...Object.keys(result.added), ...result.unavailable.map(([n]) => n), ...result.unresolved.map(([n]) => n)]);
          for (const name of loads.keys()) expect(Object.hasOwn(installed, name) || provided.includes(name) || missing.has(name)).toBe(true);
        },
      ),
    );
  });
});

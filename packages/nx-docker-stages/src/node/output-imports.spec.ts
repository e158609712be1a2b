import { importedPackages, missingImports, packageOfSpecifier } from './output-imports';

describe('packageOfSpecifier', () => {
  it('names the package of a bare specifier, and nothing for paths, URLs, subpath imports and Node built-ins', () => {
    expect(packageOfSpecifier('express')).toBe('express');
    expect(packageOfSpecifier('lodash/get')).toBe('lodash');
    expect(packageOfSpecifier('@swc/helpers/_/_object_spread')).toBe('@swc/helpers');
    for (const none of ['./a', '../b', '/abs', '#internal', 'node:fs', 'fs', 'fs/promises', 'data:text/javascript,1', '@scope']) expect(packageOfSpecifier(none)).toBeNull();
  });
});

describe('importedPackages', () => {
  it('finds static imports (multi-line, minified, re-exports) as static, and require() and import() as not', () => {
    const code = [
      "import express from 'express';",
      'import {\n  a,\n  b,\n} from "@scope/lib/sub";',
      "import 'reflect-metadata';",
      'import{x as y}from"mini";',
      "export * from 're-exported';",
      "const helper = require('@swc/helpers/_/_extends');",
      "const lazy = await import('lazy');",
      "require('./local'); require('node:path'); require('fs');",
      "const s = foo.require('not-a-require');",
    ].join('\n');
    expect(Object.fromEntries(importedPackages(code))).toEqual({
      express: true,
      '@scope/lib': true,
      'reflect-metadata': true,
      mini: true,
      're-exported': true,
      '@swc/helpers': false,
      lazy: false,
    });
  });

  it('reads a long run of whitespace after import or export in time linear in its length', () => {
    // Found by output-imports.fuzz.spec.ts: 1000 spaces after "import" took half a second, 20 000 would take an hour.
    const started = performance.now();
    expect(importedPackages(`import${' '.repeat(20_000)}\nexport${'\n'.repeat(20_000)} * from 'p'`).get('p')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts a package static when one load of it is', () => {
    expect(importedPackages("require('p');\nimport q from 'p';").get('p')).toBe(true);
  });
});

describe('missingImports', () => {
  const imports = new Map([
    ['express', { file: 'app/main.js', static: true }],
    ['@swc/helpers', { file: 'app/main.js', static: true }],
    ['@shop/lib', { file: 'app/main.js', static: true }],
    ['ghost', { file: 'app/a.mjs', static: true }],
    ['maybe', { file: 'app/b.js', static: false }],
  ]);
  it('adds what the workspace has, and sorts the rest by whether the image certainly fails without it', () => {
    const known: Record<string, string> = { '@swc/helpers': '~0.5.18' };
    expect(missingImports(imports, { express: '^5.1.0' }, new Set(['@shop/lib']), (n) => known[n])).toEqual({
      added: { '@swc/helpers': '~0.5.18' },
      unavailable: [['ghost', { file: 'app/a.mjs', static: true }]],
      unresolved: [['maybe', { file: 'app/b.js', static: false }]],
    });
  });

  it('takes a package named like an inherited property for neither installed nor lost', () => {
    // Found by output-imports.fuzz.spec.ts: "constructor" counted as installed, and "__proto__" was lost when added.
    const loads = new Map([
      ['constructor', { file: 'app/main.js', static: true }],
      ['__proto__', { file: 'app/main.js', static: false }],
    ]);
    const result = missingImports(loads, {}, new Set(), (n) => (n === '__proto__' ? '1.0.0' : undefined));
    expect(Object.entries(result.added)).toEqual([['__proto__', '1.0.0']]);
    expect(result.unavailable).toEqual([['constructor', { file: 'app/main.js', static: true }]]);
  });
});

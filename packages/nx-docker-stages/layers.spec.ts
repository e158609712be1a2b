/**
 * Keeps the layers of src/ honest: a module imports only from its own folder or from a lower
 * layer, siblings of one layer never import each other, and an executor's schema is imported
 * only inside that executor. docs/development.md draws the same layers.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, 'src');

/** The layers, lowest first; a folder (or a top-level module) of src/ in each. */
const LAYERS: string[][] = [
  ['nx-runtime', 'workspace'],
  ['go', 'node'],
  ['plan'],
  ['dockerfile'],
  ['engine'],
  ['nx'],
  ['generators', 'executors'],
];

function layerOf(srcRelative: string): { layer: number; part: string } {
  const part = srcRelative.split('/')[0].replace(/\.ts$/, '');
  const layer = LAYERS.findIndex((parts) => parts.includes(part));
  if (layer === -1) throw new Error(`src/${srcRelative} is in no layer: add "${part}" to LAYERS here and to docs/development.md`);
  return { layer, part };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === '__fixtures__' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(spec|fixture)\.ts$/.test(entry) && !/^test-/.test(entry) ? [path] : [];
  });
}

/** The relative imports of a module (static and dynamic), resolved to src-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s)));
}

const modules = sourceFiles(SRC).map((file) => ({ module: relative(SRC, file), imports: importsOf(file) }));

/** Imports that run up a layer or across to a sibling folder of the same layer. */
function layerViolations(list: Array<{ module: string; imports: string[] }>): string[] {
  const wrong: string[] = [];
  for (const { module, imports } of list) {
    const from = layerOf(module);
    for (const imported of imports) {
      if (imported.startsWith('..')) continue; // the package manifest
      const to = layerOf(imported);
      if (to.part !== from.part && to.layer >= from.layer) wrong.push(`src/${module} imports src/${imported}`);
    }
  }
  return wrong;
}

describe('the layers of src/', () => {
  it('puts every module in a layer', () => {
    for (const { module } of modules) expect(() => layerOf(module)).not.toThrow();
  });

  it('has no import from a lower layer to a higher one, nor between siblings of one layer', () => {
    expect(layerViolations(modules)).toEqual([]);
  });

  it('would see such an import', () => {
    expect(
      layerViolations([
        { module: 'go/go-plan.ts', imports: ['dockerfile/render-go-stages', 'workspace/slug', 'go/go-workspace'] },
        { module: 'node/node-apps.ts', imports: ['go/go-workspace'] },
        { module: 'nx-runtime.ts', imports: ['workspace/slug'] },
      ]),
    ).toEqual(['src/go/go-plan.ts imports src/dockerfile/render-go-stages', 'src/node/node-apps.ts imports src/go/go-workspace', 'src/nx-runtime.ts imports src/workspace/slug']);
  });

  it("imports an executor's schema only inside that executor", () => {
    const wrong = modules.flatMap(({ module, imports }) =>
      imports.filter((i) => /^executors\/[^/]+\/schema$/.test(i) && dirname(i) !== dirname(module)).map((i) => `src/${module} imports src/${i}`),
    );
    expect(wrong).toEqual([]);
  });
});

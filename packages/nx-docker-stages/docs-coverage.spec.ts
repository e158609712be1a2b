/**
 * Keeps docs/ in step with the code: every option of the generator and executor
 * schemas has a row in its page's Options section (and no row names an option
 * the schema lacks), and the generated samples of examples/shop equal what the
 * setup generator writes today.
 */
import { Tree, logger } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setupGenerator } from './src/generators/setup/generator';

const REPO_ROOT = join(__dirname, '..', '..');

interface JsonSchema {
  properties?: Record<string, JsonSchema & { default?: unknown }>;
  items?: JsonSchema;
}

function readText(repoPath: string): string {
  return readFileSync(join(REPO_ROOT, repoPath), 'utf8');
}

/** The text of a page's `## Options` section: from its heading to the next `## ` heading. */
function optionsSection(markdown: string, page: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## Options\s*$/.test(l));
  if (start === -1) throw new Error(`${page} has no "## Options" section`);
  const next = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, next === -1 ? undefined : next).join('\n');
}

/** Table rows whose first cell is exactly one backticked name: ``| `name` | ... |``, as name → row. */
function optionRows(section: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m) rows.set(m[1], line);
  }
  return rows;
}

/** Top-level property names and, separately, those of object items of array properties (such as `secrets`). */
function schemaProperties(schema: JsonSchema): { top: string[]; nested: string[] } {
  const properties = schema.properties ?? {};
  const nested = Object.values(properties).flatMap((p) => Object.keys(p.items?.properties ?? {}));
  return { top: Object.keys(properties), nested };
}

/** Every executor of executors.json has its page, docs/executor-<name>.md. */
const executors = Object.entries(
  (JSON.parse(readText('packages/nx-docker-stages/executors.json')) as { executors: Record<string, { schema: string }> }).executors,
).map(([name, { schema }]) => ({
  what: `the ${name} executor`,
  schemaPath: `packages/nx-docker-stages/${schema.replace(/^\.\//, '')}`,
  docPath: `docs/executor-${name}.md`,
}));

const pages = [
  {
    what: 'the setup generator',
    schemaPath: 'packages/nx-docker-stages/src/generators/setup/schema.json',
    docPath: 'docs/generator-setup.md',
  },
  ...executors,
];

describe.each(pages)('the options of $what in $docPath', ({ what, schemaPath, docPath }) => {
  const schema = JSON.parse(readText(schemaPath)) as JsonSchema;
  const { top, nested } = schemaProperties(schema);
  const rows = () => optionRows(optionsSection(readText(docPath), docPath));

  it(`documents every option of ${what}`, () => {
    const documented = rows();
    const missing = [...top, ...nested].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it(`documents no option that the schema of ${what} lacks`, () => {
    const known = new Set([...top, ...nested]);
    const unknown = [...rows().keys()].filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it(`states the schema's default of every option of ${what} that has one`, () => {
    const documented = rows();
    const wrong = Object.entries(schema.properties ?? {})
      .filter(([, p]) => p.default !== undefined)
      .filter(([name, p]) => {
        // Columns: | Name | Type | Default | Meaning |
        const defaultCell = documented.get(name)?.split(' | ')[2] ?? '';
        const expected = typeof p.default === 'string' ? p.default : JSON.stringify(p.default);
        return !defaultCell.includes(`\`${expected}\``);
      })
      .map(([name]) => name);
    expect(wrong).toEqual([]);
  });
});

/** Every file of a folder of this repository, workspace-relative, written into the tree. */
function loadFolder(tree: Tree, repoPath: string): void {
  const base = join(REPO_ROOT, repoPath);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else tree.write(relative(base, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(base);
}

/**
 * The fenced code block right after a `<!-- sample: <name> -->` comment in a page,
 * with a trailing newline as in a file. Throws when the marker or its fence is missing.
 */
function sampleAfterMarker(markdown: string, name: string, page: string): string {
  const lines = markdown.split('\n');
  const marker = lines.findIndex((l) => l.trim() === `<!-- sample: ${name} -->`);
  if (marker === -1) throw new Error(`${page} has no "<!-- sample: ${name} -->" marker`);
  const open = /^(`{3,})\S*\s*$/.exec(lines[marker + 1] ?? '');
  if (!open) throw new Error(`${page}: the "${name}" marker must be followed directly by a code fence`);
  const close = lines.findIndex((l, i) => i > marker + 1 && l.trim() === open[1]);
  if (close === -1) throw new Error(`${page}: the "${name}" sample has no closing fence`);
  return `${lines.slice(marker + 2, close).join('\n')}\n`;
}

describe('the generated samples in docs/generator-setup.md', () => {
  const page = 'docs/generator-setup.md';
  let tree: Tree;

  beforeAll(async () => {
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    tree = createTreeWithEmptyWorkspace();
    loadFolder(tree, 'examples/shop');
    // No flags: the page says the sample uses the default images.
    await setupGenerator(tree, {});
  });
  afterAll(() => jest.restoreAllMocks());

  it.each(['cmd/api/Dockerfile', 'apps/storefront/Dockerfile'])('shows the %s that setup writes for examples/shop today', (file) => {
    expect(sampleAfterMarker(readText(page), `examples/shop ${file}`, page)).toBe(tree.read(file, 'utf-8'));
  });

  it('shows the .dockerignore that setup writes for examples/shop today', () => {
    expect(sampleAfterMarker(readText(page), 'examples/shop .dockerignore', page)).toBe(tree.read('.dockerignore', 'utf-8'));
  });
});

describe('the module list in docs/development.md', () => {
  const page = 'docs/development.md';
  const SRC = join(__dirname, 'src');
  const modules = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : modules(path);
      return /\.ts$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name) ? [`src/${relative(SRC, path).split('\\').join('/')}`] : [];
    });

  it('names every module of src/', () => {
    const text = readText(page);
    expect(modules(SRC).filter((m) => !text.includes(`\`${m}\``))).toEqual([]);
  });

  it('names no module that src/ lacks', () => {
    const named = [...readText(page).matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map((m) => m[1]);
    const known = new Set(modules(SRC));
    expect(named.filter((m) => !known.has(m))).toEqual([]);
  });
});

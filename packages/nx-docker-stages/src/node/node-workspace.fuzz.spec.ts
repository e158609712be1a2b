import fc from 'fast-check';
import { anyJson, anyText, assertProperty, callParser, isWorkspaceFileErrorOf, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { nodeProjectVerdicts } from './node-apps';
import { nodeImagesOf } from './node-version';
import { NodeWorkspace, readNodeWorkspace } from './node-workspace';
import { packageManagerChoice } from './package-manager';

const optionalFields = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] });

const PACKAGE_NAMES = ['@shop/web', '@shop/lib', 'web', 'api-e2e', 'ms', 'express', 'tslib', '', ...PROTOTYPE_NAMES];
const PATTERNS = ['apps/*', 'libs/*', 'packages/**', './apps/*', 'apps/*/', '!apps/legacy', '', '.', './', '!', '*', '**', '[', '{a,b}', '!(x)', '\\'];
const START_SCRIPTS = ['node index.js', 'node -r ./setup.js dist/main.js', 'node --env-file=.env a.js', 'node src/main.ts', 'node -r', 'tsx src/main.ts', 'node', ''];

const YAML_TOKENS = ['packages:', 'nodeLinker:', ' node-modules', ' pnp', '-', ' ', "'", '"', ':', '{', '}', '[', ']', '&a', '*a', '!!str', '!!binary', '%YAML 1.2', '---', '...', '? ', '|', '>', '#', '\t'];
const lockfileText = fc.oneof(
  fc.constantFrom('{"lockfileVersion": 3}', "lockfileVersion: '9.0'\n", '# yarn lockfile v1\n', '__metadata:\n  version: 8\n', '__metadata:\n', ''),
  anyText(['lockfileVersion', ':', '"', "'", '9.0', '6.0', '__metadata:', '\n  version: ', '8', '{', '}']),
);

/**
 * A workspace's Node files: a root manifest, lockfiles, YAML settings, a version file, and packages
 * and project.json files. With `wrongTypes`, a field sometimes holds any JSON value and a file
 * sometimes no JSON or YAML at all (what a hand-edited file may hold); without, every field has
 * the type the plugin reads, and only the values are hostile (prototype names, empty strings).
 */
function nodeWorkspaceFiles(wrongTypes: boolean): fc.Arbitrary<Map<string, string>> {
  const orWrong = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> => (wrongTypes ? fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: anyJson() }) : arbitrary);
  const jsonText = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> => {
    const json = value.map((v) => JSON.stringify(v));
    return wrongTypes ? fc.oneof({ weight: 8, arbitrary: json }, { weight: 1, arbitrary: anyJson().map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: anyText(['{', '}', '"name"', ':', ',', '[', ']', 'null']) }) : json;
  };
  const orNotYaml = (yaml: fc.Arbitrary<string>): fc.Arbitrary<string> => (wrongTypes ? fc.oneof(yaml, anyJson().map((v) => JSON.stringify(v)), anyText(YAML_TOKENS)) : yaml);

  const dependencies = orWrong(fc.dictionary(fc.constantFrom(...PACKAGE_NAMES), orWrong(fc.constantFrom('^1.0.0', 'file:../x', 'link:./y', 'workspace:*', '*', ''))));
  const target = orWrong(
    optionalFields({
      executor: orWrong(fc.constantFrom('@nx/js:node', '@nx/esbuild:esbuild', '@nx/webpack:webpack', '@nrwl/js:tsc', '@nx/vite:build', 'nx:run-commands', ...PROTOTYPE_NAMES)),
      options: orWrong(optionalFields({ buildTarget: orWrong(fc.constantFrom('build', 'web:build:production', 'x:y', '')), platform: orWrong(fc.constantFrom('node', 'browser')), target: orWrong(fc.constant('node')) })),
    }),
  );
  const targets = orWrong(fc.dictionary(fc.constantFrom('build', 'serve', 'start', ...PROTOTYPE_NAMES), target));
  const nodeVersion = orWrong(fc.constantFrom('20', 'v20.19.0', '>=18 <21', 'lts/iron', 'lts/*', 'lts/constructor', 'node', ''));
  const projectType = orWrong(fc.constantFrom('application', 'library', 'app'));
  const patterns = fc.array(orWrong(fc.constantFrom(...PATTERNS)), { maxLength: 3 });
  const manifest = optionalFields({
    name: orWrong(fc.constantFrom(...PACKAGE_NAMES)),
    version: orWrong(fc.constantFrom('1.0.0', '0.0.0-dev')),
    private: orWrong(fc.boolean()),
    type: orWrong(fc.constantFrom('module', 'commonjs')),
    main: orWrong(fc.constantFrom<string | false>('index.js', 'dist/main.js', '', false)),
    module: orWrong(fc.constant('index.mjs')),
    exports: anyJson(),
    types: orWrong(fc.constant('index.d.ts')),
    bin: orWrong(fc.oneof(fc.constantFrom('cli.js', ''), fc.dictionary(fc.constantFrom('cli', ...PROTOTYPE_NAMES), orWrong(fc.constant('cli.js'))))),
    files: orWrong(fc.array(fc.constantFrom('dist', 'index.js'))),
    scripts: orWrong(fc.dictionary(fc.constantFrom('start', 'build', ...PROTOTYPE_NAMES), orWrong(fc.constantFrom(...START_SCRIPTS)))),
    dependencies,
    devDependencies: dependencies,
    optionalDependencies: dependencies,
    workspaces: orWrong(fc.oneof(patterns, optionalFields({ packages: orWrong(patterns) }))),
    packageManager: orWrong(fc.constantFrom('pnpm@9.15.9+sha512.abc', 'yarn@4.5.0', 'npm@10.0.0', 'pnpm', 'yarn@')),
    engines: orWrong(optionalFields({ node: nodeVersion })),
    volta: orWrong(optionalFields({ node: nodeVersion })),
    nx: orWrong(optionalFields({ name: orWrong(fc.constantFrom(...PACKAGE_NAMES)), projectType, targets })),
  });
  const projectJson = optionalFields({ name: orWrong(fc.constantFrom(...PACKAGE_NAMES)), projectType, targets });
  const pnpmWorkspaceYaml = orNotYaml(fc.array(fc.constantFrom(...PATTERNS), { maxLength: 3 }).map((ps) => `packages:\n${ps.map((p) => `  - '${p}'`).join('\n')}\n`));
  const yarnrcYaml = orNotYaml(fc.constantFrom('nodeLinker: node-modules\n', 'nodeLinker: pnp\n', 'nodeLinker: constructor\n', ...(wrongTypes ? ['nodeLinker: [1]\n'] : [])));

  return fc
    .record({
      root: fc.option(jsonText(manifest), { nil: undefined, freq: 10 }),
      lockfiles: fc.subarray(['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'], { minLength: 1 }),
      lockfile: lockfileText,
      pnpmWorkspace: fc.option(pnpmWorkspaceYaml, { nil: undefined }),
      yarnrc: fc.option(yarnrcYaml, { nil: undefined }),
      nvmrc: fc.option(fc.oneof(fc.constantFrom('20', 'v20.19.0\n', 'lts/iron', 'lts/constructor'), anyText(['v', '20', '.', 'lts/', 'iron', '\n'])), { nil: undefined }),
      packages: fc.array(fc.tuple(fc.constantFrom('apps/web', 'apps/api', 'apps/legacy', 'libs/a', 'a/b', 'node_modules/x', '.'), fc.constantFrom('package.json', 'project.json')), { maxLength: 6 }),
    })
    .chain((w) =>
      fc.tuple(...w.packages.map(([, file]) => jsonText(file === 'package.json' ? manifest : projectJson))).map((texts) => {
        const files = new Map<string, string>();
        if (w.root !== undefined) files.set('package.json', w.root);
        for (const lockfile of w.lockfiles) files.set(lockfile, w.lockfile);
        if (w.pnpmWorkspace !== undefined) files.set('pnpm-workspace.yaml', w.pnpmWorkspace);
        if (w.yarnrc !== undefined) files.set('.yarnrc.yml', w.yarnrc);
        if (w.nvmrc !== undefined) files.set('.nvmrc', w.nvmrc);
        w.packages.forEach(([dir, file], i) => files.set(dir === '.' ? file : `${dir}/${file}`, texts[i]));
        return files;
      }),
    );
}

/** readNodeWorkspace on fuzzed files: the workspace, or null when there is none or it threw the plugin error naming one of them (anything else fails). */
function readFuzzed(files: Map<string, string>): NodeWorkspace | null {
  const paths = [...files.keys()];
  const outcome = callParser(() => readNodeWorkspace(paths, (path) => files.get(path)!), isWorkspaceFileErrorOf(...paths));
  return 'returned' in outcome ? outcome.returned : null;
}

describe('the Node model on any workspace files', () => {
  it('reads the workspace, or throws the plugin error naming the file at fault; what it reads has the declared types', () => {
    assertProperty(
      fc.property(nodeWorkspaceFiles(true), (files) => {
        const ws = readFuzzed(files);
        if (!ws) return;
        const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
        expect([ws.packageManagerField, ws.yarnNodeLinker, ws.lockfileVersion].every(optionalString)).toBe(true);
        for (const p of ws.projects) {
          expect(typeof p.name).toBe('string');
          expect(Object.values(p.targets).every((t) => typeof t === 'object' && t !== null && optionalString(t.executor))).toBe(true);
        }
      }),
    );
  });

  it('gives every project a verdict, and the workspace a package manager and Node images, without any error', () => {
    assertProperty(
      fc.property(nodeWorkspaceFiles(false), (files) => {
        const ws = readFuzzed(files);
        if (!ws) return;
        const verdicts = callParser(() => nodeProjectVerdicts(ws), nothingThrown);
        if ('returned' in verdicts) expect(verdicts.returned.every((v) => typeof v.project === 'string' && typeof v.why === 'string')).toBe(true);
        const manager = callParser(() => packageManagerChoice(ws), nothingThrown);
        if ('returned' in manager) expect(manager.returned.install === null || typeof manager.returned.install === 'string').toBe(true);
        const images = callParser(() => nodeImagesOf(ws, {}), nothingThrown);
        if ('returned' in images) expect(images.returned.nodeImage).toMatch(/^node:\d+-bookworm-slim$/);
      }),
    );
  });
});

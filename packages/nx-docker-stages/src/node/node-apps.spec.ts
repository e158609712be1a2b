import { NodeProjectVerdict, nodeAppsOf, nodeProjectVerdicts, targetNameOf } from './node-apps';
import { nodeWorkspaceOf, shopFiles } from './test-node-workspace';

const verdictsOf = (files: Record<string, unknown>) => nodeProjectVerdicts(nodeWorkspaceOf(files));
const summary = (verdicts: NodeProjectVerdict[]) =>
  verdicts.map((v) => `${v.project}: ${v.verdict}${v.verdict === 'app' ? ` (${v.app.build.kind === 'nx' ? `nx ${v.app.build.target}` : 'package'})` : ''}`);

/** An npm workspace as `create-nx-workspace --preset=node-monorepo` and `nx g @nx/js:lib` make it (TS-solution layout). */
const tsSolution = {
  'package.json': { name: '@wsa/source', private: true, workspaces: ['apps/*', 'libs/*'], dependencies: { express: '^5.1.0' }, devDependencies: { tslib: '^2.3.0' } },
  'package-lock.json': '{"lockfileVersion": 3}',
  'apps/api/package.json': {
    name: '@wsa/api',
    private: true,
    nx: {
      targets: {
        build: { executor: '@nx/esbuild:esbuild', options: { platform: 'node', outputPath: 'apps/api/dist', main: 'apps/api/src/main.ts' } },
        serve: { executor: '@nx/js:node', options: { buildTarget: '@wsa/api:build' } },
      },
    },
    dependencies: { express: '^5.1.0' },
  },
  'libs/shared/package.json': { name: '@wsa/shared', type: 'module', main: './dist/index.js', exports: { '.': { import: './dist/index.js' } }, dependencies: { tslib: '^2.3.0' } },
  'apps/api-e2e/package.json': { name: '@wsa/api-e2e', nx: { targets: { e2e: { executor: '@nx/jest:jest' } } } },
};

describe('which Node projects are apps', () => {
  it('takes an app Nx serves with @nx/js:node as built by the target its buildTarget names, and a library with exports as a library', () => {
    expect(summary(verdictsOf(tsSolution))).toEqual(['@wsa/api: app (nx build)', '@wsa/api-e2e: skipped', '@wsa/shared: library']);
  });

  it('finds the build target of the integrated layout in project.json, a Nest app built by an inferred target included', () => {
    const integrated = verdictsOf({
      'package.json': { name: '@wsd/source' },
      'package-lock.json': '{}',
      'apps/nestapi/project.json': { name: 'nestapi', projectType: 'application', targets: { serve: { executor: '@nx/js:node', options: { buildTarget: 'nestapi:build' } } } },
      'apps/expressapi/project.json': {
        name: 'expressapi',
        projectType: 'application',
        targets: { build: { executor: '@nx/esbuild:esbuild', options: { outputPath: 'dist/apps/expressapi' } }, serve: { executor: '@nx/js:node', options: { buildTarget: 'expressapi:build:production' } } },
      },
      'libs/shared/project.json': { name: 'shared', projectType: 'library', targets: { build: { executor: '@nx/js:tsc' } } },
    });
    expect(summary(integrated)).toEqual(['expressapi: app (nx build)', 'nestapi: app (nx build)', 'shared: library']);
  });

  it('takes an application built for Node by its build target even without a serve target', () => {
    const verdicts = verdictsOf({
      'package.json': { name: 'x' },
      'package-lock.json': '{}',
      'apps/worker/project.json': { name: 'worker', projectType: 'application', targets: { build: { executor: '@nx/webpack:webpack', options: { target: 'node' } } } },
      'apps/site/project.json': { name: 'site', projectType: 'application', targets: { build: { executor: '@nx/vite:build' } } },
    });
    expect(summary(verdicts)).toEqual(['site: skipped', 'worker: app (nx build)']);
    expect(verdicts[0]).toMatchObject({ why: expect.stringContaining('@nx/vite:build: a web front end'), fix: expect.stringContaining('@nx/js:node') });
  });

  it('takes each executor Nx builds Node apps with: tsc and swc (setup-build), a standalone app at the root, and a served app whose build the @nx/js/typescript plugin infers', () => {
    const verdicts = verdictsOf({
      // create-nx-workspace --preset=node-standalone: the app's project.json at the workspace root.
      'package.json': { name: '@wsi/source' },
      'package-lock.json': '{}',
      'project.json': { name: 'wsi', projectType: 'application', targets: { build: { executor: '@nx/esbuild:esbuild', options: { platform: 'node', outputPath: 'dist/wsi' } } } },
      'apps/tscapi/project.json': { name: 'tscapi', projectType: 'application', targets: { build: { executor: '@nx/js:tsc', options: { outputPath: 'dist/apps/tscapi' } } } },
      'apps/swcapi/project.json': { name: 'swcapi', projectType: 'application', targets: { build: { executor: '@nx/js:swc', options: { outputPath: 'apps/swcapi/dist', stripLeadingPaths: true } } } },
      // What the @nx/js/typescript plugin infers (`tsc --build`), served by @nx/js:node.
      'apps/inferred/project.json': {
        name: 'inferred',
        projectType: 'application',
        targets: {
          build: { executor: 'nx:run-commands', options: { command: 'tsc --build tsconfig.lib.json' }, outputs: ['{projectRoot}/dist/**/*.js'] },
          serve: { executor: '@nx/js:node', options: { buildTarget: 'inferred:build' } },
        },
      },
    });
    expect(summary(verdicts).sort()).toEqual(['inferred: app (nx build)', 'swcapi: app (nx build)', 'tscapi: app (nx build)', 'wsi: app (nx build)']);
  });

  it('takes a package with something to run that nothing depends on as a package app, started as its start script says', () => {
    const verdicts = verdictsOf(shopFiles);
    expect(summary(verdicts)).toEqual(['@shop/ping: app (package)', '@shop/report: app (package)', '@shop/web: app (package)', '@shop/greeting: library']);
    expect(nodeAppsOf(verdicts).find((a) => a.projectName === '@shop/report')?.build).toEqual({
      kind: 'package',
      start: { flags: ['--enable-source-maps'], entry: 'dist/main.js', args: ['--verbose'] },
    });
  });

  it('takes a library or an app at its word when package.json says so under "nx"', () => {
    const declared = verdictsOf({
      ...shopFiles,
      'libs/greeting/package.json': { name: '@shop/greeting', main: 'src/index.js', nx: { projectType: 'application' } },
      'apps/ping/package.json': { name: '@shop/ping', main: 'index.js', nx: { projectType: 'library' } },
    });
    expect(summary(declared)).toEqual(['@shop/ping: library', '@shop/report: app (package)', '@shop/web: app (package)', '@shop/greeting: app (package)']);
  });

  it('skips, with the reason and the fix, a package it cannot start, and still plans the others', () => {
    const verdicts = verdictsOf({
      ...shopFiles,
      'apps/ping/package.json': { name: '@shop/ping', scripts: { start: 'next start' } },
      'apps/report/package.json': { name: '@shop/report', scripts: { start: 'node -r esbuild-register ./src/index.ts' }, devDependencies: { 'esbuild-register': '^3' } },
    });
    expect(summary(verdicts)).toEqual(['@shop/ping: skipped', '@shop/report: skipped', '@shop/web: app (package)', '@shop/greeting: library']);
    expect(verdicts[0]).toMatchObject({ file: 'apps/ping/package.json', why: expect.stringContaining('"next start" is not "node <file>"') });
    expect(verdicts[1]).toMatchObject({ why: expect.stringContaining('esbuild-register'), fix: expect.stringContaining('build the app to JavaScript') });
  });

  it('skips an app whose production dependency points at the file system, but not one on a workspace package named by path', () => {
    const verdicts = verdictsOf({
      ...shopFiles,
      'apps/ping/package.json': { name: '@shop/ping', main: 'index.js', dependencies: { 'left-pad': 'file:../../vendor/left-pad.tgz' }, devDependencies: { tool: 'file:../../tool.tgz' } },
      'apps/web/package.json': { name: '@shop/web', scripts: { start: 'node src/main.js' }, dependencies: { '@shop/greeting': 'file:../../libs/greeting' } },
    });
    expect(summary(verdicts)).toEqual(['@shop/ping: skipped', '@shop/report: app (package)', '@shop/web: app (package)', '@shop/greeting: library']);
    expect(verdicts[0]).toMatchObject({ file: 'apps/ping/package.json', why: expect.stringContaining('left-pad (file:../../vendor/left-pad.tgz) point at the file system'), fix: expect.stringContaining('publish them') });
  });

  it('takes an executor named like an inherited property ("hasOwnProperty", "__proto__") for no build executor', () => {
    // Found by node-workspace.fuzz.spec.ts: the executor table's inherited properties were called, and threw a TypeError.
    const verdicts = verdictsOf({
      'package.json': {},
      'pnpm-lock.yaml': '',
      'apps/web/project.json': { targets: { build: { executor: 'hasOwnProperty' } } },
      'apps/api/project.json': { targets: { build: { executor: '__proto__' } } },
    });
    expect(summary(verdicts)).toEqual(['api: library', 'web: library']);
  });

  it('reads the target out of a buildTarget with project and configuration', () => {
    expect(targetNameOf('@wsa/api:build', '@wsa/api')).toBe('build');
    expect(targetNameOf('api:build:production', 'api')).toBe('build');
    expect(targetNameOf('build', 'api')).toBe('build');
    expect(targetNameOf('other:compile:production', 'api')).toBe('compile');
  });
});

import { buildStepOrder, isNodeApp, planNodeApps, productionManifest, startCommand, workspaceClosure } from './node-apps';
import { nodeWorkspaceOf, shopFiles } from './test-node-workspace';

const ws = nodeWorkspaceOf(shopFiles);
const pkg = (name: string) => ws.packages.find((p) => p.name === name)!;

describe('Node apps', () => {
  it('finds the apps: packages with something to run that no other package depends on', () => {
    expect(planNodeApps(ws).map((a) => a.projectName)).toEqual(['@shop/ping', '@shop/report', '@shop/web']);
    expect(isNodeApp(ws, pkg('@shop/greeting'))).toBe(false);
  });

  it('takes a library or an app at its word when package.json says so under "nx"', () => {
    const declared = nodeWorkspaceOf({
      ...shopFiles,
      'libs/greeting/package.json': { name: '@shop/greeting', main: 'src/index.js', nx: { projectType: 'application' } },
      'apps/ping/package.json': { name: '@shop/ping', main: 'index.js', nx: { projectType: 'library' } },
    });
    expect(planNodeApps(declared).map((a) => a.projectName)).toEqual(['@shop/report', '@shop/web', '@shop/greeting']);
  });

  it('starts an app by its "node <file>" start script, keeping node flags and arguments', () => {
    expect(startCommand(pkg('@shop/report'))).toEqual(['node', '--enable-source-maps', 'dist/main.js', '--verbose']);
    expect(startCommand(pkg('@shop/web'))).toEqual(['node', 'src/main.js']);
  });

  it('falls back to main, then bin, when the start script is not a plain node command', () => {
    const app = { dir: 'a', name: 'a', manifest: { scripts: { start: 'node src/a.js && echo done' }, main: 'lib/a.js' } };
    expect(startCommand(app)).toEqual(['node', 'lib/a.js']);
    expect(startCommand({ dir: 'b', name: 'b', manifest: { bin: { b: './cli.js' } } })).toEqual(['node', './cli.js']);
  });

  it('names the app and the fix when it cannot tell how to start it', () => {
    const odd = nodeWorkspaceOf({ ...shopFiles, 'apps/ping/package.json': { name: '@shop/ping', scripts: { start: 'next start' } } });
    expect(() => planNodeApps(odd)).toThrow(/^apps\/ping\/package.json: cannot tell how to start @shop\/ping .*set "main"/);
  });

  it('builds with every workspace package the app depends on, dependencies first', () => {
    expect(workspaceClosure(ws, pkg('@shop/web'), false).map((p) => p.name)).toEqual(['@shop/greeting', '@shop/web']);
  });

  it('orders the build stage so an edit re-runs no build that does not need it: built packages and what they need first', () => {
    const layered = nodeWorkspaceOf({
      'package.json': { name: 'shop', workspaces: ['apps/*', 'libs/*'] },
      'package-lock.json': '{}',
      'libs/alpha/package.json': { name: '@shop/alpha', main: 'index.js' },
      'libs/logger/package.json': { name: '@shop/logger', main: 'index.js' },
      'libs/events/package.json': { name: '@shop/events', main: 'dist/index.js', scripts: { build: 'tsc' }, dependencies: { '@shop/logger': '*' } },
      'libs/validation/package.json': { name: '@shop/validation', main: 'index.js' },
      'apps/hooks/package.json': {
        name: '@shop/hooks',
        main: 'main.js',
        dependencies: { '@shop/alpha': '*', '@shop/events': '*', '@shop/validation': '*' },
      },
    });
    const hooks = planNodeApps(layered).find((a) => a.projectName === '@shop/hooks')!;
    expect(hooks.buildClosure.map((p) => p.name)).toEqual(['@shop/alpha', '@shop/logger', '@shop/events', '@shop/validation', '@shop/hooks']);
    expect(buildStepOrder(layered, hooks.buildClosure).map((p) => p.name)).toEqual([
      '@shop/logger',
      '@shop/events',
      '@shop/alpha',
      '@shop/validation',
      '@shop/hooks',
    ]);
  });

  it('runs with only the libraries among its production dependencies', () => {
    const withDevLib = nodeWorkspaceOf({
      ...shopFiles,
      'libs/testing/package.json': { name: '@shop/testing', main: 'index.js' },
      'apps/web/package.json': {
        name: '@shop/web',
        scripts: { start: 'node src/main.js' },
        dependencies: { '@shop/greeting': '*' },
        devDependencies: { '@shop/testing': '*' },
      },
    });
    const web = planNodeApps(withDevLib).find((a) => a.projectName === '@shop/web')!;
    expect(web.buildClosure.map((p) => p.name)).toEqual(['@shop/greeting', '@shop/testing', '@shop/web']);
    expect(web.runtimeLibraries.map((p) => p.name)).toEqual(['@shop/greeting']);
  });
});

describe('the production manifest of an app', () => {
  it("holds the app's and its libraries' external production dependencies, no workspace package and no devDependency", () => {
    expect(productionManifest(ws, pkg('@shop/web')).dependencies).toEqual({ ms: '^2.1.3' });
    expect(productionManifest(ws, pkg('@shop/report')).dependencies).toEqual({ 'is-number': '^7.0.0' });
    expect(productionManifest(ws, pkg('@shop/ping')).dependencies).toEqual({});
  });

  it('refuses, naming both packages, when a library wants another range of a dependency than the app', () => {
    const clash = nodeWorkspaceOf({
      ...shopFiles,
      'apps/web/package.json': { name: '@shop/web', main: 'a.js', dependencies: { '@shop/greeting': '*', ms: '^1.0.0' } },
    });
    expect(() => productionManifest(clash, clash.packages.find((p) => p.name === '@shop/web')!)).toThrow(
      /^@shop\/web: @shop\/web wants ms@\^1.0.0 and @shop\/greeting wants ms@\^2.1.3/,
    );
  });
});

/** Builds a Node workspace model from an in-memory file map, for specs. */
import { NodeWorkspace, readNodeWorkspace } from './node-workspace';

export function nodeWorkspaceOf(files: Record<string, unknown>): NodeWorkspace {
  const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const ws = readNodeWorkspace(Object.keys(texts), (path) => {
    if (!(path in texts)) throw new Error(`no such file ${path}`);
    return texts[path];
  });
  if (!ws) throw new Error('not a Node workspace');
  return ws;
}

/** An npm workspace like the e2e fixture: a JS app on a library, a TypeScript app, an app with no dependencies. */
export const shopFiles = {
  'package.json': { name: 'shop', private: true, workspaces: ['apps/*', 'libs/*'] },
  'package-lock.json': '{}',
  'libs/greeting/package.json': { name: '@shop/greeting', main: 'src/index.js', dependencies: { ms: '^2.1.3' } },
  'apps/web/package.json': {
    name: '@shop/web',
    scripts: { start: 'node src/main.js' },
    dependencies: { '@shop/greeting': '*' },
    devDependencies: { 'is-odd': '^3.0.1' },
  },
  'apps/report/package.json': {
    name: '@shop/report',
    main: 'dist/main.js',
    files: ['dist'],
    scripts: { build: 'tsc -p tsconfig.json', start: 'node --enable-source-maps dist/main.js --verbose' },
    dependencies: { 'is-number': '^7.0.0' },
    devDependencies: { typescript: '~5.6.3' },
  },
  'apps/ping/package.json': { name: '@shop/ping', main: 'index.js' },
  'tools/scripts/package.json': { name: 'scripts', main: 'x.js' },
};

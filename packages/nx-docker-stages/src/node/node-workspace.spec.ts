import { workspaceMatcher } from './node-workspace';
import { nodeWorkspaceOf, shopFiles } from './test-node-workspace';

describe('reading a Node workspace', () => {
  it('reads an npm workspace: its lockfile and the packages its patterns name', () => {
    const ws = nodeWorkspaceOf(shopFiles);
    expect(ws.packageManager).toBe('npm');
    expect(ws.lockfile).toBe('package-lock.json');
    expect(ws.packages.map((p) => `${p.name} @ ${p.dir}`)).toEqual([
      '@shop/ping @ apps/ping',
      '@shop/report @ apps/report',
      '@shop/web @ apps/web',
      '@shop/greeting @ libs/greeting',
    ]);
  });

  it('reads a pnpm workspace from pnpm-workspace.yaml, with its pinned pnpm version', () => {
    const ws = nodeWorkspaceOf({
      'package.json': { name: 'shop', packageManager: 'pnpm@9.15.9+sha512.abc' },
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n",
      'apps/web/package.json': { name: 'web', main: 'index.js' },
      'apps/legacy/package.json': { name: 'legacy', main: 'index.js' },
    });
    expect(ws.packageManager).toBe('pnpm');
    expect(ws.packageManagerVersion).toBe('pnpm@9.15.9');
    expect(ws.installFiles).toEqual(['pnpm-workspace.yaml']);
    expect(ws.packages.map((p) => p.name)).toEqual(['web']);
  });

  it('is not a Node workspace without a lockfile next to package.json', () => {
    const { readNodeWorkspace } = jest.requireActual('./node-workspace');
    expect(readNodeWorkspace(['package.json'], () => '{}')).toBeNull();
  });

  it('names the file when a manifest is not valid JSON', () => {
    expect(() => nodeWorkspaceOf({ ...shopFiles, 'apps/web/package.json': '{ nope' })).toThrow(/^apps\/web\/package.json: not valid JSON/);
  });

  it('matches workspace patterns with globs and exclusions', () => {
    expect(workspaceMatcher(['packages/**'])('packages/a/b')).toBe(true);
    expect(workspaceMatcher(['./apps/*/', '!apps/x'])('apps/x')).toBe(false);
    expect(workspaceMatcher(['./apps/*/', '!apps/x'])('apps/y')).toBe(true);
  });
});

import type { ProjectGraph } from '@nx/devkit';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeWorkspaceOf } from '../node/test-node-workspace';
import { NxJsInternals } from './nx-js-internals';
import { writePrunedDependencies } from './prune-lockfile';

/** Nx's internals, answering as told; the real ones run in node-image-context.spec.ts. */
function fakeNx(detected: Record<string, string>, prunedLock: (workspaceLock: string) => string): NxJsInternals & { pruned: jest.Mock } {
  const pruned = jest.fn();
  return {
    createPackageJson: () => ({ dependencies: detected }),
    createLockFile: () => '',
    readFileMapCache: () => null,
    pruned,
    generatePrunedDeployOutput: (_manifest, _graph, _root, { outputDirectory }) => {
      pruned();
      writeFileSync(join(outputDirectory, 'package-lock.json'), prunedLock(workspaceLockText));
    },
  };
}

const workspaceLockText = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/ms': { version: '2.1.3' } } });
const ws = nodeWorkspaceOf({
  'package.json': { name: 'shop', workspaces: ['apps/*'] },
  'package-lock.json': workspaceLockText,
  'apps/web/package.json': { name: '@shop/web', main: 'main.js', dependencies: { ms: '^2.1.3' } },
});
const graph = { nodes: { '@shop/web': { name: '@shop/web', type: 'app', data: { root: 'apps/web' } } }, dependencies: {} } as unknown as ProjectGraph;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'prune-spec-'));
  writeFileSync(join(root, 'package-lock.json'), workspaceLockText);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the pruned production dependencies', () => {
  it('refuses a production dependency that points at the file system, naming it and the fix, before pruning', () => {
    const nx = fakeNx({ 'left-pad': 'file:../vendor/left-pad-1.3.0.tgz' }, (lock) => lock);
    expect(() => writePrunedDependencies('@shop/web', graph, root, ws, [], nx, {}, join(root, 'deps'))).toThrow(
      /^@shop\/web: its production dependencies left-pad \(file:\.\.\/vendor\/left-pad-1\.3\.0\.tgz\) point at the file system.*publish them to a registry/,
    );
    expect(nx.pruned).not.toHaveBeenCalled();
  });

  it('builds nothing from a lockfile Nx could not prune (it fell back to the whole lockfile), naming the package manager', () => {
    const out = join(root, 'deps');
    expect(() => writePrunedDependencies('@shop/web', graph, root, ws, [], fakeNx({}, (lock) => lock), {}, out)).toThrow(
      /^@shop\/web: could not prune package-lock.json .*Run "npm install"/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('looks a built import named like an inherited property up as any other package name', () => {
    // "constructor" is in no package.json: before, the lookup found Object's constructor and added a function as its version.
    const imports = new Map([['constructor', { file: 'apps/web/dist/main.js', static: true }]]);
    expect(() => writePrunedDependencies('@shop/web', graph, root, ws, [], fakeNx({ ms: '^2.1.3' }, (lock) => lock.replace('3,', '3, ')), {}, join(root, 'deps'), imports)).toThrow(
      /^@shop\/web: its built code imports constructor \(imported by apps\/web\/dist\/main\.js\), which neither its production dependencies nor the workspace's installed packages provide/,
    );
  });

  it('adds a package named __proto__ that the workspace declares as an own dependency, not as the prototype', () => {
    const withProto = nodeWorkspaceOf({
      'package.json': JSON.parse('{"name": "shop", "workspaces": ["apps/*"], "dependencies": {"__proto__": "1.0.0"}}'),
      'package-lock.json': workspaceLockText,
      'apps/web/package.json': { name: '@shop/web', main: 'main.js', dependencies: { ms: '^2.1.3' } },
    });
    const imports = new Map([['__proto__', { file: 'apps/web/dist/main.js', static: true }]]);
    const out = join(root, 'deps');
    const notes = writePrunedDependencies('@shop/web', graph, root, withProto, [], fakeNx({ ms: '^2.1.3' }, (lock) => lock.replace('3,', '3, ')), {}, out, imports);
    expect(notes).toEqual([expect.stringContaining('its built code loads __proto__@1.0.0')]);
    const written = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(Object.hasOwn(written.dependencies, '__proto__')).toBe(true);
    expect(written.dependencies).toEqual(JSON.parse('{"ms": "^2.1.3", "__proto__": "1.0.0"}'));
  });
});

import { isTestOrToolingFile, runtimeWorkspaceClosure } from './runtime-closure';

const graph = {
  nodes: { app: {}, shared: {}, util: {}, testing: {}, other: {} },
  dependencies: {
    app: [{ target: 'shared' }, { target: 'testing' }, { target: 'npm:express' }],
    shared: [{ target: 'util' }],
    util: [{ target: 'shared' }],
    other: [{ target: 'util' }],
  },
};

describe('the workspace projects an app runs with', () => {
  it('follows the graph transitively, leaving out npm packages, edges production code does not make, and the app itself', () => {
    expect(runtimeWorkspaceClosure(graph, 'app', (_source, target) => target !== 'testing')).toEqual(['shared', 'util']);
  });

  it('tells test and tooling files from production ones', () => {
    for (const file of ['apps/a/src/main.spec.ts', 'libs/x/src/__tests__/a.ts', 'apps/a/jest.config.ts', 'apps/a/src/test-setup.ts', 'apps/a-e2e/src/e2e/x.ts']) {
      expect(isTestOrToolingFile(file)).toBe(true);
    }
    for (const file of ['apps/a/src/main.ts', 'libs/x/src/lib/testimony.ts', 'apps/a/package.json']) expect(isTestOrToolingFile(file)).toBe(false);
  });
});

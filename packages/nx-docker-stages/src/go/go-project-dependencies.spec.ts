import { goProjectDependencies } from './go-project-dependencies';

const edge = (fromPackage: string, toPackage: string, sourceFile = `${fromPackage}/main.go`) => ({ fromPackage, toPackage, sourceFile });

describe('Go imports as project dependencies', () => {
  const projects = new Map([
    ['apps/api', 'api'],
    ['libs/util', 'util'],
    ['libs/util/sub', 'util-sub'],
  ]);

  it('gives each package to the deepest project above it', () => {
    expect(goProjectDependencies([edge('apps/api/cmd', 'libs/util/sub/x'), edge('apps/api', 'libs/util/strs')], projects)).toEqual([
      { source: 'api', target: 'util-sub', sourceFile: 'apps/api/cmd/main.go' },
      { source: 'api', target: 'util', sourceFile: 'apps/api/main.go' },
    ]);
  });

  it('makes one dependency per pair of projects, with the file of its first import', () => {
    expect(goProjectDependencies([edge('apps/api', 'libs/util', 'apps/api/a.go'), edge('apps/api/x', 'libs/util/y', 'apps/api/x/b.go')], projects)).toEqual([
      { source: 'api', target: 'util', sourceFile: 'apps/api/a.go' },
    ]);
  });

  it('leaves out imports inside one project and packages outside every project', () => {
    expect(goProjectDependencies([edge('apps/api', 'apps/api/internal/db'), edge('tools/gen', 'libs/util'), edge('apps/api', 'vendorish/x')], projects)).toEqual([]);
  });

  it('gives packages outside every other project to a project at the workspace root', () => {
    expect(goProjectDependencies([edge('tools/gen', 'libs/util')], new Map([...projects, ['.', 'shop']]))).toEqual([
      { source: 'shop', target: 'util', sourceFile: 'tools/gen/main.go' },
    ]);
  });
});

import { unitOfModule } from './go-workspace';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

describe('the unit of a module', () => {
  it('is the first go.work that uses it, else the module itself', () => {
    const ws = goWorkspaceOf({
      'go.work': 'use ./a\nuse ./b\n',
      'a/go.mod': 'module example.com/a\n',
      'a/a.go': libUsing('a'),
      'b/go.mod': 'module example.com/b\n',
      'b/b.go': libUsing('b'),
      'tools/go.mod': 'module example.com/tools\n',
      'tools/t.go': libUsing('t'),
    });
    expect(unitOfModule(ws, 'a')).toMatchObject({ kind: 'work', dir: '.' });
    expect(unitOfModule(ws, 'b')).toBe(unitOfModule(ws, 'a'));
    expect(unitOfModule(ws, 'tools')).toMatchObject({ kind: 'module', dir: 'tools', moduleDirs: ['tools'] });
  });
});

describe('a workspace file Go would refuse', () => {
  const files = {
    'go.work': 'use ./api\nuse ./broken\n',
    'api/go.mod': 'module example.com/api\n',
    'api/main.go': mainUsing('example.com/api/greet'),
    'api/greet/greet.go': libUsing('greet'),
    'api/greet/odd.go': '//go:build linux &&\n\npackage greet\n\nimport "example.com/api/nowhere"\n',
    'broken/go.mod': 'go 1.23\n',
    'broken/cmd/tool/main.go': mainUsing('fmt'),
  };

  it('is left out with what depends on it, named with its fix, and the rest of the workspace goes on', () => {
    const ws = goWorkspaceOf(files);
    expect(ws.problems.map((p) => [p.file, p.message])).toEqual([
      ['broken/go.mod', expect.stringMatching(/^broken\/go.mod: no "module" directive found; add "module <path>"/)],
      ['api/greet/odd.go', expect.stringMatching(/^api\/greet\/odd.go: malformed build constraint.*; fix the constraint so "go vet" accepts it$/)],
    ]);
    // The broken module and its packages are gone; the go.work keeps the other module, and says nothing more about the broken one.
    expect([...ws.modules.keys()]).toEqual(['api']);
    expect([...ws.packages.keys()].sort()).toEqual(['api', 'api/greet']);
    expect(ws.units).toEqual([expect.objectContaining({ kind: 'work', moduleDirs: ['api'] })]);
    // The refused file's imports are not the package's.
    expect(ws.packages.get('api/greet')!.sources.map((f) => f.file)).toEqual(['api/greet/greet.go']);
  });
});

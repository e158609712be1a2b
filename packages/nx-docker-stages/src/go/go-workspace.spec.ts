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

describe('a vendor tree', () => {
  const vendored = {
    'go.work': 'use ./svc\n',
    'svc/go.mod': 'module example.com/svc\n\ngo 1.23\n\nrequire github.com/go-chi/chi/v5 v5.2.3\n',
    'svc/go.sum': 'github.com/go-chi/chi/v5 v5.2.3 h1:x\n',
    'svc/main.go': mainUsing('github.com/go-chi/chi/v5'),
    'svc/vendor/modules.txt': '# github.com/go-chi/chi/v5 v5.2.3\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n',
    'svc/vendor/github.com/go-chi/chi/v5/chi.go': libUsing('chi'),
    'tools/go.mod': 'module example.com/tools\n\ngo 1.23\n',
    'tools/vendor/modules.txt': '',
    'tools/main.go': mainUsing('fmt'),
    'other/go.mod': 'module example.com/other\n',
    'other/vendor/github.com/x/y.go': libUsing('y'),
  };

  it("is the unit's when modules.txt is at its root (a module's, or a go.work's), and part of its apps' inputs", () => {
    const ws = goWorkspaceOf(vendored);
    expect(unitOfModule(ws, 'tools')).toMatchObject({ kind: 'module', vendorDir: 'tools/vendor', inputFiles: expect.arrayContaining(['tools/vendor/**/*']) });
    // A module of a go.work builds with the go.work's vendor tree (Go 1.22+), not its own.
    expect(unitOfModule(ws, 'svc')).toMatchObject({ kind: 'work' });
    expect(unitOfModule(ws, 'svc').vendorDir).toBeUndefined();
    expect(goWorkspaceOf({ ...vendored, 'vendor/modules.txt': '' }).units.find((u) => u.kind === 'work')).toMatchObject({ vendorDir: 'vendor' });
    // Without modules.txt a vendor folder is not a vendor tree.
    expect(unitOfModule(ws, 'other').vendorDir).toBeUndefined();
  });

  it('holds no workspace packages: vendored code is not part of the import graph', () => {
    const ws = goWorkspaceOf(vendored);
    expect([...ws.packages.keys()].some((dir) => dir.includes('vendor'))).toBe(false);
  });
});

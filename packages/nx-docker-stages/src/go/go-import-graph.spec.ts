import { closureCopyDirs, goImportGraph, goPackageClosure, resolveGoImport } from './go-import-graph';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

const singleModule = {
  'go.mod': 'module example.com/shop\n\ngo 1.19\n',
  'cmd/api/main.go': mainUsing('fmt', 'example.com/shop/internal/greeting'),
  'cmd/api/main_test.go': 'package main\n\nimport "example.com/shop/internal/testonly"\n',
  'cmd/worker/main.go': mainUsing('example.com/shop/internal/jobs'),
  'internal/jobs/jobs.go': libUsing('jobs', 'example.com/shop/internal/greeting'),
  'internal/greeting/greeting.go': libUsing('greeting'),
  'internal/greeting/format/format.go': libUsing('format'),
  'internal/testonly/t.go': libUsing('testonly'),
  'internal/winonly/w.go': libUsing('winonly'),
  'cmd/api/platform_windows.go': 'package main\n\nimport "example.com/shop/internal/winonly"\n',
  'cmd/api/tools.go': '//go:build tools\n\npackage main\n\nimport "example.com/shop/internal/winonly"\n',
};

describe('the Go import graph', () => {
  it('links each package to the workspace packages its built files import', () => {
    const edges = goImportGraph(goWorkspaceOf(singleModule)).map((e) => `${e.fromPackage} -> ${e.toPackage} (${e.sourceFile})`);
    expect(edges.sort()).toEqual([
      'cmd/api -> internal/greeting (cmd/api/main.go)',
      'cmd/worker -> internal/jobs (cmd/worker/main.go)',
      'internal/jobs -> internal/greeting (internal/jobs/jobs.go)',
    ]);
  });

  it('ignores imports made only by _test.go files', () => {
    const edges = goImportGraph(goWorkspaceOf(singleModule));
    expect(edges.some((e) => e.toPackage === 'internal/testonly')).toBe(false);
  });

  it('ignores files excluded by build tags or by an other-OS file name', () => {
    const edges = goImportGraph(goWorkspaceOf(singleModule));
    expect(edges.some((e) => e.toPackage === 'internal/winonly')).toBe(false);
  });

  it('computes the transitive package closure of an app', () => {
    const ws = goWorkspaceOf(singleModule);
    expect(goPackageClosure(ws, 'cmd/worker').map((p) => p.dir)).toEqual(['cmd/worker', 'internal/greeting', 'internal/jobs']);
  });

  it('copies a folder once when a closure holds nested packages', () => {
    const ws = goWorkspaceOf({
      ...singleModule,
      'cmd/api/main.go': mainUsing('example.com/shop/internal/greeting', 'example.com/shop/internal/greeting/format'),
    });
    expect(closureCopyDirs(goPackageClosure(ws, 'cmd/api'))).toEqual(['cmd/api', 'internal/greeting']);
  });

  it('resolves standard-library and external imports to nothing', () => {
    const ws = goWorkspaceOf(singleModule);
    expect(resolveGoImport(ws, '.', 'fmt')).toBeUndefined();
    expect(resolveGoImport(ws, '.', 'github.com/other/pkg')).toBeUndefined();
    expect(resolveGoImport(ws, '.', 'example.com/shop/internal/missing')).toBeUndefined();
  });
});

describe('multi-module layouts', () => {
  const goWork = {
    'go.work': 'go 1.19\n\nuse (\n\t./apps/hello\n\t./apps/bye\n\t./libs/greet\n)\n',
    'apps/hello/go.mod': 'module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v0.0.0\n',
    'apps/hello/main.go': mainUsing('example.com/greet'),
    'apps/bye/go.mod': 'module example.com/bye\n\ngo 1.19\n',
    'apps/bye/main.go': mainUsing('fmt'),
    'libs/greet/go.mod': 'module example.com/greet\n\ngo 1.19\n',
    'libs/greet/greet.go': libUsing('greet', 'example.com/greet/internal/words'),
    'libs/greet/internal/words/words.go': libUsing('words'),
  };

  it('resolves imports across the modules of a go.work', () => {
    const ws = goWorkspaceOf(goWork);
    expect(goPackageClosure(ws, 'apps/hello').map((p) => p.dir)).toEqual(['apps/hello', 'libs/greet', 'libs/greet/internal/words']);
    expect(ws.units).toEqual([
      expect.objectContaining({ id: 'go', kind: 'work', dir: '.', moduleDirs: ['apps/bye', 'apps/hello', 'libs/greet'] }),
    ]);
  });

  it('resolves imports through a replace directive pointing at a sibling module', () => {
    const ws = goWorkspaceOf({
      'services/api/go.mod': 'module example.com/api\n\ngo 1.19\n\nrequire example.com/util v0.0.0\n\nreplace example.com/util => ../../shared/util\n',
      'services/api/main.go': mainUsing('example.com/util/strs'),
      'shared/util/go.mod': 'module example.com/util\n\ngo 1.19\n',
      'shared/util/strs/strs.go': libUsing('strs'),
    });
    expect(goPackageClosure(ws, 'services/api').map((p) => p.dir)).toEqual(['services/api', 'shared/util/strs']);
    const apiUnit = ws.units.find((u) => u.dir === 'services/api');
    expect(apiUnit).toEqual(expect.objectContaining({ kind: 'module', moduleDirs: ['services/api', 'shared/util'], goSumDirs: [] }));
  });

  it('prefers the nested module for import paths that both modules could own', () => {
    const ws = goWorkspaceOf({
      'go.mod': 'module example.com/root\n\ngo 1.19\n',
      'tools/go.mod': 'module example.com/root/tools\n\ngo 1.19\n',
      'tools/x/x.go': libUsing('x'),
      'go.work': 'go 1.19\nuse .\nuse ./tools\n',
      'cmd/a/main.go': mainUsing('example.com/root/tools/x'),
    });
    expect(resolveGoImport(ws, '.', 'example.com/root/tools/x')).toBe('tools/x');
  });

  it('resolves nothing when the nested module owning an import path lacks the package, even if the parent module has that folder', () => {
    const ws = goWorkspaceOf({
      'go.mod': 'module example.com/root\n',
      'go.work': 'use .\nuse ./tools\n',
      'tools/go.mod': 'module example.com/root/tools\n',
      'tools/x/x.go': libUsing('x'),
    });
    expect(resolveGoImport(ws, '.', 'example.com/root/tools/y')).toBeUndefined();
    expect(resolveGoImport(ws, '.', 'example.com/root/toolsy')).toBeUndefined();
  });

  it("resolves a module's own path to itself even where another module of its go.work replaces that path", () => {
    const ws = goWorkspaceOf({
      'go.work': 'use ./a\nuse ./b\n',
      'a/go.mod': 'module example.com/a\nreplace example.com/b => ../c\n',
      'a/main.go': mainUsing('example.com/b/p'),
      'b/go.mod': 'module example.com/b\n',
      'b/p/p.go': libUsing('p'),
      'c/go.mod': 'module example.com/c\n',
      'c/p/p.go': libUsing('p'),
    });
    expect(resolveGoImport(ws, 'b', 'example.com/b/p')).toBe('b/p');
  });

  it('reports a go.work line that names a folder without go.mod, and goes on without it', () => {
    const ws = goWorkspaceOf({ 'go.work': 'use ./nope\nuse .\n', 'go.mod': 'module a\n' });
    expect(ws.problems.map((p) => p.message)).toEqual([expect.stringContaining('go.work: "use nope" names nope, which has no go.mod')]);
    expect(ws.problems[0].file).toBe('go.work');
    expect(ws.units[0].moduleDirs).toEqual(['.']);
  });

  it('reports a go.work line that names a folder outside the workspace, absolute or relative, and goes on without it', () => {
    const ws = goWorkspaceOf({ 'go.work': 'use /abs/mod\nuse ../up\nuse .\n', 'go.mod': 'module a\n', 'abs/mod/go.mod': 'module b\n' });
    expect(ws.problems.map((p) => p.message)).toEqual([
      'go.work: "use /abs/mod" names /abs/mod, outside the workspace, where an image build cannot see it; move the module into the workspace',
      'go.work: "use ../up" names ../up, outside the workspace, where an image build cannot see it; move the module into the workspace',
    ]);
    expect(ws.units.find((u) => u.kind === 'work')!.moduleDirs).toEqual(['.']);
  });

  it('reports a replace that points outside the workspace, where no image build can see it', () => {
    const ws = goWorkspaceOf({ 'go.mod': 'module a\nreplace b => ../../elsewhere/b\nreplace c => /opt/c\n' });
    expect(ws.problems.map((p) => [p.file, p.message])).toEqual([
      ['go.mod', expect.stringMatching(/^go.mod: "replace b" points at \.\.\/\.\.\/elsewhere\/b, outside the workspace/)],
      ['go.mod', expect.stringMatching(/^go.mod: "replace c" points at \/opt\/c, outside the workspace/)],
    ]);
  });

  it('notes which modules have a go.sum, so modules without requirements need none', () => {
    const ws = goWorkspaceOf({ 'go.mod': 'module a\n', 'go.sum': '', 'b/go.mod': 'module b\n', 'b/main.go': mainUsing() });
    expect(ws.modules.get('.')?.hasGoSum).toBe(true);
    expect(ws.modules.get('b')?.hasGoSum).toBe(false);
  });

  it('skips testdata, vendor and underscore folders', () => {
    const ws = goWorkspaceOf({
      'go.mod': 'module a\n',
      'testdata/x/main.go': mainUsing(),
      'vendor/v/v.go': libUsing('v'),
      '_old/main.go': mainUsing(),
      'cmd/x/main.go': mainUsing(),
    });
    expect([...ws.packages.keys()]).toEqual(['cmd/x']);
  });
});

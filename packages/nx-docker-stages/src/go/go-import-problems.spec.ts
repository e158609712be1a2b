import { goImportGraph } from './go-import-graph';
import { goImportProblems } from './go-import-problems';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

const messages = (files: Record<string, string>) => {
  const ws = goWorkspaceOf(files);
  return goImportProblems(ws, goImportGraph(ws)).map((p) => `${p.file} | ${p.message}`);
};

describe('imports Go would refuse to build', () => {
  it('finds none in a module whose imports are the standard library, its own packages and what go.mod requires', () => {
    expect(
      messages({
        'go.mod': 'module example.com/shop\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgopkg.in/yaml.v3 v3.0.1 // indirect\n)\n',
        'cmd/api/main.go': mainUsing('fmt', 'net/http', 'C', 'example.com/shop/internal/greeting', 'github.com/google/uuid', 'gopkg.in/yaml.v3'),
        'internal/greeting/greeting.go': libUsing('greeting', 'github.com/google/uuid/sub'),
      }),
    ).toEqual([]);
  });

  it('names an import of a workspace package that is not there, with the file and the fix', () => {
    expect(messages({ 'go.mod': 'module m\n', 'cmd/api/main.go': mainUsing('m/internal/gretting'), 'internal/greeting/g.go': libUsing('greeting') })).toEqual([
      'cmd/api/main.go | cmd/api/main.go: imports "m/internal/gretting", but module m has no package in internal/gretting (no Go file there that builds for linux); fix the import path or add the package',
    ]);
  });

  it('names an import of a module no go.mod requires, with the command that adds it', () => {
    expect(messages({ 'svc/go.mod': 'module example.com/svc\n\nrequire github.com/a/b v1.0.0\n', 'svc/main.go': mainUsing('github.com/a/bc', 'github.com/a/b/c') })).toEqual([
      'svc/main.go | svc/main.go: imports "github.com/a/bc", which no module in svc/go.mod (or the go.work it builds in) requires; run "go get github.com/a/bc" (or "go mod tidy") in svc and commit svc/go.mod and go.sum',
    ]);
  });

  it('counts what any module of the go.work requires, and the go.work modules themselves', () => {
    expect(
      messages({
        'go.work': 'use ./a\nuse ./b\n',
        'a/go.mod': 'module example.com/a\n',
        'a/main.go': mainUsing('example.com/b/lib', 'github.com/x/y'),
        'b/go.mod': 'module example.com/b\n\nrequire github.com/x/y v1.0.0\n',
        'b/lib/lib.go': libUsing('lib'),
      }),
    ).toEqual([]);
  });

  it('names an import cycle between workspace packages once, step by step, with the files', () => {
    expect(
      messages({
        'go.mod': 'module m\n',
        'cmd/api/main.go': mainUsing('m/a'),
        'a/a.go': libUsing('a', 'm/b'),
        'b/b.go': libUsing('b', 'm/c'),
        'c/c.go': libUsing('c', 'm/a'),
      }),
    ).toEqual([
      'a/a.go | import cycle not allowed: a imports b (a/a.go), b imports c (b/b.go), c imports a (c/c.go); Go refuses to build any of them: move what they share into a package that imports neither',
    ]);
  });

  it('handles a long import chain without a cycle', () => {
    const files: Record<string, string> = { 'go.mod': 'module m\n' };
    for (let i = 0; i < 5000; i++) files[`p${i}/p.go`] = libUsing(`p${i}`, ...(i + 1 < 5000 ? [`m/p${i + 1}`] : []));
    expect(messages(files)).toEqual([]);
  });
});

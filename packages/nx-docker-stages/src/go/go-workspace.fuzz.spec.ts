import fc from 'fast-check';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { anyText, assertParser, callParser, nothingThrown } from '../workspace/test-fuzz';
import { planGo } from './go-plan';
import { GoWorkspace, readGoWorkspace } from './go-workspace';

/** Folders a fuzzed workspace puts files in: nested modules, folders Go ignores, a folder with a space. */
const DIRS = ['.', 'a', 'a/b', 'cmd/api', 'libs/x y', 'testdata', '_old', 'vendor/v', '..', 'c'];

const goMod = fc.oneof(
  anyText(['module', 'require', 'replace', '=>', '(', ')', './a', '../c', '/abs', 'example.com/m', 'example.com/m/a', '"', '//']),
  fc.tuple(fc.constantFrom('example.com/m', 'example.com/m/a', 'x', 'a b'), fc.constantFrom('', './a', '../c', '/abs', '..', 'a/b', '.'))
    .map(([path, replace]) => `module ${path}\n${replace ? `replace example.com/r => ${replace}\n` : ''}`),
);
const goWork = anyText(['go 1.23', 'use', '(', ')', '.', './a', 'a/b', '../c', '/abs', 'c', '"./cmd/api"', '//']);
const goFile = fc.oneof(
  anyText(['package', 'main', 'lib', 'import', '"example.com/m/a"', '"example.com/m/a/b"', '"fmt"', '"C"', '//go:build', 'linux', '!', '&&', '(', ')', '\n']),
  fc
    .tuple(fc.constantFrom('', '//go:build linux\n\n', '//go:build (\n\n', '// +build !linux\n\n'), fc.constantFrom('main', 'a', 'b'), fc.subarray(['example.com/m/a', 'example.com/m/a/b', 'x/c', 'fmt', 'C']))
    .map(([constraint, name, imports]) => `${constraint}package ${name}\n${imports.map((i) => `import "${i}"\n`).join('')}`),
);

/** A workspace of go.mod, go.work and Go files in some of DIRS, with fuzzed contents. */
const goWorkspaceFiles = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...DIRS), fc.constant('go.mod'), goMod),
      fc.tuple(fc.constantFrom(...DIRS), fc.constant('go.work'), goWork),
      fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom('main.go', 'a.go', 'a_windows.go', 'a_test.go'), goFile),
      fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom('go.sum', 'go.work.sum'), fc.constant('')),
    ),
    { maxLength: 12 },
  )
  .map((entries) => new Map(entries.map(([dir, name, text]) => [dir === '.' ? name : `${dir}/${name}`, text])));

describe('readGoWorkspace on any Go files', () => {
  it('builds the model, every problem being the plugin error naming one of the files, and never throws', () => {
    const read = (files: Map<string, string>) => readGoWorkspace([...files.keys()], (path) => files.get(path)!);
    const check = (ws: GoWorkspace, files: Map<string, string>) => {
      for (const problem of ws.problems) {
        expect(problem).toBeInstanceOf(WorkspaceFileError);
        expect(files.has(problem.file)).toBe(true);
        expect(problem.message.startsWith(`${problem.file}: `)).toBe(true);
      }
      // The Go plan is made from that model, whatever it holds.
      const plan = callParser(() => planGo(ws, []), nothingThrown);
      if ('returned' in plan) expect(plan.returned.projects.every((p) => typeof p.name === 'string' && p.name !== '')).toBe(true);
    };
    assertParser(goWorkspaceFiles, read, nothingThrown, check, 200);
  });
});

/**
 * The plugin reads Go build constraints without a Go toolchain (go-source.ts, build-constraints.ts).
 * This spec checks that reading against Go's own: thousands of generated file headers and names,
 * each answered by go/build (testdata/match-file.go, run with the machine's Go toolchain, which every
 * machine of this project has) and by the plugin, must get the same answer on both image platforms:
 * built, not built, or refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import fc from 'fast-check';
import { IMAGE_BUILD_CONTEXTS } from './build-constraints';
import { isBuiltForImage, readGoConstraints } from './go-source';

type Answer = 'true' | 'false' | 'error';
type GoFile = { Name: string; Content: string };

/** Tags, operators, and characters Go reads as part of a tag (`ñ`, `٣`) or as a syntax error (`$`, `Ⅻ`, a lone `&`). */
const EXPRESSION_PIECES = [
  'linux', 'windows', 'darwin', 'unix', 'amd64', 'arm64', '386', 'cgo', 'gc', 'gccgo', 'go1.21', 'ignore', 'integration',
  'amd64.v1', 'arm64.v8.0', 'android', 'ñ', 'x٣', 'Ⅻ', '&&', '||', '!', '(', ')', '&', '|', ' ', '\t', ',', '$', '.', '_', '+', '-',
];
const expression = fc.array(fc.constantFrom(...EXPRESSION_PIECES), { maxLength: 12 }).map((pieces) => pieces.join(''));

/** Header lines: constraints in both syntaxes (and near-misses), comments, blank lines, block comments. */
const headerLine = fc.oneof(
  expression.map((e) => `//go:build ${e}`),
  expression.map((e) => `// +build ${e}`),
  expression.map((e) => `//+build ${e}`),
  fc.constantFrom('', '', '// a comment', '//go:buildx linux', '//go:build', '// +build', '// +buildx linux', '/* block */', '/*', '*/', '  ', '\t//go:build windows'),
);

const goFile: fc.Arbitrary<GoFile> = fc
  .record({
    header: fc.array(headerLine, { maxLength: 7 }),
    crlf: fc.boolean(),
    name: fc.constantFrom(
      'a.go', 'a_linux.go', 'a_windows.go', 'a_amd64.go', 'a_arm64.go', 'a_386.go', 'a_linux_arm64.go', 'a_windows_amd64.go',
      'a_android.go', 'x_unix.go', 'linux.go', 'a_b_linux.go', 'a.x_windows.go', 'a_windows.x.go'
    ),
  })
  .map(({ header, crlf, name }) => {
    const newline = crlf ? '\r\n' : '\n';
    return { Name: name, Content: [...header, 'package a', '', '//go:build ignore', ''].join(newline) };
  });

/**
 * The Go toolchain of the machine: `go` on the PATH, else where the machines have it
 * (../shared/ENVIRONMENT.md: Go 1.26 in /usr/local/go, put on the PATH by login shells only).
 */
function goCommand(): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'go'));
  const found = [...onPath, '/usr/local/go/bin/go', '/usr/lib/go-1.23/bin/go'].find((path) => existsSync(path));
  if (!found) throw new Error('this parity test runs Go\'s own go/build and found no Go toolchain (not on the PATH, not in /usr/local/go/bin); every machine of this project has one (../shared/ENVIRONMENT.md): install it');
  return found;
}

/** Go's answers, from go/build itself. */
function goAnswers(files: GoFile[]): Answer[][] {
  let output: string;
  try {
    output = execFileSync(goCommand(), ['run', 'match-file.go'], {
      cwd: join(__dirname, 'testdata'),
      input: files.map((f) => JSON.stringify(f)).join('\n'),
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', GO111MODULE: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`this parity test runs Go's own go/build (go run testdata/match-file.go) and could not: ${(error as Error).message}. Every machine of this project has Go on the PATH (../shared/ENVIRONMENT.md); install it.`);
  }
  return output.trim().split('\n').map((line) => JSON.parse(line) as Answer[]);
}

/** The plugin's answers on linux/amd64 then linux/arm64, without cgo then with it, as go-workspace.ts asks. */
function pluginAnswers(file: GoFile): Answer[] {
  return IMAGE_BUILD_CONTEXTS.map((ctx) => {
    try {
      // Go answers on the constraints and the name alone (a file whose package clause is lost in a comment included).
      const header = { ...readGoConstraints(file.Content), packageName: 'a', imports: [] };
      return isBuiltForImage(file.Name, header, [ctx]) ? 'true' : 'false';
    } catch {
      return 'error';
    }
  });
}

describe("build constraints as Go's own go/build reads them", () => {
  it('gives the same answer as Go for every generated file, on linux/amd64 and linux/arm64, with cgo and without', () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const files = fc.sample(goFile, { numRuns: 4000, seed });
    const expected = goAnswers(files);
    expect(expected).toHaveLength(files.length);
    const differences = files
      .map((file, i) => ({ file, go: expected[i].join(','), plugin: pluginAnswers(file).join(',') }))
      .filter((d) => d.go !== d.plugin);
    expect({ seed, differences: differences.slice(0, 5), count: differences.length }).toEqual({ seed, differences: [], count: 0 });
  }, 120_000);

  it('agrees with Go on the cases that once differed', () => {
    const cases: GoFile[] = [
      // A release tag newer than the toolchain (found by the generated files, seed 879640877), one Go never has, and old ones.
      { Name: 'a_linux_arm64.go', Content: '//go:build go1.21386\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build go1.01\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build go1.21 && go1.1\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build linux $\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build !!linux\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build linuxñ\n\npackage a\n' },
      { Name: 'a.go', Content: '// +build !!linux\n\npackage a\n' },
      { Name: 'a.go', Content: '//go:build linux\n//go:build linux\n\npackage a\n' },
      { Name: 'a.go', Content: '// +build windows\npackage a\n' },
      { Name: 'a_windows.x.go', Content: 'package a\n' },
      { Name: 'a.go', Content: '//go:build amd64.v1\n\npackage a\n' },
    ];
    expect(cases.map(pluginAnswers)).toEqual(goAnswers(cases));
  }, 60_000);
});

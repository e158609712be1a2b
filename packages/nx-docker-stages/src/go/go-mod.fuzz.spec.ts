import fc from 'fast-check';
import { anyText, assertParser, assertProperty, isWorkspaceFileErrorOf, largeTextOf, nothingThrown } from '../workspace/test-fuzz';
import { normaliseRelativeDir, parseGoMod, parseGoWork } from './go-mod';

/** The words, punctuation and shapes of go.mod and go.work files. */
const GO_MOD_TOKENS = [
  'module', 'go', 'toolchain', 'require', 'replace', 'exclude', 'retract', 'use', 'godebug', '(', ')', '=>', '//', '// indirect',
  '"', '`', '\\', '\\"', 'example.com/app', '"example.com/q uoted"', '`raw path`', 'v1.2.3', 'v0.0.0-20240101000000-abcdef123456',
  './lib', '../up', '/abs', '.', '..', 'C:\\win', '1.23', '=>../x', '// comment ( )',
];

const isGoModError = isWorkspaceFileErrorOf('apps/x/go.mod');
const isString = (s: unknown) => typeof s === 'string';

describe('parseGoMod on any text', () => {
  it('returns a module path, requirements and local replaces, or throws the go.mod error naming the file', () => {
    assertParser(anyText(GO_MOD_TOKENS), (text) => parseGoMod(text, 'apps/x/go.mod'), isGoModError, (mod) => {
      expect(mod.modulePath).not.toBe('');
      expect(mod.requires.every(isString)).toBe(true);
      expect(mod.localReplaces.every((r) => isString(r.modulePath) && isString(r.directory))).toBe(true);
    });
  });

  it('reads back the module, requirements and local replaces of a go.mod written in any of its forms', () => {
    const path = fc.stringMatching(/^[a-z0-9-]{1,8}(\.[a-z]{2,3})?(\/[a-zA-Z0-9._-]{1,8}){0,3}$/);
    const quoted = (p: string, style: number) => (style === 0 ? p : style === 1 ? `"${p}"` : `\`${p}\``);
    const localDir = fc.tuple(fc.constantFrom('./', '../', '../../'), fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6}){0,2}$/)).map(([up, dir]) => up + dir);
    const goMod = fc.record({
      modulePath: path,
      requires: fc.array(path, { maxLength: 4 }),
      replaces: fc.array(fc.record({ modulePath: path, dir: localDir }), { maxLength: 3 }),
      blocks: fc.boolean(),
      quoting: fc.integer({ min: 0, max: 2 }),
      comment: fc.constantFrom('', ' // a comment', ' // indirect'),
      newline: fc.constantFrom('\n', '\r\n'),
    });
    assertProperty(
      fc.property(goMod, (m) => {
        const q = (p: string) => quoted(p, m.quoting);
        const requires = m.requires.map((r) => `${q(r)} v1.0.0${m.comment}`);
        const replaces = m.replaces.map((r) => `${q(r.modulePath)} => ${r.dir}${m.comment}`);
        const lines = [
          `module ${q(m.modulePath)}${m.comment}`,
          'go 1.23',
          ...(m.blocks ? ['require (', ...requires, ')', 'replace (', ...replaces, ')'] : [...requires.map((r) => `require ${r}`), ...replaces.map((r) => `replace ${r}`)]),
        ];
        expect(parseGoMod(lines.join(m.newline))).toEqual({
          modulePath: m.modulePath,
          requires: m.requires,
          localReplaces: m.replaces.map((r) => ({ modulePath: r.modulePath, directory: normaliseRelativeDir(r.dir) })),
          goVersion: { go: '1.23' },
        });
      }),
    );
  });

  it('stays fast on large files', () => {
    assertParser(largeTextOf(GO_MOD_TOKENS), (text) => parseGoMod(text, 'apps/x/go.mod'), isGoModError, undefined, 30);
  });
});

describe('parseGoWork on any text', () => {
  it('returns normalised use directories and never throws', () => {
    assertParser(anyText(GO_MOD_TOKENS), parseGoWork, nothingThrown, ({ use }) => expect(use.every((dir) => isString(dir) && dir !== '' && !dir.startsWith('./'))).toBe(true));
  });

  it('stays fast on large files', () => {
    assertParser(largeTextOf(GO_MOD_TOKENS), parseGoWork, nothingThrown, undefined, 30);
  });
});

describe('normaliseRelativeDir on any path', () => {
  it('folds the path to one without empty, "." or inner ".." segments', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'b', '\\', 'c d');
    assertProperty(
      fc.property(fc.array(segment, { maxLength: 12 }), (segments) => {
        const dir = normaliseRelativeDir(segments.join('/'));
        const parts = dir.split('/');
        expect(dir === '.' || parts.every((p) => p !== '' && p !== '.')).toBe(true);
        // ".." only leads: a folded path never climbs back after going down.
        const down = parts.findIndex((p) => p !== '..');
        if (down !== -1) expect(parts.slice(down)).not.toContain('..');
      }),
    );
  });
});

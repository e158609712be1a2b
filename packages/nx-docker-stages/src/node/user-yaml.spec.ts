import { assertParser, callParser, largeTextOf } from '../workspace/test-fuzz';
import { parseUserYaml } from './user-yaml';

describe('parseUserYaml', () => {
  it('reads YAML as the yaml library does', () => {
    expect(parseUserYaml("packages:\n  - 'apps/*'\n  - libs/*\n")).toEqual({ packages: ['apps/*', 'libs/*'] });
    expect(parseUserYaml('')).toBeNull();
  });

  it("says what is wrong and where, in one line", () => {
    expect(() => parseUserYaml('packages:\n  - a\n b: [\n')).toThrow(/^[^\n]+ at line \d+, column \d+$/);
    expect(() => parseUserYaml('a: 1\na: 2\n')).toThrow(/^Map keys must be unique at line 2, column 1$/);
  });

  it('prints no warning of the library to the output', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      parseUserYaml('a: !!nonsense x\nb: !!str [1]\n');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  // Broken text the library's pretty errors took seconds for ("}" repeated to 20 KB: 0.9 s with them, 0.2 s without, measured under load); the bound is the fuzz
  // specs' hang detector (callParser), not a performance measure.
  it('stays fast on large broken YAML', () => {
    const anyError = () => true;
    for (const pattern of ['}', '[*a#] [>', ']{-"', '{!!str{packages:%YAML 1.2-*a']) {
      expect('threw' in callParser(() => parseUserYaml(pattern.repeat(Math.ceil(20_000 / pattern.length))), anyError)).toBe(true);
    }
    assertParser(largeTextOf(['-', ' ', '"', ':', '{', '}', '[', ']', '&a', '*a', '!!str', '#', '\n']), parseUserYaml, anyError, undefined, 10);
  });
});

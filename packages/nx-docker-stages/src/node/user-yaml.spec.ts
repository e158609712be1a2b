import { largeTextOf } from '../workspace/test-fuzz';
import fc from 'fast-check';
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

  // Broken text the library's pretty errors took seconds for (2.7 s for "}" repeated to 40 KB).
  it('stays fast on large broken YAML', () => {
    for (const pattern of ['}', '[*a#] [>', ']{-"', '{!!str{packages:%YAML 1.2-*a']) {
      const text = pattern.repeat(Math.ceil(40_000 / pattern.length));
      const started = performance.now();
      expect(() => parseUserYaml(text)).toThrow();
      expect(performance.now() - started).toBeLessThan(1500);
    }
    fc.assert(fc.property(largeTextOf(['-', ' ', '"', ':', '{', '}', '[', ']', '&a', '*a', '!!str', '#', '\n']), (text) => {
      const started = performance.now();
      try {
        parseUserYaml(text);
      } catch {
        // broken text: an error is the answer
      }
      expect(performance.now() - started).toBeLessThan(1500);
    }), { numRuns: 10 });
  });
});

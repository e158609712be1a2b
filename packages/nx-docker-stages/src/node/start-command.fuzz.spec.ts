import fc from 'fast-check';
import { anyText, assertParser, assertProperty, largeTextOf, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { packageNameOf, parseStartScript, preloadedModules } from './start-command';

/** The words of start scripts: node, its flags with and without values, modules, entries, shell syntax. */
const START_TOKENS = [
  'node', 'node ', '-r', '--require', '--import', '--loader', '-C', '--env-file', '--env-file=.env', '--enable-source-maps', '--title=x', '--', '-',
  './setup.js', 'dotenv/config', '@scope/pkg/register', 'tsx', 'ts-node/register', 'esbuild-register', 'node:test', '/abs.js', '@', '@scope',
  'dist/main.js', 'src/main.ts', 'index.mjs', '--verbose', '&&', '|', ';', '$PORT', '"', "'", '*', '~', '\\', ...PROTOTYPE_NAMES,
];
const names = fc.array(fc.constantFrom('dotenv', 'tsx', '@scope/pkg', 'ts-node', '', ...PROTOTYPE_NAMES), { maxLength: 3 }).map((list) => new Set(list));

describe('parseStartScript on any script', () => {
  it('says how node starts it, why an image cannot, or that it is not a node command; never throws', () => {
    const inputs = fc.tuple(anyText(START_TOKENS), names, fc.option(names, { nil: undefined }));
    const parse = ([script, devDependencies, dependencies]: [string, Set<string>, Set<string> | undefined]) => parseStartScript(script, devDependencies, dependencies, 'apps/web/package.json');
    assertParser(inputs, parse, nothingThrown, (parsed) => {
      if (parsed.kind === 'node') {
        const { flags, entry, args } = parsed.command;
        expect([...flags, entry, ...args].every((word) => typeof word === 'string' && word !== '' && !/\s/.test(word))).toBe(true);
        expect(preloadedModules(parsed.command).every((m) => typeof m === 'string')).toBe(true);
      } else if (parsed.kind === 'refused') {
        expect(typeof parsed.why === 'string' && typeof parsed.fix === 'string').toBe(true);
      }
    });
  });

  it('reads back the flags, entry and arguments of a plain node command', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9./_-]{0,8}$/).filter((w) => !/\.(ts|tsx|mts|cts)$/.test(w));
    const command = fc.record({
      flags: fc.array(fc.constantFrom('--enable-source-maps', '--title=app', '-r ./setup.js', '--conditions production', '--no-warnings'), { maxLength: 3 }),
      entry: word.map((w) => `${w}.js`),
      args: fc.array(word.filter((w) => !w.startsWith('-')), { maxLength: 3 }),
      spacing: fc.constantFrom(' ', '  ', '\t'),
    });
    assertProperty(
      fc.property(command, ({ flags, entry, args, spacing }) => {
        const script = ['node', ...flags, entry, ...args].join(spacing);
        expect(parseStartScript(` ${script} `, new Set())).toEqual({ kind: 'node', command: { flags: flags.flatMap((f) => f.split(' ')), entry, args } });
      }),
      150,
    );
  });

  it('stays fast on long scripts', () => {
    assertParser(largeTextOf(START_TOKENS), (script) => parseStartScript(script, new Set()), nothingThrown, undefined, 30);
  });
});

describe('packageNameOf on any specifier', () => {
  it('gives a prefix of the specifier, and never throws', () => {
    assertParser(anyText(['@', '/', '.', 'scope', 'pkg', 'sub', 'node:']), packageNameOf, nothingThrown, (name, specifier) => expect(specifier.startsWith(name)).toBe(true));
  });
});

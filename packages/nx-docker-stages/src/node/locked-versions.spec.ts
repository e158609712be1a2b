import { lockedVersion, prunedVersionMismatches } from './locked-versions';

const npmLock = JSON.stringify({
  lockfileVersion: 3,
  packages: {
    '': { name: 'shop' },
    'node_modules/ms': { version: '2.1.3' },
    'apps/ping/node_modules/ms': { version: '2.0.0' },
    'node_modules/is-number': { version: '7.0.0' },
  },
});
const pnpmLock = "lockfileVersion: '9.0'\nimporters:\n  apps/web:\n    dependencies:\n      react-dom:\n        specifier: ^18\n        version: 18.3.1(react@18.3.1)\n";

describe('the version a lockfile gives a package', () => {
  it('follows node resolution in an npm lockfile: the app’s nested copy first, then the hoisted one', () => {
    expect(lockedVersion('npm', npmLock, 'apps/ping', 'ms')).toBe('2.0.0');
    expect(lockedVersion('npm', npmLock, 'apps/web', 'ms')).toBe('2.1.3');
    expect(lockedVersion('npm', npmLock, 'apps/web', 'left-pad')).toBeUndefined();
  });

  it('reads a pnpm importer, without its peer suffix', () => {
    expect(lockedVersion('pnpm', pnpmLock, 'apps/web', 'react-dom')).toBe('18.3.1');
  });
});

describe('checking a pruned lockfile against the workspace', () => {
  const pruned = JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/ms': { version: '2.1.3' } } });

  it('finds nothing wrong when the versions agree', () => {
    expect(prunedVersionMismatches('npm', 'package-lock.json', npmLock, pruned, { ms: 'apps/web' })).toEqual([]);
  });

  it('names the package, the folder and both versions when the app runs a nested other version', () => {
    expect(prunedVersionMismatches('npm', 'package-lock.json', npmLock, pruned, { ms: 'apps/ping' })).toEqual([
      'ms: package-lock.json gives apps/ping version 2.0.0, the pruned lockfile 2.1.3',
    ]);
  });

  it('reads each lockfile once, however many dependencies it checks', () => {
    // Found while fuzzing: each dependency parsed both lockfiles again (seconds each for a large pnpm-lock.yaml).
    const parse = jest.spyOn(JSON, 'parse');
    try {
      prunedVersionMismatches('npm', 'package-lock.json', npmLock, pruned, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, 'apps/web'])));
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });

  it('names the lockfile that is not valid JSON or YAML, and reads any entry of another shape as no version', () => {
    // Found by locked-versions.fuzz.spec.ts: a SyntaxError, or a TypeError on a null lockfile or a version that is not a string.
    expect(() => prunedVersionMismatches('npm', 'package-lock.json', '{ nope', pruned, { ms: '.' })).toThrow(/^package-lock.json: not valid JSON \(.+\); run "npm install" to write it again$/);
    expect(() => lockedVersion('pnpm', 'importers: [', '.', 'ms')).toThrow(/^pnpm-lock.yaml: not valid YAML/);
    expect(lockedVersion('npm', 'null', '.', 'ms')).toBeUndefined();
    expect(lockedVersion('pnpm', 'importers:\n  .:\n    dependencies:\n      ms:\n        version: 2\n', '.', 'ms')).toBeUndefined();
    expect(lockedVersion('npm', '{"packages": {}}', '.', 'constructor')).toBeUndefined();
  });

  it('notices a dependency the pruned lockfile lost', () => {
    expect(prunedVersionMismatches('npm', 'package-lock.json', npmLock, pruned, { 'is-number': 'apps/web' })).toEqual([
      'is-number: package-lock.json gives apps/web version 7.0.0, the pruned lockfile has none',
    ]);
  });
});

describe('a single-project pnpm 8 lockfile (format 6.0)', () => {
  it('reads the dependencies it lists at the top as those of the root', () => {
    const lock = "lockfileVersion: '6.0'\n\ndependencies:\n  is-number:\n    specifier: ^7.0.0\n    version: 7.0.0\n";
    expect(lockedVersion('pnpm', lock, '.', 'is-number')).toBe('7.0.0');
    expect(lockedVersion('pnpm', lock, 'apps/x', 'is-number')).toBeUndefined();
  });
});

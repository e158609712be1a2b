import fc from 'fast-check';
import { anyJson, anyText, assertParser, assertProperty, isWorkspaceFileErrorOf, largeTextOf, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { lockedVersion, prunedVersionMismatches } from './locked-versions';
import { PackageManager } from './node-workspace';

const NAMES = ['ms', '@scope/pkg', 'react-dom', '', ...PROTOTYPE_NAMES];
const DIRS = ['.', 'apps/web', 'apps/x/y', ...PROTOTYPE_NAMES];

/** An npm lockfile's entries, right or wrong in shape: entries of any JSON, versions of any type. */
const npmLock = fc.record({
  lockfileVersion: anyJson(),
  packages: fc.oneof(
    anyJson(),
    fc.dictionary(
      fc.tuple(fc.constantFrom('', 'apps/web/', 'apps/x/'), fc.constantFrom(...NAMES)).map(([dir, name]) => `${dir}node_modules/${name}`),
      fc.oneof(fc.record({ version: fc.oneof(fc.constantFrom('1.2.3', ''), anyJson()) }, { requiredKeys: [] }), anyJson()),
    ),
  ),
}, { requiredKeys: [] }).map((lock) => JSON.stringify(lock));

/** A pnpm lockfile's importers and dependency specs, right or wrong in shape, as YAML (JSON is YAML too). */
const pnpmSpec = fc.oneof(fc.constantFrom('1.2.3', '18.3.1(react@18.3.1)', '('), fc.record({ specifier: fc.constant('^1'), version: fc.oneof(fc.constantFrom('1.2.3', '1.0.0(peer@2)'), anyJson()) }, { requiredKeys: [] }), anyJson());
const pnpmImporter = fc.oneof(fc.record({ dependencies: fc.oneof(fc.dictionary(fc.constantFrom(...NAMES), pnpmSpec), anyJson()), devDependencies: fc.dictionary(fc.constantFrom(...NAMES), pnpmSpec) }, { requiredKeys: [] }), anyJson());
const pnpmLock = fc.oneof(
  fc.record({ lockfileVersion: fc.constant('9.0'), importers: fc.oneof(fc.dictionary(fc.constantFrom(...DIRS), pnpmImporter), anyJson()) }, { requiredKeys: [] }).map((lock) => JSON.stringify(lock)),
  pnpmImporter.map((lock) => JSON.stringify(lock)),
  anyText(['lockfileVersion:', "'9.0'", 'importers:', '\n  ', 'apps/web:', 'dependencies:', 'ms:', 'version:', '1.2.3', '&a', '*a', '-', '{', '[', '"', "'", ':']),
);

const lockText = (pm: PackageManager) => (pm === 'pnpm' ? pnpmLock : fc.oneof(npmLock, anyText(['{', '}', '"packages"', ':', '"node_modules/ms"', '"version"', '"1.2.3"', ',', 'null'])));
const pmAndLock = fc.constantFrom<PackageManager>('npm', 'pnpm').chain((pm) => fc.tuple(fc.constant(pm), lockText(pm)));
const lockfileOf = (pm: PackageManager) => (pm === 'pnpm' ? 'pnpm-lock.yaml' : 'package-lock.json');

/** The plugin's error naming the lockfile (either: the package manager is part of the input). */
const isLockfileError = isWorkspaceFileErrorOf('package-lock.json', 'pnpm-lock.yaml');
const isVersion = (version: string | undefined) => expect(version === undefined || typeof version === 'string').toBe(true);

describe('lockedVersion on any lockfile', () => {
  it('gives a version string or none, or throws the plugin error naming the lockfile', () => {
    const inputs = fc.tuple(pmAndLock, fc.constantFrom(...DIRS), fc.constantFrom(...NAMES));
    assertParser(inputs, ([[pm, text], dir, name]) => lockedVersion(pm, text, dir, name), isLockfileError, isVersion);
  });

  it('finds no version of a package the lockfile does not list, whatever its name', () => {
    const emptyLock = (pm: PackageManager) => (pm === 'pnpm' ? "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {}\n" : '{"packages": {}}');
    assertProperty(
      fc.property(fc.constantFrom<PackageManager>('npm', 'pnpm'), fc.constantFrom(...DIRS), fc.constantFrom(...NAMES), (pm, dir, name) => expect(lockedVersion(pm, emptyLock(pm), dir, name)).toBeUndefined()),
      50,
    );
  });

  // Large pnpm lockfiles, valid as pnpm writes them and broken (the yaml library's pretty errors once took seconds on those).
  it('stays fast on large lockfiles', () => {
    const largePnpmLock = fc
      .integer({ min: 200, max: 800 })
      .map((count) => `lockfileVersion: '9.0'\nimporters:\n${Array.from({ length: count }, (_, i) => `  apps/a${i}:\n    dependencies:\n      ms:\n        specifier: ^2\n        version: 2.1.${i}\n`).join('')}`);
    const largeNpmText = largeTextOf(['"node_modules/ms": {"version": "1"},', '{', '[', ':', '"', '}', ']']);
    const largeBrokenYaml = largeTextOf(['}', '[', ']', '{', '-', '"', ':', ' ', '&a', '*a', '!!str', '#', '\n']);
    const lockfiles = fc.oneof(
      largePnpmLock.map((text) => ['pnpm', text] as const),
      largeBrokenYaml.map((text) => ['pnpm', text] as const),
      largeNpmText.map((text) => ['npm', text] as const),
    );
    assertParser(lockfiles, ([pm, text]) => lockedVersion(pm, text, 'apps/a1', 'ms'), isLockfileError, isVersion, 20);
  });
});

describe('prunedVersionMismatches on any lockfiles', () => {
  it('lists differences as messages, or throws the plugin error naming the lockfile', () => {
    const inputs = fc.tuple(pmAndLock, pmAndLock, fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...DIRS)));
    const mismatches = ([[pm, workspace], [, pruned], declaredIn]: [[PackageManager, string], [PackageManager, string], Record<string, string>]) =>
      prunedVersionMismatches(pm, lockfileOf(pm), workspace, pm === 'pnpm' ? pruned : workspace, declaredIn);
    assertParser(inputs, mismatches, isLockfileError, (messages) => expect(messages.every((m) => typeof m === 'string')).toBe(true));
  });
});

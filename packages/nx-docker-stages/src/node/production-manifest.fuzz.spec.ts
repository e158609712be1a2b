import fc from 'fast-check';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { assertParser, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { DeclaringPackage, productionManifest } from './production-manifest';

const NAMES = ['ms', 'express', '@shop/lib', 'tslib', ...PROTOTYPE_NAMES];
const RANGES = ['^1.0.0', '^2.0.0', '*', 'file:../x', ''];
const DIRS = ['apps/web', 'libs/a', 'libs/b'];
const dependencies = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...RANGES), { maxKeys: 4 });

/** The app's package and its libraries', as readNodeWorkspace reads them: the declared types, any names and ranges. */
const declaring: fc.Arbitrary<DeclaringPackage[]> = fc.uniqueArray(
  fc.record({
    dir: fc.constantFrom(...DIRS),
    manifest: fc.record({ name: fc.constantFrom(...NAMES), dependencies, optionalDependencies: dependencies }, { requiredKeys: [] }),
  }),
  { selector: (p) => p.dir, maxLength: 3 },
);

describe('productionManifest of any declared dependencies', () => {
  it('holds every dependency once, with a string range and its source, or names the package.json that disagrees', () => {
    // Its error names the app first and then both packages (the message docs/node.md shows), and is charged to the second package.json.
    const isClash = (e: unknown) => e instanceof WorkspaceFileError && DIRS.some((dir) => e.file === `${dir}/package.json`) && e.message.startsWith('web: ');
    const inputs = fc.tuple(declaring, dependencies, fc.subarray(NAMES).map((names) => new Set(names)));
    assertParser(inputs, ([packages, detected, workspacePackages]) => productionManifest({ name: 'web' }, packages, detected, workspacePackages), isClash, ({ manifest, sources }, [packages, detected, workspacePackages]) => {
      for (const [name, range] of Object.entries(manifest.dependencies)) {
        expect(typeof range).toBe('string');
        expect(Object.hasOwn(sources, name)).toBe(true);
        expect(workspacePackages.has(name)).toBe(false);
      }
      // Every declared or detected dependency that is no workspace package is in the manifest.
      const wanted = [...packages.flatMap((p) => [...Object.keys(p.manifest.dependencies ?? {}), ...Object.keys(p.manifest.optionalDependencies ?? {})]), ...Object.keys(detected)];
      expect(wanted.filter((name) => !workspacePackages.has(name) && !Object.hasOwn(manifest.dependencies, name))).toEqual([]);
    });
  });
});

import fc from 'fast-check';
import { anyJson, assertParser, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { buildOutputDir, entryCandidates, globBase, optionsForConfiguration } from './built-entry';

const path = fc.constantFrom('apps/api/src/main.ts', 'apps/api/main.ts', 'dist/apps/api', 'dist/apps/api/', '', '.', '..', '/abs', 'a//b', './x', 'src', '{workspaceRoot}/dist/x', 'dist/**/*.js', '!x');
/** A build target's options as a project.json declares them: the fields read, of the right type or any JSON value. */
const options = fc.record(
  {
    main: fc.oneof(path, anyJson()),
    outputPath: fc.oneof(path, anyJson()),
    outputFileName: fc.oneof(fc.constantFrom('main.js', 'server.mjs', ''), anyJson()),
    rootDir: fc.oneof(path, anyJson()),
    stripLeadingPaths: fc.oneof(fc.boolean(), anyJson()),
  },
  { requiredKeys: [] },
);
const executor = fc.option(fc.constantFrom('@nx/js:tsc', '@nrwl/js:swc', '@nx/js:swc', '@nx/esbuild:esbuild', '@nx/webpack:webpack', '', ...PROTOTYPE_NAMES), { nil: undefined });

describe('where any Nx build leaves the app', () => {
  it('gives entry candidates, each a relative file name, and never throws', () => {
    const inputs = fc.tuple(executor, options, fc.constantFrom('apps/api', '.', 'a/b'));
    assertParser(inputs, ([exec, opts, root]) => entryCandidates(exec, opts, root), nothingThrown, (files) => {
      expect(files.length > 0 && files.every((file) => typeof file === 'string' && file !== '')).toBe(true);
    });
  });

  it('gives the output folder or null, and never throws', () => {
    const outputs = fc.array(fc.oneof(path, fc.constantFrom(' ', '{options.outputPath}')));
    assertParser(fc.tuple(options, outputs), ([opts, outs]) => buildOutputDir(opts, outs), nothingThrown, (dir) => expect(dir === null || (typeof dir === 'string' && dir !== '')).toBe(true));
    assertParser(outputs, (outs) => globBase(outs.join('/')), nothingThrown, (base) => expect(base).not.toBe(''));
  });

  it('merges the default configuration into the options, whatever the target holds', () => {
    const target = fc.record(
      { options: fc.oneof(options, anyJson()), configurations: fc.oneof(fc.dictionary(fc.constantFrom('production', ...PROTOTYPE_NAMES), fc.oneof(options, anyJson())), anyJson()), defaultConfiguration: fc.oneof(fc.constantFrom('production', 'missing', ...PROTOTYPE_NAMES), anyJson()) },
      { requiredKeys: [] },
    );
    assertParser(target, (t) => optionsForConfiguration(t as Parameters<typeof optionsForConfiguration>[0]), nothingThrown, (merged) => expect(typeof merged).toBe('object'));
  });
});

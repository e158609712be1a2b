import { buildOutputDir, entryCandidates, globBase, optionsForConfiguration } from './built-entry';

describe('where an Nx build leaves the app', () => {
  it('merges the default configuration into the options', () => {
    expect(optionsForConfiguration({ options: { a: 1, b: 1 }, configurations: { production: { b: 2 } }, defaultConfiguration: 'production' })).toEqual({ a: 1, b: 2 });
  });

  it('merges no configuration a target names by something other than the name of one of its own', () => {
    // Found by built-entry.fuzz.spec.ts: a defaultConfiguration that was an object threw a TypeError.
    const target = { options: { a: 1 }, configurations: { production: { a: 2 } } };
    for (const defaultConfiguration of [{ toString: null }, 'constructor', 'missing']) {
      expect(optionsForConfiguration({ ...target, defaultConfiguration } as unknown as Parameters<typeof optionsForConfiguration>[0])).toEqual({ a: 1 });
    }
  });

  it('takes outputPath, else the folder of the first output', () => {
    expect(buildOutputDir({ outputPath: 'dist/apps/api/' }, [])).toBe('dist/apps/api');
    expect(buildOutputDir({}, ['{workspaceRoot}/dist/apps/nestapi'])).toBe('dist/apps/nestapi');
    expect(buildOutputDir({}, ['libs/a/dist/**/*.{js,d.ts}'])).toBe('libs/a/dist');
    expect(buildOutputDir({}, [])).toBeNull();
    // Found by built-entry.fuzz.spec.ts: an outputPath of "/" gave an empty folder, which the staging took for the app's output.
    expect(buildOutputDir({ outputPath: '/' }, [])).toBe('.');
    expect(globBase('a/b/*.js')).toBe('a/b');
  });

  it("names the entry as Nx's serve executor does: after main for bundlers, main's folder kept for tsc and swc", () => {
    expect(entryCandidates('@nx/esbuild:esbuild', { main: 'apps/api/src/main.ts', outputPath: 'apps/api/dist' }, 'apps/api')).toEqual(['main.js', 'main.cjs', 'main.mjs']);
    expect(entryCandidates('@nx/esbuild:esbuild', { main: 'apps/api/src/main.ts', outputFileName: 'server.js' }, 'apps/api')[0]).toBe('server.js');
    expect(entryCandidates('@nx/js:tsc', { main: 'apps/api/src/main.ts', outputPath: 'dist/apps/api' }, 'apps/api')[0]).toBe('src/main.js');
    expect(entryCandidates('@nx/js:tsc', { main: 'apps/api/src/main.ts', outputPath: 'dist/apps/api', rootDir: 'apps/api/src' }, 'apps/api')[0]).toBe('main.js');
    // `nx g @nx/js:setup-build --bundler=swc` in the TS-solution layout: swc compiles src/ with --strip-leading-paths.
    expect(entryCandidates('@nx/js:swc', { main: 'apps/api/src/main.ts', outputPath: 'apps/api/dist', stripLeadingPaths: true }, 'apps/api')[0]).toBe('main.js');
    expect(entryCandidates('@nx/js:swc', { main: 'apps/api/src/server/main.ts', outputPath: 'apps/api/dist', stripLeadingPaths: true }, 'apps/api')[0]).toBe('server/main.js');
    expect(entryCandidates('@nx/js:swc', { main: 'apps/api/main.ts', outputPath: 'apps/api/dist', stripLeadingPaths: true }, 'apps/api')[0]).toBe('main.js');
    expect(entryCandidates('@nx/js:swc', { main: 'apps/api/src/main.ts', outputPath: 'apps/api/dist' }, 'apps/api')[0]).toBe('src/main.js');
    expect(entryCandidates('nx:run-commands', {}, 'apps/nestapi')[0]).toBe('main.js');
  });
});

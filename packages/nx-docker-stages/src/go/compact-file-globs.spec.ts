import { minimatch } from 'minimatch';
import { compactFileGlobs } from './compact-file-globs';

const all = ['go.mod', 'apps/a/go.mod', 'apps/b/go.mod', 'libs/x/go.mod', 'libs/y/go.mod', 'tools/go.mod', 'deep/er/z/go.mod'];

/** Which of `all` the result matches, the way Nx matches file inputs. */
const matched = (globs: string[]) => all.filter((f) => globs.some((g) => minimatch(f, g, { dot: true })));

describe('compact file globs', () => {
  it('stands one glob for a folder whose children are all listed', () => {
    const listed = ['apps/a/go.mod', 'apps/b/go.mod', 'libs/x/go.mod', 'go.mod'];
    expect(compactFileGlobs(listed, all)).toEqual(['apps/*/go.mod', 'go.mod', 'libs/x/go.mod']);
    expect(matched(compactFileGlobs(listed, all))).toEqual(listed.slice().sort((a, b) => all.indexOf(a) - all.indexOf(b)));
  });

  it('matches exactly the listed files, never one more', () => {
    for (const listed of [[], ['tools/go.mod'], ['apps/a/go.mod'], all, all.filter((f) => !f.startsWith('libs/y'))]) {
      expect(matched(compactFileGlobs(listed, all)).sort()).toEqual([...listed].sort());
    }
  });

  it('uses a top-level glob when every first-level folder is listed', () => {
    expect(compactFileGlobs(['a/go.sum', 'b/go.sum'], ['a/go.sum', 'b/go.sum'])).toEqual(['*/go.sum']);
  });

  it('keeps a lone file as it is', () => {
    expect(compactFileGlobs(['deep/er/z/go.mod'], all)).toEqual(['deep/er/z/go.mod']);
  });
});

import { deepestContaining, isWithin, selfAndAncestors, unitOfModule } from './go-workspace';
import { goWorkspaceOf, libUsing } from './test-workspace';

describe('folder lookups', () => {
  it('lists a folder and every folder above it, deepest first, ending with the workspace root', () => {
    expect(selfAndAncestors('apps/api/cmd/server')).toEqual(['apps/api/cmd/server', 'apps/api/cmd', 'apps/api', 'apps', '.']);
    expect(selfAndAncestors('apps')).toEqual(['apps', '.']);
    expect(selfAndAncestors('.')).toEqual(['.']);
  });

  it('lists exactly the folders a folder is within', () => {
    const folders = ['.', 'a', 'a/b', 'a/b/c', 'a/bc', 'ab', 'b', 'a/b/c/d'];
    for (const dir of folders) {
      expect(new Set(selfAndAncestors(dir))).toEqual(new Set(folders.filter((f) => isWithin(dir, f))));
    }
  });

  it('finds the deepest root holding a folder, the workspace root last', () => {
    const roots = new Set(['.', 'apps', 'apps/api', 'libs/util']);
    expect(deepestContaining('apps/api/internal/db', roots)).toBe('apps/api');
    expect(deepestContaining('apps/api', roots)).toBe('apps/api');
    expect(deepestContaining('apps/apiserver', roots)).toBe('apps');
    expect(deepestContaining('tools/gen', roots)).toBe('.');
    expect(deepestContaining('tools/gen', new Set(['apps']))).toBeUndefined();
  });

  it('takes the roots as the keys of a map too', () => {
    expect(deepestContaining('apps/api/x', new Map([['apps/api', 'api']]))).toBe('apps/api');
  });

  it('finds the same root as a scan of every root would, on a large workspace', () => {
    const roots = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `libs/l${i}` : i % 3 === 1 ? `libs/l${i - 1}/sub${i}` : `apps/a${i}`));
    const scan = (dir: string) =>
      roots.filter((r) => isWithin(dir, r)).sort((a, b) => b.split('/').length - a.split('/').length)[0];
    for (const dir of ['libs/l0', 'libs/l0/sub1/x/y', 'libs/l3/other', 'apps/a2/cmd', 'apps/a22', 'nowhere/at/all', 'libs/l30x']) {
      expect(deepestContaining(dir, new Set(roots))).toBe(scan(dir));
    }
  });
});

describe('the unit of a module', () => {
  it('is the first go.work that uses it, else the module itself', () => {
    const ws = goWorkspaceOf({
      'go.work': 'use ./a\nuse ./b\n',
      'a/go.mod': 'module example.com/a\n',
      'a/a.go': libUsing('a'),
      'b/go.mod': 'module example.com/b\n',
      'b/b.go': libUsing('b'),
      'tools/go.mod': 'module example.com/tools\n',
      'tools/t.go': libUsing('t'),
    });
    expect(unitOfModule(ws, 'a')).toMatchObject({ kind: 'work', dir: '.' });
    expect(unitOfModule(ws, 'b')).toBe(unitOfModule(ws, 'a'));
    expect(unitOfModule(ws, 'tools')).toMatchObject({ kind: 'module', dir: 'tools', moduleDirs: ['tools'] });
  });
});

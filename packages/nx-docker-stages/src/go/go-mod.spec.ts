import { normaliseRelativeDir, parseGoMod, parseGoWork } from './go-mod';

describe('parseGoMod', () => {
  it('reads the module path, requirements and local replace targets', () => {
    const mod = parseGoMod(`module example.com/app // the app

go 1.19

require (
\texample.com/lib v0.0.0
\tgithub.com/x/y v1.2.3 // indirect
)

replace example.com/lib => ../lib
replace github.com/x/y v1.2.3 => github.com/fork/y v1.2.4
`);
    expect(mod.modulePath).toBe('example.com/app');
    expect(mod.requires).toEqual(['example.com/lib', 'github.com/x/y']);
    expect(mod.localReplaces).toEqual([{ modulePath: 'example.com/lib', directory: '../lib' }]);
  });

  it('reads replace blocks and quoted paths', () => {
    const mod = parseGoMod('module "example.com/a"\nreplace (\n  example.com/b => ./libs/b\n  example.com/c v1.0.0 => /abs/c\n)\n');
    expect(mod.modulePath).toBe('example.com/a');
    expect(mod.localReplaces).toEqual([
      { modulePath: 'example.com/b', directory: 'libs/b' },
      { modulePath: 'example.com/c', directory: '/abs/c' },
    ]);
  });

  it('names the file and the fix when there is no module directive', () => {
    expect(() => parseGoMod('go 1.19\n', 'apps/api/go.mod')).toThrow('apps/api/go.mod: no "module" directive found; add "module <path>"');
  });
});

describe('parseGoWork', () => {
  it('reads single and block use directives, normalised', () => {
    expect(parseGoWork('go 1.19\n\nuse ./apps/a\nuse (\n\t./libs/b\n\t.\n)\n').use).toEqual(['apps/a', 'libs/b', '.']);
  });
});

describe('normaliseRelativeDir', () => {
  it('folds . and .. segments', () => {
    expect(normaliseRelativeDir('apps/a/../../libs/./b/')).toBe('libs/b');
    expect(normaliseRelativeDir('./')).toBe('.');
  });
});

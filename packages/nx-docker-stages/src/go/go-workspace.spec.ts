import { unitOfModule } from './go-workspace';
import { goWorkspaceOf, libUsing } from './test-workspace';

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

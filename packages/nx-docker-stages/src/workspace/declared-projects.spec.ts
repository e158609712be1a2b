import { declaredProjects } from './declared-projects';

const declaredIn = (files: Record<string, string>) => declaredProjects(Object.keys(files), (file) => files[file]);

describe('declared projects', () => {
  it('takes the name of a project.json, or of a package.json ("nx.name" first), and none from the root or node_modules', () => {
    expect(
      declaredIn({
        'project.json': '{"name": "root"}',
        'apps/api/project.json': '{"name": "api"}',
        'libs/a/package.json': '{"name": "@shop/a", "nx": {"name": "a"}}',
        'node_modules/x/package.json': '{"name": "x"}',
      }),
    ).toEqual([{ root: 'apps/api', name: 'api' }, { root: 'libs/a', name: 'a' }]);
  });

  it('keeps a folder whose manifest is not valid JSON, or names it with another type, without a name', () => {
    // Found by declared-projects.fuzz.spec.ts: a name that is no string became the project's name.
    expect(declaredIn({ 'libs/a/package.json': '{"nx": {"name": []}}', 'libs/b/project.json': '{ nope', 'libs/c/package.json': 'null' })).toEqual([
      { root: 'libs/a', name: undefined },
      { root: 'libs/b' },
      { root: 'libs/c', name: undefined },
    ]);
  });
});

import { projectNameClashMessage, projectNameClashes } from './project-name-clashes';

const p = (name: string, root: string) => ({ name, root, source: `${root}/project.json` });

describe('project name clashes', () => {
  it('finds each name that two or more folders would get, with the folders sorted', () => {
    const clashes = projectNameClashes([p('api', 'b'), p('web', 'w'), p('api', 'a'), p('api', 'c'), p('API', 'd')]);
    expect(clashes).toEqual([{ name: 'api', projects: [p('api', 'a'), p('api', 'b'), p('api', 'c')] }]);
    expect(projectNameClashMessage(clashes[0])).toBe(
      'a/project.json and b/project.json and c/project.json are all named "api", and Nx refuses a workspace where two projects share a name; ' +
        'give each its own "name" (in its project.json, or package.json "name" or "nx.name")',
    );
  });

  it('finds none when every folder has its own name (names differ by case for Nx)', () => {
    expect(projectNameClashes([p('api', 'a'), p('API', 'b')])).toEqual([]);
  });
});

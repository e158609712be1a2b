import { isTaskInput } from './task-inputs';

describe('isTaskInput', () => {
  const named = { production: ['default', '!{projectRoot}/**/*.spec.ts'], sharedGlobals: ['{workspaceRoot}/go.work'], default: ['{projectRoot}/**/*', 'sharedGlobals'] };

  it("covers the project's files through the inferred target's {projectRoot} pattern, and no file elsewhere", () => {
    const inputs = ['{projectRoot}/**/*', { runtime: 'echo x' }, { externalDependencies: [] }];
    expect(isTaskInput('cmd/api/Dockerfile', inputs, {}, 'cmd/api')).toBe(true);
    expect(isTaskInput('tools/api.Dockerfile', inputs, {}, 'cmd/api')).toBe(false);
    expect(isTaskInput('Dockerfile', ['{projectRoot}/**/*'], {}, '.')).toBe(true);
  });

  it('follows named inputs (the project over nx.json), negations, filesets, and Nx default when a target names none', () => {
    expect(isTaskInput('go.work', ['production'], named, 'cmd/api')).toBe(true);
    expect(isTaskInput('cmd/api/a.spec.ts', ['production'], named, 'cmd/api')).toBe(false);
    expect(isTaskInput('tools/api.Dockerfile', ['{projectRoot}/**/*', { fileset: '{workspaceRoot}/tools/api.Dockerfile' }], {}, 'cmd/api')).toBe(true);
    expect(isTaskInput('tools/api.Dockerfile', ['{projectRoot}/**/*', '{workspaceRoot}/tools/*.Dockerfile'], {}, 'cmd/api')).toBe(true);
    expect(isTaskInput('cmd/api/main.go', undefined, {}, 'cmd/api')).toBe(true);
    expect(isTaskInput('tools/x', undefined, {}, 'cmd/api')).toBe(false);
  });

  it("counts no input of dependencies and survives a named input that names itself", () => {
    expect(isTaskInput('libs/a/x.ts', ['^production', { input: 'production', dependencies: true }], named, 'apps/api')).toBe(false);
    expect(isTaskInput('apps/api/x', ['loop'], { loop: ['loop', '{projectRoot}/**/*'] }, 'apps/api')).toBe(true);
  });
});

import { CreateDependenciesContext, CreateNodesContextV2 } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies, createNodes } from './plugin';

const files: Record<string, string> = {
  'go.mod': 'module example.com/shop\n\ngo 1.19\n',
  'cmd/api/main.go': 'package main\n\nimport "example.com/shop/internal/greeting"\n\nfunc main() { greeting.Hello() }\n',
  'cmd/api/main_test.go': 'package main\n\nimport "example.com/shop/internal/testonly"\n',
  'cmd/worker/main.go': 'package main\n\nfunc main() {}\n',
  'internal/greeting/greeting.go': 'package greeting\n\nfunc Hello() {}\n',
  'internal/testonly/t.go': 'package testonly\n',
  'services/billing/project.json': '{ "name": "billing-svc" }\n',
  'services/billing/main.go': 'package main\n\nfunc main() {}\n',
};

/** A temp workspace holding the files; the caller removes it. */
function workspaceWith(contents: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-plugin-'));
  for (const [file, content] of Object.entries(contents)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

let root: string;
beforeAll(() => {
  root = workspaceWith(files);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function inferred(options = {}) {
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
  const results = await createNodes[1](Object.keys(files), options, context);
  return Object.assign({}, ...results.map(([, r]) => r.projects));
}

describe('inferred projects and targets', () => {
  it('infers an app project with a docker-build target for every Go main package', async () => {
    const projects = await inferred();
    expect(Object.keys(projects).sort()).toEqual(['cmd/api', 'cmd/worker', 'internal/greeting', 'internal/testonly', 'services/billing']);
    expect(projects['cmd/api']).toMatchObject({ name: 'api', projectType: 'application' });
    expect(projects['internal/greeting']).toMatchObject({ name: 'greeting', projectType: 'library', targets: {} });
  });

  it('leaves out a module whose go.mod Go would refuse, and infers the rest of the workspace', async () => {
    const withBroken = { ...files, 'tools/gen/go.mod': 'go 1.23\n', 'tools/gen/main.go': 'package main\n\nfunc main() {}\n' };
    const brokenRoot = workspaceWith(withBroken);
    try {
      const results = await createNodes[1](Object.keys(withBroken), {}, { workspaceRoot: brokenRoot, nxJsonConfiguration: {} } as CreateNodesContextV2);
      const projects = Object.assign({}, ...results.map(([, r]) => r.projects));
      // Nx fails every command on any createNodes error, partial results or not: the module is left out instead, and setup and sync name it.
      expect(Object.keys(projects).sort()).toEqual(['cmd/api', 'cmd/worker', 'internal/greeting', 'internal/testonly', 'services/billing']);
    } finally {
      rmSync(brokenRoot, { recursive: true, force: true });
    }
  });

  it('keeps the name of a project declared in project.json', async () => {
    expect((await inferred())['services/billing'].name).toBe('billing-svc');
  });

  it('makes the target cacheable with the app (its Dockerfile included), its dependencies, the module files and the plugin version as inputs', async () => {
    const target = (await inferred())['cmd/api'].targets['docker-build'];
    expect(target).toMatchObject({
      executor: 'nx-docker-stages:docker-build',
      cache: true,
      options: { dockerfile: 'cmd/api/Dockerfile', target: 'api' },
      outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
    });
    expect(target.inputs).toEqual([
      '{projectRoot}/**/*',
      '!{projectRoot}/**/*_test.go',
      { input: 'default', dependencies: true },
      '{workspaceRoot}/go.mod',
      '{workspaceRoot}/.dockerignore',
      { runtime: 'echo nx-docker-stages@0.1.0' },
      { externalDependencies: [] },
    ]);
    expect(target.metadata.description).toContain('api');
  });

  it('gives a Go app no warm-up: its image build depends on nothing', async () => {
    const { targets } = (await inferred())['cmd/api'];
    expect(Object.keys(targets)).toEqual(['docker-build']);
    expect(targets['docker-build'].dependsOn).toBeUndefined();
  });

  it('uses the target name and Dockerfile name from the plugin options', async () => {
    const projects = await inferred({ targetName: 'image', dockerfile: 'Dockerfile.nx' });
    expect(projects['cmd/worker'].targets.image.options.dockerfile).toBe('cmd/worker/Dockerfile.nx');
  });

  it('infers nothing in a workspace without go.mod', async () => {
    const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
    expect(await createNodes[1](['apps/web/package.json'], {}, context)).toEqual([]);
  });
});

describe('Go import dependencies', () => {
  it('links projects through the imports of their built files, not their tests', async () => {
    const projects = await inferred();
    const byName = Object.fromEntries(Object.entries(projects).map(([r, p]) => [(p as { name: string }).name, { root: r }]));
    const projectFileMap: Record<string, Array<{ file: string; hash: string }>> = {};
    for (const file of Object.keys(files)) {
      const owner = Object.entries(byName).find(([, p]) => file.startsWith(`${p.root}/`));
      if (owner) (projectFileMap[owner[0]] ??= []).push({ file, hash: '1' });
    }
    const context = {
      workspaceRoot: root,
      projects: byName,
      fileMap: { projectFileMap, nonProjectFiles: [{ file: 'go.mod', hash: '1' }] },
      externalNodes: {},
      filesToProcess: { projectFileMap: {}, nonProjectFiles: [] },
      nxJsonConfiguration: {},
    } as unknown as CreateDependenciesContext;
    expect(await createDependencies({}, context)).toEqual([
      { source: 'api', target: 'greeting', sourceFile: 'cmd/api/main.go', type: 'static' },
    ]);
  });
});

describe('Node apps', () => {
  const nodeFiles: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'shop', workspaces: ['apps/*', 'libs/*'] }),
    'package-lock.json': '{}',
    'apps/web/package.json': JSON.stringify({ name: '@shop/web', scripts: { start: 'node main.js' }, dependencies: { '@shop/ui': '*' } }),
    'libs/ui/package.json': JSON.stringify({ name: '@shop/ui', main: 'index.js' }),
  };
  let nodeRoot: string;
  beforeAll(() => {
    nodeRoot = workspaceWith(nodeFiles);
  });
  afterAll(() => rmSync(nodeRoot, { recursive: true, force: true }));

  it('adds a docker-build target that stages each Node app after its build, and none to libraries', async () => {
    const context = { workspaceRoot: nodeRoot, nxJsonConfiguration: {} } as CreateNodesContextV2;
    const results = await createNodes[1](Object.keys(nodeFiles), {}, context);
    const projects = Object.assign({}, ...results.map(([, r]) => r.projects));
    expect(Object.keys(projects)).toEqual(['apps/web']);
    const target = projects['apps/web'].targets['docker-build'];
    expect(target.options).toEqual({ dockerfile: 'apps/web/Dockerfile', target: 'shop-web', context: 'dist/docker/@shop/web/context', nodeApp: { packageFiles: true } });
    expect(target.dependsOn).toEqual(['build', '^build', 'docker-deps']);
    expect(target.inputs).toEqual([
      '{projectRoot}/**/*',
      { input: 'default', dependencies: true },
      '{workspaceRoot}/package.json',
      { dependentTasksOutputFiles: '**/*', transitive: true },
      { runtime: 'echo nx-docker-stages@0.1.0' },
      { externalDependencies: [] },
    ]);
    expect(target.inputs).not.toContain('{workspaceRoot}/package-lock.json');
  });

  it('adds the warm-up of the dependencies stage, cached on the inputs of the image less the outputs of the builds, under the name the options give', async () => {
    const context = { workspaceRoot: nodeRoot, nxJsonConfiguration: {} } as CreateNodesContextV2;
    const targetsWith = async (options: Record<string, string>) =>
      Object.assign({}, ...(await createNodes[1](Object.keys(nodeFiles), options, context)).map(([, r]) => r.projects))['apps/web'].targets;
    const targets = await targetsWith({});
    const warmUp = targets['docker-deps'];
    expect(warmUp).toMatchObject({ executor: 'nx-docker-stages:docker-deps', cache: true, options: { buildTarget: 'docker-build' }, outputs: [] });
    expect(warmUp.dependsOn).toBeUndefined();
    // What the install reads as far as the app's inputs tell it, no source (a library change leaves it a hit), and no
    // {workspaceRoot} input docker-build lacks (a lockfile input would make every app affected by any lockfile change).
    expect(warmUp.inputs).toEqual([
      '{projectRoot}/package.json',
      '{projectRoot}/Dockerfile',
      '{workspaceRoot}/package.json',
      { runtime: 'echo nx-docker-stages@0.1.0' },
      { externalDependencies: [] },
    ]);
    const workspaceRootInputs = (inputs: unknown[]) => inputs.filter((i) => typeof i === 'string' && i.startsWith('{workspaceRoot}'));
    expect(workspaceRootInputs(targets['docker-build'].inputs)).toEqual(expect.arrayContaining(workspaceRootInputs(warmUp.inputs)));

    const renamed = await targetsWith({ targetName: 'image', depsTargetName: 'image-deps' });
    expect(Object.keys(renamed).sort()).toEqual(['image', 'image-deps']);
    expect(renamed['image'].dependsOn).toContain('image-deps');
    expect(renamed['image-deps'].options).toEqual({ buildTarget: 'image', stage: 'shop-web-deps' });
    await expect(targetsWith({ targetName: 'image', depsTargetName: 'image' })).rejects.toThrow(/"targetName" and "depsTargetName" are both "image"/);
  });

  it('gives an app Nx builds and serves with @nx/js:node a target that depends on its build and stages its output', async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: '@wsa/source', workspaces: ['apps/*'] }),
      'package-lock.json': '{}',
      'apps/api/package.json': JSON.stringify({
        name: '@wsa/api',
        nx: { targets: { build: { executor: '@nx/esbuild:esbuild' }, serve: { executor: '@nx/js:node', options: { buildTarget: '@wsa/api:build' } } } },
      }),
    };
    const root = workspaceWith(files);
    try {
      const results = await createNodes[1](Object.keys(files), {}, { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2);
      const target = Object.assign({}, ...results.map(([, r]) => r.projects))['apps/api'].targets['docker-build'];
      expect(target.options).toMatchObject({ context: 'dist/docker/@wsa/api/context', nodeApp: { buildTarget: 'build' } });
      expect(target.dependsOn).toEqual(['build', '^build', 'docker-deps']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

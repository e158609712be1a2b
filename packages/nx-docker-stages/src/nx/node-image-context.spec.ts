/**
 * Staging a Node app's build context against Nx's real project graph, file map and lockfile
 * parsers, on small npm and pnpm workspaces with real lockfiles (__fixtures__), and a frozen
 * install of the pruned dependencies to prove they are consistent.
 */
import type { ProjectGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { StagedNodeApp } from './node-image-context';

jest.setTimeout(120_000);

/** Copies a fixture workspace to a temp folder and installs it. */
function workspaceOf(fixture: string): string {
  const root = mkdtempSync(join(tmpdir(), `stage-${fixture}-`));
  cpSync(join(__dirname, '__fixtures__', fixture), root, { recursive: true });
  writeFileSync(join(root, 'nx.json'), '{}\n');
  // Nx reads an installed node_modules (pnpm's .modules.yaml) next to the lockfile; install the few tiny packages.
  if (fixture.startsWith('pnpm')) execFileSync('npx', ['-y', 'pnpm@9.15.9', 'install', '--frozen-lockfile', '--ignore-scripts', '--reporter=silent'], { cwd: root });
  else execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
  // What @shop/report's build writes (dist/ is gitignored, so no fixture holds it).
  mkdirSync(join(root, 'apps/report/dist'), { recursive: true });
  writeFileSync(join(root, 'apps/report/dist/main.js'), "console.log('report');\n");
  return root;
}

/** Builds Nx's graph (which caches the file map) and stages the app, in a fresh module registry rooted at the workspace. */
async function stage(root: string, project: string, depsOnlyDir?: string): Promise<{ staged: StagedNodeApp; dir: string; files: string[] }> {
  process.env.NX_WORKSPACE_ROOT_PATH = root;
  process.env.NX_DAEMON = 'false';
  process.env.NX_NO_CLOUD = 'true';
  let staged!: StagedNodeApp;
  await jest.isolateModulesAsync(async () => {
    const devkit = await import('@nx/devkit');
    const graph: ProjectGraph = await devkit.createProjectGraphAsync({ exitOnError: false, resetDaemonClient: true });
    const { stageNodeDependencies, stageNodeImageContext } = await import('./node-image-context');
    // The warm-up's staging (executors/docker-deps) first, into a folder of its own, as it runs before the build.
    if (depsOnlyDir) stageNodeDependencies(project, graph, root, depsOnlyDir);
    staged = await stageNodeImageContext(project, graph, root, { packageFiles: true });
  });
  const dir = join(root, staged.context);
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(dir, join(d, e.name))]));
  return { staged, dir, files: walk(dir).sort() };
}

afterEach(() => {
  delete process.env.NX_WORKSPACE_ROOT_PATH;
});

describe.each([
  ['npm', 'npm-shop', 'package-lock.json'],
  ['pnpm', 'pnpm-shop', 'pnpm-lock.yaml'],
])('staging a package app of a %s workspace', (_pm, fixture, lockfile) => {
  let root: string;
  beforeAll(() => {
    root = workspaceOf(fixture);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stages the app\'s package files, its library as a package by npm\'s rules, and its pruned production dependencies, and no credential file', async () => {
    const { staged, files, dir } = await stage(root, '@shop/web');
    expect(staged).toMatchObject({ context: 'dist/docker/@shop/web/context', libraries: ['@shop/greeting'] });
    expect(files.filter((f) => !f.startsWith('deps/'))).toEqual([
      'app/package.json',
      'app/src/main.js',
      'libraries/@shop/greeting/package.json',
      'libraries/@shop/greeting/src/index.js',
    ]);
    expect(files).toContain(`deps/${lockfile}`);
    expect(JSON.parse(readFileSync(join(dir, 'deps/package.json'), 'utf8')).dependencies).toEqual({ ms: expect.any(String) });
    const pruned = readFileSync(join(dir, 'deps', lockfile), 'utf8');
    expect(pruned).toContain('ms');
    expect(pruned).not.toContain('is-odd');
    expect(pruned).not.toContain('is-number');
  });

  it('stages, before any build, the very deps/ that docker-build stages, for the warm-up of the dependencies stage', async () => {
    const early = mkdtempSync(join(tmpdir(), 'deps-warmup-'));
    try {
      const { dir } = await stage(root, '@shop/web', early);
      expect(readdirSync(join(early, 'deps')).sort()).toEqual(readdirSync(join(dir, 'deps')).sort());
      for (const file of readdirSync(join(dir, 'deps'))) expect(readFileSync(join(early, 'deps', file), 'utf8')).toBe(readFileSync(join(dir, 'deps', file), 'utf8'));
      expect(readdirSync(early)).toEqual(['deps']);
    } finally {
      rmSync(early, { recursive: true, force: true });
    }
  });

  it('refuses an app whose package files miss what its start script runs, naming the fix', async () => {
    rmSync(join(root, 'apps/report/dist'), { recursive: true, force: true });
    await expect(stage(root, '@shop/report')).rejects.toThrow(/@shop\/report: the app @shop\/report needs dist\/main.js, which its package files, as npm packs them, do not hold; list the folder that holds it in "files" in apps\/report\/package.json/);
    mkdirSync(join(root, 'apps/report/dist'), { recursive: true });
    writeFileSync(join(root, 'apps/report/dist/main.js'), "console.log('report');\n");
  });

  it('refuses a package whose build declares no outputs, which no hash could see change, naming the fix', async () => {
    const file = join(root, 'apps/report/package.json');
    const manifest = readFileSync(file, 'utf8');
    const { nx: _declared, ...withoutOutputs } = JSON.parse(manifest);
    writeFileSync(file, JSON.stringify(withoutOutputs));
    try {
      await expect(stage(root, '@shop/report')).rejects.toThrow(/@shop\/report: the "build" target of @shop\/report declares no outputs.*"outputs": \["\{projectRoot\}\/dist"\]/);
    } finally {
      writeFileSync(file, manifest);
    }
  });

  it('adds to the install a package the built code loads that no manifest declares for production, when the workspace has it (a build\'s helper package)', async () => {
    writeFileSync(join(root, 'apps/report/dist/main.js'), "require('typescript');\nconsole.log('report');\n");
    try {
      const { dir, staged } = await stage(root, '@shop/report');
      expect(JSON.parse(readFileSync(join(dir, 'deps/package.json'), 'utf8')).dependencies).toEqual({ 'is-number': expect.any(String), typescript: expect.stringMatching(/5\.6/) });
      expect(readFileSync(join(dir, 'deps', lockfile), 'utf8')).toContain('typescript');
      expect(staged.notes).toEqual([expect.stringMatching(/^its built code loads typescript@\S+, which no package.json declares for production; added/)]);
    } finally {
      writeFileSync(join(root, 'apps/report/dist/main.js'), "console.log('report');\n");
    }
  });

  it('refuses built code that statically imports a package nothing provides, and notes one loaded by require()', async () => {
    writeFileSync(join(root, 'apps/report/dist/extra.mjs'), "import pad from 'left-pad-nowhere';\nexport default pad;\n");
    writeFileSync(join(root, 'apps/report/dist/optional.js'), "try { require('optional-nowhere'); } catch {}\n");
    try {
      await expect(stage(root, '@shop/report')).rejects.toThrow(
        /@shop\/report: its built code imports left-pad-nowhere \(imported by app\/dist\/extra\.mjs\), which neither its production dependencies nor the workspace's installed packages provide, so the image could not start; add it to "dependencies"/,
      );
      rmSync(join(root, 'apps/report/dist/extra.mjs'));
      const { staged } = await stage(root, '@shop/report');
      expect(staged.notes).toEqual([expect.stringContaining('may load optional-nowhere (app/dist/optional.js) with require() or import()')]);
    } finally {
      rmSync(join(root, 'apps/report/dist/extra.mjs'), { force: true });
      rmSync(join(root, 'apps/report/dist/optional.js'), { force: true });
    }
  });

  it("keeps none of another app's dependencies", async () => {
    const { dir } = await stage(root, '@shop/report');
    const pruned = readFileSync(join(dir, 'deps', lockfile), 'utf8');
    expect(pruned).toContain('is-number');
    expect(pruned).not.toMatch(/\bms\b/);
    expect(pruned).not.toContain('typescript');
  });

  it('empties the context first and writes an empty dependency set for an app without dependencies', async () => {
    const { dir } = await stage(root, '@shop/ping');
    writeFileSync(join(dir, 'app/stale.js'), '');
    const again = await stage(root, '@shop/ping');
    expect(existsSync(join(again.dir, 'app/stale.js'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'deps/package.json'), 'utf8')).dependencies ?? {}).toEqual({});
  });
});

describe('the staged dependencies', () => {
  it('pass a frozen production npm install (npm ci --omit=dev --dry-run)', async () => {
    const root = workspaceOf('npm-shop');
    try {
      const { dir } = await stage(root, '@shop/web');
      const output = execFileSync('npm', ['ci', '--omit=dev', '--dry-run', '--no-audit', '--no-fund'], { cwd: join(dir, 'deps'), encoding: 'utf8' });
      expect(output).toMatch(/add ms/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('pass a frozen production pnpm install check (pnpm install --frozen-lockfile --prod --lockfile-only)', async () => {
    const root = workspaceOf('pnpm-shop');
    try {
      const { dir } = await stage(root, '@shop/web');
      execFileSync('npx', ['-y', 'pnpm@9.15.9', 'install', '--frozen-lockfile', '--prod', '--lockfile-only', '--ignore-scripts'], { cwd: join(dir, 'deps'), encoding: 'utf8' });
      expect(readFileSync(join(dir, 'deps/pnpm-lock.yaml'), 'utf8')).toContain('ms@');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('staging an app Nx builds', () => {
  let root: string;
  let projectFileMap: Record<string, unknown> = { '@w/api': [] };
  const fakeNx = () => ({
    readFileMapCache: () => ({ fileMap: { projectFileMap } }),
    createPackageJson: () => ({ dependencies: {} }),
    createLockFile: () => '',
    generatePrunedDeployOutput: (_m: unknown, _g: unknown, _r: unknown, o: { outputDirectory: string }) => writeFileSync(join(o.outputDirectory, 'package-lock.json'), '{"pruned":true}'),
  });
  const graphWith = (build: Record<string, unknown>) =>
    ({
      nodes: { '@w/api': { name: '@w/api', type: 'app', data: { root: 'apps/api', targets: { build: { outputs: ['{options.outputPath}'], ...build } } } } },
      dependencies: {},
      externalNodes: {},
    }) as unknown as ProjectGraph;
  const esbuild = { executor: '@nx/esbuild:esbuild', options: { outputPath: 'apps/api/dist', main: 'apps/api/src/main.ts' } };
  const stageApi = async (graph: ProjectGraph, nodeApp: Record<string, unknown> = { buildTarget: 'build' }) => {
    const { stageNodeImageContext } = await import('./node-image-context');
    return stageNodeImageContext('@w/api', graph, root, nodeApp, fakeNx as never);
  };
  const write = (file: string, text = '') => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };

  beforeEach(() => {
    projectFileMap = { '@w/api': [] };
    root = mkdtempSync(join(tmpdir(), 'stage-built-'));
    write('package.json', JSON.stringify({ name: 'w', workspaces: ['apps/*'] }));
    write('package-lock.json', '{"lockfileVersion":3}');
    write('apps/api/package.json', JSON.stringify({ name: '@w/api', type: 'module', version: '1.2.3' }));
    for (const file of ['main.js', 'apps/api/src/main.js', 'main.d.ts', 'main.d.ts.map', 'tsconfig.app.tsbuildinfo', '.env', 'node_modules/x/index.js']) write(`apps/api/dist/${file}`, 'x');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("stages the build's output without declarations, build info, node_modules or credential files, and names the entry and the module type Node would use", async () => {
    const staged = await stageApi(graphWith(esbuild));
    expect(staged.entry).toBe('main.js');
    const app = join(root, 'dist/docker/@w/api/context/app');
    expect(readdirSync(app).sort()).toEqual(['apps', 'main.js', 'package.json']);
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))).toEqual({ name: '@w/api', version: '1.2.3', private: true, main: 'main.js', type: 'module' });
  });

  it("takes the module type from the package.json nearest the output, which need not be the app's", async () => {
    write('dist/apps/api/main.js', 'x');
    await stageApi(graphWith({ ...esbuild, options: { outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts' } }));
    // Above dist/apps/api is the root package.json, without "type": CommonJS, as Node runs it in the workspace.
    expect(JSON.parse(readFileSync(join(root, 'dist/docker/@w/api/context/app/package.json'), 'utf8')).type).toBeUndefined();
  });

  it('fails, naming the target and the fix, when the build left no output, no entry, or writes to the workspace root', async () => {
    await expect(stageApi(graphWith({ ...esbuild, options: { outputPath: 'apps/api/out' } }))).rejects.toThrow(/@w\/api: its "build" target left no output in apps\/api\/out; run "nx run @w\/api:build"/);
    await expect(stageApi(graphWith({ ...esbuild, options: { ...esbuild.options, outputFileName: 'server.js' } }))).rejects.toThrow(/has no server.js or server.cjs or server.mjs to start the app; set the docker-build option nodeApp.entry/);
    await expect(stageApi(graphWith({ executor: 'nx:run-commands', outputs: ['{projectRoot}/../../**/*.js'] }))).rejects.toThrow(/writes to \., which holds the whole workspace/);
    await expect(stageApi(graphWith(esbuild), { buildTarget: 'compile' })).rejects.toThrow(/@w\/api: has no "compile" target to build the app/);
    await expect(stageApi(graphWith(esbuild), {})).rejects.toThrow(/nodeApp needs either buildTarget .* or packageFiles: true/);
  });

  it('fails, naming the file and the fix, for a package app with nothing to start or a start script an image cannot run', async () => {
    await expect(stageApi(graphWith(esbuild), { packageFiles: true })).rejects.toThrow(
      '@w/api: apps/api/package.json: nothing to start (no "start" script, "main" or "bin"); add a "start": "node <file>" script',
    );
    write('apps/api/package.json', JSON.stringify({ name: '@w/api', scripts: { start: 'node src/main.ts' } }));
    await expect(stageApi(graphWith(esbuild), { packageFiles: true })).rejects.toThrow(
      '@w/api: apps/api/package.json: its start script "node src/main.ts" runs the TypeScript source src/main.ts; build the app to JavaScript',
    );
  });

  it('fails, naming the fix, when the workspace has no lockfile', async () => {
    rmSync(join(root, 'package-lock.json'));
    await expect(stageApi(graphWith(esbuild))).rejects.toThrow(
      /^@w\/api: staging its image's build context \(dist\/docker\/@w\/api\/context\) failed: no yarn.lock, pnpm-lock.yaml, package-lock.json next to \S+package.json; run the install of the workspace's package manager, which writes its lockfile$/,
    );
  });

  it('stages the libraries production code imports, and those an implicit dependency names, but not one only a test imports or a devDependency declares', async () => {
    write('package.json', JSON.stringify({ name: 'w', workspaces: ['apps/*', 'libs/*'] }));
    for (const lib of ['shared', 'testing', 'plugins', 'tooling']) write(`libs/${lib}/package.json`, JSON.stringify({ name: `@w/${lib}`, main: 'index.js' }));
    for (const lib of ['shared', 'testing', 'plugins', 'tooling']) write(`libs/${lib}/index.js`, '');
    write('apps/api/package.json', JSON.stringify({ name: '@w/api', devDependencies: { '@w/tooling': '*' } }));
    const graph = graphWith(esbuild);
    for (const lib of ['shared', 'testing', 'plugins', 'tooling']) (graph.nodes as Record<string, unknown>)[`@w/${lib}`] = { name: `@w/${lib}`, type: 'lib', data: { root: `libs/${lib}`, targets: {} } };
    graph.dependencies['@w/api'] = ['@w/shared', '@w/testing', '@w/plugins', '@w/tooling'].map((target) => ({ source: '@w/api', target, type: 'static' }));
    projectFileMap = {
      '@w/api': [
        { file: 'apps/api/src/main.ts', hash: '1', deps: ['@w/shared'] },
        { file: 'apps/api/src/main.spec.ts', hash: '2', deps: ['@w/testing'] },
        { file: 'apps/api/package.json', hash: '3', deps: ['@w/tooling'] },
      ],
    };
    expect((await stageApi(graph)).libraries).toEqual(['@w/plugins', '@w/shared']);
  });
});

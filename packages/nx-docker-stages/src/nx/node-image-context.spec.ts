/**
 * Staging a Node app's build context against Nx's real project graph, file map and lockfile
 * parsers, on small npm and pnpm workspaces with real lockfiles (__fixtures__), and a frozen
 * install of the pruned dependencies to prove they are consistent.
 */
import type { ProjectGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  return root;
}

/** Builds Nx's graph (which caches the file map) and stages the app, in a fresh module registry rooted at the workspace. */
async function stage(root: string, project: string): Promise<{ staged: StagedNodeApp; dir: string; files: string[] }> {
  process.env.NX_WORKSPACE_ROOT_PATH = root;
  process.env.NX_DAEMON = 'false';
  process.env.NX_NO_CLOUD = 'true';
  let staged!: StagedNodeApp;
  await jest.isolateModulesAsync(async () => {
    const devkit = await import('@nx/devkit');
    const graph: ProjectGraph = await devkit.createProjectGraphAsync({ exitOnError: false, resetDaemonClient: true });
    const { stageNodeImageContext } = await import('./node-image-context');
    staged = await stageNodeImageContext(project, graph, root, { packageFiles: true } as never);
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

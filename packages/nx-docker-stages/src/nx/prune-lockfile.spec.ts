/**
 * The pruning edge against Nx's real graph and lockfile parsers, on small npm
 * and pnpm workspaces with real lockfiles (__fixtures__), and a frozen install
 * of the result to prove it is consistent.
 */
import type { ProjectGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePrunedDependencies } from './prune-lockfile';

jest.setTimeout(120_000);

/** Copies a fixture workspace to a temp folder and builds Nx's project graph for it, in a fresh module registry. */
async function graphOf(fixture: string): Promise<{ root: string; graph: ProjectGraph }> {
  const root = mkdtempSync(join(tmpdir(), `prune-${fixture}-`));
  cpSync(join(__dirname, '__fixtures__', fixture), root, { recursive: true });
  writeFileSync(join(root, 'nx.json'), '{}\n');
  // Nx reads an installed node_modules (pnpm's .modules.yaml) next to the lockfile; install the four tiny packages.
  if (fixture.startsWith('pnpm')) execFileSync('npx', ['-y', 'pnpm@9.15.9', 'install', '--frozen-lockfile', '--ignore-scripts', '--reporter=silent'], { cwd: root });
  else execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
  process.env.NX_WORKSPACE_ROOT_PATH = root;
  process.env.NX_DAEMON = 'false';
  process.env.NX_NO_CLOUD = 'true';
  let graph!: ProjectGraph;
  await jest.isolateModulesAsync(async () => {
    const devkit = await import('@nx/devkit');
    graph = await devkit.createProjectGraphAsync({ exitOnError: false, resetDaemonClient: true });
  });
  return { root, graph };
}

function prune(root: string, graph: ProjectGraph, project: string): { dir: string; manifest: Record<string, unknown>; files: string[] } {
  const dir = join(root, 'dist/docker', project, 'deps');
  writePrunedDependencies(project, graph, root, dir);
  return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), files: readdirSync(dir).sort() };
}

afterEach(() => {
  delete process.env.NX_WORKSPACE_ROOT_PATH;
});

describe.each([
  ['npm', 'npm-shop', 'package-lock.json'],
  ['pnpm', 'pnpm-shop', 'pnpm-lock.yaml'],
])('pruning a %s lockfile', (_pm, fixture, lockfile) => {
  let root: string;
  let graph: ProjectGraph;
  beforeAll(async () => {
    ({ root, graph } = await graphOf(fixture));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("keeps an app's production dependencies and its libraries' ones, and drops its devDependencies", () => {
    const { manifest, files } = prune(root, graph, '@shop/web');
    expect(manifest.dependencies).toEqual({ ms: expect.any(String) });
    expect(files).toContain(lockfile);
    const pruned = readFileSync(join(root, 'dist/docker/@shop/web/deps', lockfile), 'utf8');
    expect(pruned).toContain('ms');
    expect(pruned).not.toContain('is-odd');
    expect(pruned).not.toContain('is-number');
  });

  it("keeps none of another app's dependencies", () => {
    const pruned = readFileSync(join(prune(root, graph, '@shop/report').dir, lockfile), 'utf8');
    expect(pruned).toContain('is-number');
    expect(pruned).not.toMatch(/\bms\b/);
    expect(pruned).not.toContain('typescript');
  });

  it('writes an empty dependency set for an app without dependencies', () => {
    expect(prune(root, graph, '@shop/ping').manifest.dependencies ?? {}).toEqual({});
  });
});

describe('the pruned npm output', () => {
  it('passes a frozen production install (npm ci --omit=dev --dry-run)', async () => {
    const { root, graph } = await graphOf('npm-shop');
    try {
      const { dir } = prune(root, graph, '@shop/web');
      const output = execFileSync('npm', ['ci', '--omit=dev', '--dry-run', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
      expect(output).toMatch(/add ms/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the pruned pnpm output', () => {
  it('passes a frozen production install check (pnpm install --frozen-lockfile --prod --lockfile-only)', async () => {
    const { root, graph } = await graphOf('pnpm-shop');
    try {
      const { dir } = prune(root, graph, '@shop/web');
      execFileSync('npx', ['-y', 'pnpm@9.15.9', 'install', '--frozen-lockfile', '--prod', '--lockfile-only', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
      expect(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8')).toContain('ms@');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

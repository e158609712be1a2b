/**
 * Real Nx workspaces in temp folders for e2e suites: the plugin comes from
 * its packed tarball, Nx runs as users run it, and the engine is the real one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** Debian's client: BuildKit built in, no buildx needed (see ENVIRONMENT.md). */
export const DOCKER = '/usr/bin/docker';
export const TEST_IMAGES = {
  goImage: 'nx-docker-stages-test/go:1.19',
  goRuntimeImage: 'nx-docker-stages-test/static:nonroot',
};

export function pluginTarball(): string {
  const dist = join(REPO_ROOT, 'dist');
  const tarballs = existsSync(dist) ? readdirSync(dist).filter((f) => /^nx-docker-stages-.*\.tgz$/.test(f)) : [];
  if (tarballs.length !== 1) throw new Error(`expected exactly one plugin tarball in dist/, found ${tarballs.length}: run "npm run pack"`);
  return join(dist, tarballs[0]);
}

export interface Workspace {
  root: string;
  write(file: string, content: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  /** Runs a command in the workspace; throws with its output when it fails. */
  run(command: string, args: string[], env?: Record<string, string>): string;
  /** Runs a command and returns its exit code and output, never throwing. */
  attempt(command: string, args: string[], env?: Record<string, string>): { code: number; output: string };
  nx(...args: string[]): string;
  commit(message: string): void;
  remove(): void;
}

export interface WorkspaceOptions {
  name: string;
  files: Record<string, string>;
  nxVersion?: string;
  devkitVersion?: string;
  /** Options every docker-build target gets, through nx.json targetDefaults. */
  buildOptions?: Record<string, unknown>;
  /** More packages to install, e.g. a peer plugin. */
  devDependencies?: Record<string, string>;
  /** nx.json plugins to register besides what setup registers. */
  plugins?: string[];
}

// Plain output: no colours, no terminal UI, so tests read what a CI log shows.
const nxEnv = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };

export function createWorkspace(options: WorkspaceOptions): Workspace {
  const base = join(tmpdir(), 'nx-docker-stages-e2e');
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, `${options.name}-`));
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  const nxVersion = options.nxVersion ?? '23.2.1';
  write(
    'package.json',
    JSON.stringify(
      {
        name: options.name,
        private: true,
        devDependencies: {
          nx: nxVersion,
          '@nx/devkit': options.devkitVersion ?? nxVersion,
          'nx-docker-stages': `file:${pluginTarball()}`,
          ...options.devDependencies,
        },
      },
      null,
      2,
    ),
  );
  write(
    'nx.json',
    JSON.stringify(
      {
        $schema: './node_modules/nx/schemas/nx-schema.json',
        defaultBase: 'main',
        ...(options.plugins ? { plugins: options.plugins } : {}),
        targetDefaults: options.buildOptions ? { 'docker-build': { options: options.buildOptions } } : {},
      },
      null,
      2,
    ),
  );
  write('.gitignore', 'node_modules\ndist\n.nx\n');
  for (const [file, content] of Object.entries(options.files)) write(file, content);

  const exec = (command: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync(command, args, {
      cwd: root,
      env: { ...process.env, ...nxEnv, ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  const ws: Workspace = {
    root,
    write,
    read: (file) => readFileSync(join(root, file), 'utf8'),
    exists: (file) => existsSync(join(root, file)),
    run(command, args, env) {
      try {
        return exec(command, args, env);
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; status?: number };
        throw new Error(`${command} ${args.join(' ')} failed (exit ${err.status}) in ${root}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      }
    },
    attempt(command, args, env) {
      try {
        return { code: 0, output: exec(command, args, env) };
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; status?: number };
        return { code: err.status ?? 1, output: `${err.stdout ?? ''}\n${err.stderr ?? ''}` };
      }
    },
    nx: (...args) => ws.run(join(root, 'node_modules', '.bin', 'nx'), args),
    commit(message) {
      ws.run('git', ['add', '-A']);
      ws.run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-q', '-m', message]);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  ws.run('git', ['init', '-q', '-b', 'main']);
  ws.run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  ws.commit('initial');
  return ws;
}

/** The docker-build tasks a run of Nx executed or took from the cache, by project. */
export function tasksRun(output: string, target = 'docker-build'): string[] {
  const names = new Set<string>();
  for (const m of output.matchAll(new RegExp(`nx run ([^\\s:]+):${target}`, 'g'))) names.add(m[1]);
  return [...names].sort();
}

/** The tasks of a run that Nx took from its cache. */
export function tasksFromCache(output: string, target = 'docker-build'): string[] {
  const names = new Set<string>();
  for (const m of output.matchAll(new RegExp(`nx run ([^\\s:]+):${target}\\s+\\[(?:local cache|remote cache|existing outputs match the cache, left as is)\\]`, 'g'))) names.add(m[1]);
  return [...names].sort();
}

export function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function imageSize(ref: string): number {
  return Number(docker('image', 'inspect', '--format', '{{.Size}}', ref));
}

/** Size in bytes of one file inside an image, read through `docker cp` (works for images without a shell). */
export function fileSizeInImage(ref: string, path: string): number {
  const id = docker('create', ref);
  const out = mkdtempSync(join(tmpdir(), 'nx-docker-stages-cp-'));
  try {
    docker('cp', `${id}:${path}`, join(out, 'file'));
    return readFileSync(join(out, 'file')).length;
  } finally {
    docker('rm', id);
    rmSync(out, { recursive: true, force: true });
  }
}

/** The files of a folder of this repository (a fixture or the bundled example), as a map for createWorkspace. */
export function fixtureFiles(repoPath: string): Record<string, string> {
  const base = join(REPO_ROOT, repoPath);
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else files[rel] = readFileSync(join(dir, entry.name), 'utf8');
    }
  };
  walk(base, '');
  return files;
}

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
  goImage: 'nx-docker-stages-test/go:1.23',
  goRuntimeImage: 'nx-docker-stages-test/static:nonroot',
  goCgoRuntimeImage: 'nx-docker-stages-test/base:nonroot',
  nodeImage: 'nx-docker-stages-test/node:20',
  nodeRuntimeImage: 'nx-docker-stages-test/node-slim:20',
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

/**
 * The environment Nx runs with in a test workspace. Nx 23 keeps its task cache and databases under
 * ~/.nx, shared by every checkout of the same repository on the machine; each test workspace keeps
 * its own in .nx instead, so a clone starts as cold as it would on a fresh machine.
 */
export function nxEnvironment(root: string): Record<string, string> {
  return { ...nxEnv, NX_CACHE_DIRECTORY: join(root, '.nx', 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx', 'workspace-data') };
}

/** A Workspace handle on an existing folder. */
export function openWorkspace(root: string): Workspace {
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  const exec = (command: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync(command, args, {
      cwd: root,
      env: { ...process.env, ...nxEnvironment(root), ...env } as NodeJS.ProcessEnv,
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
    nx: (...args) => ws.run(NX_BIN(root), args),
    commit(message) {
      ws.run('git', ['add', '-A']);
      ws.run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-q', '-m', message]);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  return ws;
}

/**
 * A second clone of a workspace, as CI makes on a fresh machine: the committed files only (no
 * node_modules, no dist, no .nx cache), with Nx and the plugin installed again.
 */
export function cloneWorkspace(source: Workspace, name: string): Workspace {
  const base = join(tmpdir(), 'nx-docker-stages-e2e');
  const root = join(mkdtempSync(join(base, `${name}-`)), 'repo');
  execFileSync('git', ['clone', '-q', source.root, root]);
  const ws = openWorkspace(root);
  ws.write('.nx/installation/package.json', source.read('.nx/installation/package.json'));
  ws.run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', join(root, '.nx', 'installation')]);
  if (ws.exists('package.json')) installWorkspace(ws, ws.read('package.json'), ws.exists('pnpm-workspace.yaml'));
  return ws;
}

export function createWorkspace(options: WorkspaceOptions): Workspace {
  const base = join(tmpdir(), 'nx-docker-stages-e2e');
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, `${options.name}-`));
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  const nxVersion = options.nxVersion ?? '23.2.1';
  // Nx and the plugin live in .nx/installation, where Nx looks for plugins first (as `nx init` sets up
  // workspaces without a root package.json). The workspace's own manifests and lockfile then stay what
  // its apps need, so the images' frozen installs never meet a `file:` tarball they cannot reach.
  write(
    '.nx/installation/package.json',
    JSON.stringify(
      {
        private: true,
        dependencies: {
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
        $schema: './.nx/installation/node_modules/nx/schemas/nx-schema.json',
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

  const ws = openWorkspace(root);
  ws.run('git', ['init', '-q', '-b', 'main']);
  ws.run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', join(root, '.nx', 'installation')]);
  if (options.files['package.json']) installWorkspace(ws, options.files['package.json'], 'pnpm-workspace.yaml' in options.files);
  ws.commit('initial');
  return ws;
}

/** A project.json for the go-work fixture's `hello` app that gives its docker-build one image name of its own. */
export function helloImageName(imageName: string): string {
  return `${JSON.stringify({ name: 'hello', targets: { 'docker-build': { options: { imageName } } } }, null, 2)}\n`;
}

/** The nx binary of a workspace: in .nx/installation for those createWorkspace makes, else the workspace's own (one Nx generated). */
export const NX_BIN = (root: string) =>
  existsSync(join(root, '.nx', 'installation')) ? join(root, '.nx', 'installation', 'node_modules', '.bin', 'nx') : join(root, 'node_modules', '.bin', 'nx');

/** Installs a Node workspace's own dependencies with its package manager, which writes its lockfile. */
function installWorkspace(ws: Workspace, manifest: string, pnpm: boolean): void {
  if (pnpm) {
    const version = (JSON.parse(manifest).packageManager as string | undefined)?.split('+')[0] ?? 'pnpm@9.15.9';
    ws.run('npx', ['-y', version, 'install', '--reporter=silent']);
  } else {
    ws.run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  }
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

/** Runs a Node script inside an image (its entrypoint replaced by node, no network) and returns what it prints. */
export function nodeInImage(ref: string, script: string): string {
  return docker('run', '--rm', '--network', 'none', '--entrypoint', 'node', ref, '-e', script);
}

/** The packages installed under a node_modules folder of an image, nested node_modules and @scopes included, dot entries skipped; sorted, each once. */
export function nodeModulesInImage(ref: string, dir = '/app/node_modules'): string[] {
  const script = `
    const fs = require('fs'), path = require('path');
    const found = new Set();
    const walk = (modules) => {
      if (!fs.existsSync(modules)) return;
      for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const packages = entry.name.startsWith('@')
          ? fs.readdirSync(path.join(modules, entry.name), { withFileTypes: true }).filter((e) => !e.name.startsWith('.')).map((e) => [entry.name + '/' + e.name, e])
          : [[entry.name, entry]];
        for (const [name, e] of packages) {
          found.add(name);
          if (!e.isSymbolicLink()) walk(path.join(modules, name, 'node_modules'));
        }
      }
    };
    walk(${JSON.stringify(dir)});
    console.log(JSON.stringify([...found].sort()));`;
  return JSON.parse(nodeInImage(ref, script));
}

/** Every entry under a folder of an image (paths relative to it, symlinks not followed) with the byte size of each regular file. */
export function filesInImage(ref: string, dir = '/app'): Array<{ path: string; bytes: number }> {
  const script = `
    const fs = require('fs'), path = require('path');
    const out = [];
    const walk = (d, rel) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const r = rel ? rel + '/' + entry.name : entry.name;
        out.push({ path: r, bytes: entry.isFile() ? fs.lstatSync(path.join(d, entry.name)).size : 0 });
        if (entry.isDirectory()) walk(path.join(d, entry.name), r);
      }
    };
    walk(${JSON.stringify(dir)}, '');
    console.log(JSON.stringify(out));`;
  return JSON.parse(nodeInImage(ref, script));
}

/** The files under a folder of the host (recursively, symlinks not followed) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && readFileSync(path).includes(bytes)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

/** Whether `needle` occurs anywhere in the bytes of an image's `docker save` archive (every layer and the config). */
export function imageArchiveContains(ref: string, needle: string): boolean {
  const out = mkdtempSync(join(tmpdir(), 'nx-docker-stages-save-'));
  try {
    const archive = join(out, 'image.tar');
    docker('save', '--output', archive, ref);
    return readFileSync(archive).includes(Buffer.from(needle));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * How often each RUN step of the base stages executed across all tasks of an Nx run, and in how
 * many builds it appeared. From BuildKit's plain progress (`#N [go-base 2/5] RUN …`, its log lines
 * `#N 1.234 …`, then `#N DONE 37.2s` or `#N CACHED`): a step that another build had finished shows
 * CACHED; a step that builds started together share while it runs (BuildKit merges identical steps
 * of concurrent builds), and every build that shared it shows the same log and the same DONE
 * duration (measured here; see ENVIRONMENT.md). So the distinct DONE signatures (duration + log) of
 * a step are its executions.
 */
export function baseStepRuns(output: string): Record<string, Array<{ step: string; runs: number; builds: number }>> {
  const steps = new Map<string, { stage: string; step: string; executions: Set<string>; builds: number }>();
  let open: { id: string; stage: string; step: string; log: string[] } | null = null;
  for (const line of output.split('\n')) {
    const start = /^(#\d+) \[([a-z0-9-]+-base) \d+\/\d+\] RUN (.*)$/.exec(line);
    if (start) {
      open = { id: start[1], stage: start[2], step: start[3].trim(), log: [] };
      continue;
    }
    if (!open || !line.startsWith(`${open.id} `)) continue;
    const end = new RegExp(`^${open.id} (DONE|CACHED|ERROR)(.*)$`).exec(line);
    if (!end) {
      open.log.push(line.slice(open.id.length + 1));
      continue;
    }
    const key = `${open.stage}\u0000${open.step}`;
    const entry = steps.get(key) ?? { stage: open.stage, step: open.step, executions: new Set<string>(), builds: 0 };
    entry.builds++;
    if (end[1] !== 'CACHED') entry.executions.add(`${end[1]}${end[2]}\n${open.log.join('\n')}`);
    steps.set(key, entry);
    open = null;
  }
  const result: Record<string, Array<{ step: string; runs: number; builds: number }>> = {};
  for (const { stage, step, executions, builds } of steps.values()) (result[stage] ??= []).push({ step, runs: executions.size, builds });
  for (const list of Object.values(result)) list.sort((a, b) => a.step.localeCompare(b.step));
  return result;
}

/**
 * Puts a package manager (`pnpm@9.15.9`, `yarn@1.22.22`; `@yarnpkg/cli-dist@4.18.1` with command
 * `yarn`) on this process's PATH, as a developer of such a workspace has it: Nx runs package.json
 * scripts with the workspace's package manager. Installed once per machine into the e2e temp folder.
 */
export function usePackageManager(spec: string, command = spec.replace(/(.)@[^@]*$/, '$1')): void {
  const prefix = join(tmpdir(), 'nx-docker-stages-e2e', 'tools', spec.replace(/[@/]/g, '-'));
  const bin = join(prefix, 'node_modules', '.bin');
  if (!existsSync(join(bin, command))) {
    execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  const others = (process.env.PATH ?? '').split(':').filter((p) => !p.startsWith(join(tmpdir(), 'nx-docker-stages-e2e', 'tools')));
  process.env.PATH = [bin, ...others].join(':');
}

/**
 * The machine's Go toolchain, for fixtures the tests make with Go itself (`go get`): `go` on the
 * PATH, else where the machines have it (ENVIRONMENT.md: Go 1.26 in /usr/local/go, on the PATH of
 * login shells only). Fails, naming where it looked, when there is none.
 */
export function hostGo(): string {
  const candidates = [...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'go')), '/usr/local/go/bin/go'];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no Go toolchain on this machine (looked on the PATH and in /usr/local/go/bin); every machine of this project has one (ENVIRONMENT.md): install it`);
  return found;
}


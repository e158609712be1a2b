/**
 * Package apps end to end (apps whose package files are what runs): an npm, a
 * pnpm 9 and a pnpm 8 workspace made from one fixture (a JS app on a workspace
 * library that needs a built library with "files" and keeps its tests out with
 * .npmignore, a TypeScript app with a build script, an app with no dependencies,
 * an app started with `node -r`, and an app setup must refuse), the plugin
 * installed from its tarball, real nx commands, real BuildKit builds, and the
 * images run and looked into. e2e/nx-workspaces.e2e.ts covers the apps Nx builds.
 */
import { join } from 'node:path';
import {
  NX_BIN,
  Workspace,
  createWorkspace,
  docker,
  filesContaining,
  filesInImage,
  fixtureFiles,
  imageArchiveContains,
  imageSize,
  nodeModulesInImage,
  tasksFromCache,
  tasksRun,
  usePackageManager,
} from './support/workspace';

jest.setTimeout(20 * 60 * 1000);

const NODE_IMAGE = 'nx-docker-stages-test/node:20';
const NODE_RUNTIME_IMAGE = 'nx-docker-stages-test/node-slim:20';
const setupArgs = ['g', 'nx-docker-stages:setup', `--nodeImage=${NODE_IMAGE}`, `--nodeRuntimeImage=${NODE_RUNTIME_IMAGE}`];
const apps = ['@shop/ping', '@shop/preload', '@shop/report', '@shop/web'];
/** What each app prints when its image runs, and the packages its image's /app/node_modules must hold. */
const expected: Record<string, { prints: string; modules: string[] }> = {
  '@shop/web': { prints: 'hello web, a day is 86400000 ms (uid 65532)', modules: ['@shop/format', '@shop/greeting', 'ms'] },
  '@shop/report': { prints: 'report: 42 is a number: true (uid 65532)', modules: ['is-number'] },
  '@shop/ping': { prints: 'pong (uid 65532)', modules: [] },
  '@shop/preload': { prints: 'preloaded: yes (uid 65532)', modules: [] },
};
const TOKEN = 'NXDS-SECRET-TOKEN-8c1f';

/** The image reference of an app: its project name without the `@`. */
const imageOf = (app: string) => `${app.replace(/^@/, '')}:latest`;

/** Blocks for `ms` milliseconds (the tests run synchronously). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs an image with no network, as a user would run it, and returns what it prints. */
function runImage(ref: string, ...env: string[]): string {
  return docker('run', '--rm', '--network', 'none', ...env.flatMap((e) => ['-e', e]), ref);
}

/** The same workspace for pnpm: no `workspaces`, a packageManager, pnpm-workspace.yaml, and workspace:* for the library. */
function asPnpmWorkspace(files: Record<string, string>, pnpm: string): Record<string, string> {
  const result: Record<string, string> = {};
  let patterns: string[] = [];
  for (const [file, content] of Object.entries(files)) {
    if (file === 'package.json') {
      const { workspaces, ...root } = JSON.parse(content);
      patterns = workspaces;
      result[file] = `${JSON.stringify({ ...root, packageManager: pnpm }, null, 2)}\n`;
    } else if (file.endsWith('/package.json')) {
      const manifest = JSON.parse(content);
      for (const name of Object.keys(manifest.dependencies ?? {})) {
        if (name.startsWith('@shop/')) manifest.dependencies[name] = 'workspace:*';
      }
      result[file] = `${JSON.stringify(manifest, null, 2)}\n`;
    } else {
      result[file] = content;
    }
  }
  result['pnpm-workspace.yaml'] = `packages:\n${patterns.map((p) => `  - '${p}'\n`).join('')}`;
  return result;
}

const variants = [
  { pm: 'npm', files: () => fixtureFiles('e2e/fixtures/node-shop') },
  { pm: 'pnpm@9.15.9', files: () => asPnpmWorkspace(fixtureFiles('e2e/fixtures/node-shop'), 'pnpm@9.15.9') },
  // pnpm 8 writes lockfile format 6.0.
  { pm: 'pnpm@8.15.9', files: () => asPnpmWorkspace(fixtureFiles('e2e/fixtures/node-shop'), 'pnpm@8.15.9') },
];

describe.each(variants)('a Node $pm workspace: a JS app on a library, a TypeScript app, an app with no dependencies', ({ pm, files }) => {
  let ws: Workspace;

  beforeAll(() => {
    if (pm !== 'npm') usePackageManager(pm);
    ws = createWorkspace({ name: `node-shop-${pm.replace('@', '-')}`, files: files(), buildOptions: { network: 'host' } });
  });
  afterAll(() => {
    ws?.remove();
    for (const app of apps) {
      try {
        docker('image', 'rm', '--force', imageOf(app));
      } catch {
        // not built: nothing to remove
      }
    }
  });

  it('generates a Dockerfile in each app’s folder, refuses the app it cannot start with the reason, and a second setup run changes nothing', () => {
    const output = ws.nx(...setupArgs);
    for (const dir of ['apps/ping', 'apps/preload', 'apps/report', 'apps/web']) {
      const dockerfile = ws.read(`${dir}/Dockerfile`);
      expect(dockerfile).toMatch(new RegExp(`FROM ${NODE_IMAGE} AS shop-[a-z]+-deps`));
      expect(dockerfile).toContain(`FROM ${NODE_RUNTIME_IMAGE} AS `);
    }
    expect(output).toMatch(/@shop\/tsnode \(apps\/tsnode, Node\): skipped, no image: .*esbuild-register.*Fix: build the app to JavaScript/);
    expect(ws.exists('apps/tsnode/Dockerfile')).toBe(false);
    expect(JSON.parse(ws.nx('show', 'project', '@shop/tsnode', '--json')).targets).not.toHaveProperty('docker-build');
    for (const lib of ['libs/greeting', 'libs/format']) expect(ws.exists(`${lib}/Dockerfile`)).toBe(false);
    ws.commit('setup');
    const again = ws.nx(...setupArgs);
    expect(again).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(ws.run('git', ['status', '--porcelain'])).toBe('');
  });

  it('builds exactly the apps, in parallel, after their builds and their libraries\' builds, and tags each image with the project name', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    expect(tasksRun(output, 'build')).toEqual(['@shop/format', '@shop/report']);
    for (const app of apps) {
      const metadata = JSON.parse(ws.read(`dist/docker/${app}/metadata.json`));
      expect(metadata.tags).toEqual([imageOf(app)]);
      expect(metadata.imageId).toBe(docker('image', 'inspect', '--format', '{{.Id}}', imageOf(app)));
    }
  });

  it('runs each image as the app prints it, as the non-root user 65532', () => {
    for (const app of apps) {
      expect(docker('image', 'inspect', '--format', '{{.Config.User}}', imageOf(app))).toBe('65532:65532');
      expect(runImage(imageOf(app))).toBe(expected[app].prints);
    }
  });

  it("ships a library's files as npm packs them: only its built dist/ (\"files\"), no test .npmignore leaves out", () => {
    const files = filesInImage(imageOf('@shop/web')).map((f) => f.path);
    expect(files.filter((f) => f.startsWith('node_modules/@shop/'))).toEqual(
      expect.arrayContaining(['node_modules/@shop/format/dist/index.js', 'node_modules/@shop/greeting/src/index.js']),
    );
    expect(files.filter((f) => /^node_modules\/@shop\/(format\/(src|build\.js)|greeting\/test)/.test(f))).toEqual([]);
  });

  it("puts exactly each app's production dependencies in its image, and no devDependency anywhere", () => {
    for (const app of apps) {
      expect({ app, modules: nodeModulesInImage(imageOf(app)) }).toEqual({ app, modules: expected[app].modules });
      const devOnly = filesInImage(imageOf(app)).filter((f) => f.path.split('/').some((part) => part === 'is-odd' || part === 'typescript'));
      expect({ app, devOnly }).toEqual({ app, devOnly: [] });
    }
  });

  it('keeps each image within 10% of its runtime base image plus the files under /app', () => {
    const base = imageSize(NODE_RUNTIME_IMAGE);
    for (const app of apps) {
      const appBytes = filesInImage(imageOf(app)).reduce((sum, f) => sum + f.bytes, 0);
      expect(imageSize(imageOf(app))).toBeLessThanOrEqual(1.1 * (base + appBytes));
    }
  });

  it('keeps every credential file out of an app that packs its whole folder, file by file', () => {
    // One file per kind the plugin keeps out (workspace/credential-files.ts), in @shop/ping, which has no "files".
    const credentials = [
      '.env', '.env.production', '.npmrc', '.pypirc', '.dockercfg', '.docker/config.json', '.git-credentials', '.netrc', '_netrc', '.pgpass', '.htpasswd',
      '.s3cfg', '.aws/credentials', '.gem/credentials', 'credentials.xml', 'sftp-config.json', 'terraform.tfvars', 'tls/server.pem', 'tls/server.key',
      'tls/client.p12', 'tls/client.pfx', 'keys/release.jks', 'keys/deploy.ppk', 'vault.kdbx', 'vpn/office.ovpn', 'id_rsa', 'id_ed25519', 'keys/deploy_ecdsa',
      '.ssh/config', '.bash_history', '.psql_history',
    ];
    for (const file of credentials) ws.write(`apps/ping/${file}`, 'not for any image\n');
    try {
      ws.nx('run', '@shop/ping:docker-build', '--output-style=static');
      const inImage = filesInImage(imageOf('@shop/ping')).map((f) => f.path);
      expect(inImage).toContain('index.js');
      expect(credentials.filter((file) => inImage.includes(file))).toEqual([]);
    } finally {
      ws.run('git', ['clean', '-fdq', '--', 'apps/ping']);
    }
  });

  it('stops a running app on SIGTERM (exit code 143) though the app handles no signal itself', () => {
    const id = docker('run', '-d', '--network', 'none', '-e', 'PING_WAIT=1', imageOf('@shop/ping'));
    try {
      let logs = '';
      for (let i = 0; i < 100 && !logs.includes('pong'); i++) {
        logs = docker('logs', id);
        if (!logs.includes('pong')) sleep(200);
      }
      expect(logs).toContain('pong (uid 65532)');
      docker('stop', '--time', '30', id);
      // 143 = 128 + SIGTERM: the process exited on the signal; a kill after the timeout would give 137.
      expect(docker('inspect', '--format', '{{.State.ExitCode}}', id)).toBe('143');
    } finally {
      docker('rm', '--force', id);
    }
  });

  it("keeps the graph working while a library's package.json holds a field of the wrong type, and refuses, naming the file and the field, to sync or stage an image", () => {
    const file = 'libs/greeting/package.json';
    const original = ws.read(file);
    ws.write(file, JSON.stringify({ ...JSON.parse(original), engines: { node: 20 } }, null, 2));
    try {
      const message = 'libs/greeting/package.json: "engines.node" must be a string, not a number; fix the field';
      expect(JSON.parse(ws.nx('show', 'projects', '--json'))).toEqual(expect.arrayContaining(['@shop/web', '@shop/greeting']));
      const sync = ws.attempt(NX_BIN(ws.root), ['sync:check']);
      expect({ code: sync.code === 0 ? 0 : 'non-zero', named: sync.output.includes(message) }).toEqual({ code: 'non-zero', named: true });
      const build = ws.attempt(NX_BIN(ws.root), ['run', '@shop/web:docker-build', '--skip-nx-cache', '--output-style=static']);
      expect({ code: build.code === 0 ? 0 : 'non-zero', named: build.output.includes(`a package.json or project.json the plugin cannot read: ${message}`) }).toEqual({
        code: 'non-zero',
        named: true,
      });
    } finally {
      ws.write(file, original);
    }
  });

  describe('after a dependency is added to one app with the package manager (the lockfile changes)', () => {
    beforeAll(() => {
      // The package manager writes the lockfile: it changes, but only for @shop/ping's new dependency.
      if (pm.startsWith('pnpm')) ws.run('npx', ['-y', pm, 'add', 'escape-html@1.0.3', '--filter', '@shop/ping', '--reporter=silent']);
      else ws.run('npm', ['install', 'escape-html@1.0.3', '-w', 'apps/ping', '--no-audit', '--no-fund', '--loglevel=error']);
      // Setup again in the same commit, should it change the Dockerfile: the affected base stays HEAD~1.
      ws.nx(...setupArgs);
      ws.commit('add escape-html to @shop/ping');
    });

    // Runs before `nx affected`: were affected to rebuild every app, the cache would afterwards prove nothing.
    // The target's `externalDependencies: []` input keeps Nx from hashing every external dependency of the workspace.
    it("rebuilds only that app: a lockfile change for another app's dependency leaves the other apps' hashes alone", () => {
      const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
      expect(tasksRun(output)).toEqual(apps);
      expect(nodeModulesInImage(imageOf('@shop/ping'))).toEqual(['escape-html']);
      expect(nodeModulesInImage(imageOf('@shop/web'))).toEqual(expected['@shop/web'].modules);
      expect(runImage(imageOf('@shop/ping'))).toBe(expected['@shop/ping'].prints);
      expect(tasksFromCache(output)).toEqual(['@shop/preload', '@shop/report', '@shop/web']);
    });

    // Setup sets pluginsConfig["@nx/js"].projectsAffectedByDependencyUpdates to "auto": Nx's default ("all") would
    // mark every project affected by any lockfile change.
    it('nx affected selects only the app whose dependencies changed', () => {
      const output = ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
      expect(tasksRun(output)).toEqual(['@shop/ping']);
    });
  });

  // The npm workspace is enough here: the secret reaches npm and pnpm installs through the same mount.
  if (pm === 'npm') {
    describe('with a private registry token passed as a build secret', () => {
      it("keeps the token out of every image, its layer history, the build output and Nx's cache", () => {
        ws.write('.npmrc', `//npm.internal.invalid/:_authToken=${TOKEN}\n@private:registry=https://npm.internal.invalid/\n`);
        ws.write('.gitignore', `${ws.read('.gitignore')}.npmrc\n`);
        const nxJson = JSON.parse(ws.read('nx.json'));
        // noCache: the install steps run again now, with the secret mounted, rather than coming from the engine's layer cache.
        nxJson.targetDefaults['docker-build'].options = {
          ...nxJson.targetDefaults['docker-build'].options,
          secrets: [{ id: 'npmrc', src: '.npmrc' }],
          noCache: true,
        };
        ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
        ws.commit('a private registry, its token as a build secret');

        const output = ws.nx('run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static');
        expect(tasksRun(output)).toEqual(apps);
        expect(tasksFromCache(output)).toEqual([]);
        expect(output).toContain('--secret id=npmrc,src=');
        expect(output).not.toContain(TOKEN);
        for (const app of apps) {
          expect(runImage(imageOf(app))).toBe(expected[app].prints);
          expect({ app, inHistory: docker('history', '--no-trunc', imageOf(app)).includes(TOKEN) }).toEqual({ app, inHistory: false });
          expect({ app, inArchive: imageArchiveContains(imageOf(app), TOKEN) }).toEqual({ app, inArchive: false });
        }
        for (const dir of ['dist', '.nx/cache', '.nx/workspace-data']) {
          expect({ dir, files: filesContaining(join(ws.root, dir), TOKEN) }).toEqual({ dir, files: [] });
        }
      });
    });
  }
});

/**
 * What every run needs before measuring, on a fresh clone too: a Docker engine
 * with BuildKit, the local base images, the packed plugin, a Go toolchain (for
 * @nx-go/nx-go and the size floor only), and one Nx installation with every
 * plugin compared, copied into each bench workspace.
 */
const { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, cpSync, rmSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const { run } = require('./exec');
const { log } = require('./log');

const REPO_ROOT = join(__dirname, '..', '..');

/** The versions compared. Nx 23.2.1 is the newest complete Nx set the registry serves here. */
const VERSIONS = {
  nx: '23.2.1',
  '@nx/devkit': '23.2.1',
  '@nx/docker': '23.2.1',
  '@nx-go/nx-go': '4.1.1',
  turbo: '2.11.13',
};

/** Local base images (nothing can be pulled here; see scripts/engine/README.md). */
const IMAGES = {
  goImage: 'nx-docker-stages-test/go:1.23',
  goRuntimeImage: 'nx-docker-stages-test/static:nonroot',
  nodeImage: 'nx-docker-stages-test/node:20',
  nodeRuntimeImage: 'nx-docker-stages-test/node-slim:20',
};

async function ensureEngine() {
  await run('bash', [join(REPO_ROOT, 'scripts/ensure-deps.sh')], { cwd: REPO_ROOT });
  const up = await run('bash', [join(REPO_ROOT, 'scripts/engine/up.sh')], { cwd: REPO_ROOT });
  const docker = /^DOCKER=(.+)$/m.exec(up.output)?.[1]?.trim();
  if (!docker) throw new Error(`scripts/engine/up.sh named no docker client:\n${up.output}`);
  await run('bash', [join(REPO_ROOT, 'scripts/engine/base-images.sh')], { cwd: REPO_ROOT, env: { DOCKER: docker } });
  return docker;
}

async function packPlugin() {
  await run(process.execPath, [join(REPO_ROOT, 'scripts/pack.js')], { cwd: REPO_ROOT });
  const dist = join(REPO_ROOT, 'dist');
  const tarballs = readdirSync(dist).filter((f) => /^nx-docker-stages-.*\.tgz$/.test(f));
  if (tarballs.length !== 1) throw new Error(`expected one plugin tarball in dist/, found ${tarballs.length}`);
  return join(dist, tarballs[0]);
}

/** The bin folder of Debian's Go 1.23 (from bookworm-backports, installed if missing); never put on PATH globally. */
async function goBin() {
  return (await run('bash', [join(REPO_ROOT, 'scripts/ensure-go-toolchain.sh')], { cwd: REPO_ROOT })).output.trim().split('\n').pop();
}

/** One npm install of Nx and the compared plugins; bench workspaces get a copy. */
async function nxInstallation(workDir, tarball) {
  const dir = join(workDir, 'nx-installation');
  const manifest = JSON.stringify({ private: true, dependencies: { ...VERSIONS, 'nx-docker-stages': `file:${tarball}` } }, null, 2);
  // The tarball's bytes change with every pack: reinstall the plugin when they do.
  const stamp = `${manifest}\n${createHash('sha256').update(readFileSync(tarball)).digest('hex')}`;
  const stampFile = join(dir, '.bench-stamp');
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), manifest);
    log('installing Nx, @nx/docker, @nx-go/nx-go, turbo and the packed plugin (once per run dir)');
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
    writeFileSync(stampFile, stamp);
  }
  return dir;
}

/** Gives a workspace its .nx/installation: hard links of the shared one (a copy across file systems). */
async function installNxInto(installation, root) {
  const target = join(root, '.nx', 'installation');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(root, '.nx'), { recursive: true });
  const linked = await run('cp', ['-al', installation, target], { cwd: root, allowFailure: true });
  if (linked.code !== 0) cpSync(installation, target, { recursive: true });
}

/** The versions actually installed, read from the installation. */
function installedVersions(installation) {
  const version = (name) => JSON.parse(readFileSync(join(installation, 'node_modules', name, 'package.json'), 'utf8')).version;
  return Object.fromEntries(['nx', '@nx/devkit', '@nx/docker', '@nx-go/nx-go', 'turbo', 'nx-docker-stages'].map((n) => [n, version(n)]));
}

/** Which state of this repository the tarball was packed from: the commit, and whether the work tree had changes. */
async function pluginSource() {
  const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, allowFailure: true })).output.trim();
  const changes = (await run('git', ['status', '--porcelain', '--', 'packages/nx-docker-stages'], { cwd: REPO_ROOT, allowFailure: true })).output.trim();
  return { commit, uncommittedPluginChanges: changes ? changes.split('\n').length : 0 };
}

module.exports = { REPO_ROOT, VERSIONS, IMAGES, ensureEngine, packPlugin, goBin, nxInstallation, installNxInto, installedVersions, pluginSource };

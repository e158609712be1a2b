/**
 * 6. The floor of each app's image: what it cannot do without, measured on the
 * host independently of any approach.
 *   Go:   runtime base image + the app's static binary (Go 1.23, CGO_ENABLED=0,
 *         -trimpath -ldflags="-s -w", the smallest the standard flags give).
 *   Node: runtime base image + the app's built output (the runtime files of
 *         its Nx build output and of the workspace libraries it runs with, with
 *         their package.json) + its production node_modules (the external
 *         packages `npm ls --omit=dev` lists for it).
 */
const { lstatSync, mkdirSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');
const docker = require('../lib/docker');
const { nx, npmCi, run } = require('../lib/exec');
const { log } = require('../lib/log');
const { IMAGES, installNxInto } = require('../lib/prepare');

/** Bytes of the regular files under `dir`, nested node_modules left out (npm lists those packages on their own). */
function folderBytes(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += folderBytes(path);
    else if (entry.isFile()) bytes += lstatSync(path).size;
  }
  return bytes;
}

/** Build output a program cannot run without: no type declarations, source maps or tsc build info. */
const RUNTIME_FILE = (name) => !/\.d\.[cm]?ts$|\.map$|\.tsbuildinfo$/.test(name);

/** Bytes of the runtime files under `dir` (recursively). */
function runtimeBytes(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += runtimeBytes(path);
    else if (entry.isFile() && RUNTIME_FILE(entry.name)) bytes += lstatSync(path).size;
  }
  return bytes;
}

/** What a built project ships: its package.json and the runtime files of its build output (dist/). */
function shippedBytes(dir) {
  return statSync(join(dir, 'package.json')).size + runtimeBytes(join(dir, 'dist'));
}

async function goFloor(root, apps, goBin, scratch) {
  const env = {
    PATH: `${goBin}:${process.env.PATH}`,
    CGO_ENABLED: '0',
    GOCACHE: join(scratch, 'gocache'),
    // The modules the Go half requires download into this scratch GOPATH, through the machine's own Go settings.
    GOPATH: join(scratch, 'gopath'),
    GOWORK: 'off',
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
  };
  const base = await docker.imageSize(IMAGES.goRuntimeImage);
  const out = {};
  for (const app of apps) {
    const binary = join(scratch, 'bin', app.project);
    await run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', binary, `./${app.dir}`], { cwd: root, env });
    const binaryBytes = statSync(binary).size;
    out[app.project] = { runtimeBaseBytes: base, binaryBytes, floorBytes: base + binaryBytes };
  }
  return out;
}

async function nodeFloor(root, apps, scratch, installation) {
  const copy = join(scratch, 'node-workspace');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  // The committed workspace, installed and built on the host as a developer would.
  await run('bash', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${copy}"`], { cwd: root });
  await npmCi(copy);
  await installNxInto(installation, copy);
  await nx(copy, ['run-many', '-t', 'build', '--output-style=static']);
  const base = await docker.imageSize(IMAGES.nodeRuntimeImage);
  const out = {};
  for (const app of apps) {
    const builtOutputBytes = [app.dir, ...app.runtimeLibs].reduce((sum, dir) => sum + shippedBytes(join(copy, dir)), 0);
    const listed = (await run('npm', ['ls', '--omit=dev', '--all', '--parseable', `--workspace=${app.dir}`], { cwd: copy, allowFailure: true })).output;
    const packages = [...new Set(listed.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(join(copy, 'node_modules'))))];
    // Workspace packages appear as links into the workspace: they are counted as built output above.
    const external = packages.filter((p) => !lstatSync(p).isSymbolicLink());
    const productionDependencyBytes = external.reduce((sum, p) => sum + folderBytes(p), 0);
    out[app.project] = {
      runtimeBaseBytes: base,
      builtOutputBytes,
      productionDependencyBytes,
      productionPackages: external.length,
      floorBytes: base + builtOutputBytes + productionDependencyBytes,
    };
  }
  rmSync(copy, { recursive: true, force: true });
  return out;
}

async function measureFloors({ root, apps, goBin, workDir, installation }) {
  log('floor: building the Go binaries and installing the Node workspace on the host');
  const scratch = join(workDir, 'floor');
  mkdirSync(scratch, { recursive: true });
  return {
    ...(await goFloor(root, apps.filter((a) => a.kind === 'go'), goBin, scratch)),
    ...(await nodeFloor(root, apps.filter((a) => a.kind === 'node'), scratch, installation)),
  };
}

module.exports = { measureFloors };

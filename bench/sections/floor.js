/**
 * 6. The floor of each app's image: what it cannot do without, measured on the
 * host independently of any approach.
 *   Go:   runtime base image + the app's static binary (Go 1.23, CGO_ENABLED=0,
 *         -trimpath -ldflags="-s -w", the smallest the standard flags give).
 *   Node: runtime base image + the app's built output (its shipped files and
 *         those of the workspace libraries it runs with) + its production
 *         node_modules (the external packages `npm ls --omit=dev` lists for it).
 */
const { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');
const docker = require('../lib/docker');
const { run } = require('../lib/exec');
const { log } = require('../lib/log');
const { IMAGES } = require('../lib/prepare');

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

/** What a package ships: package.json and its `files`, or the whole folder without node_modules. */
function shippedBytes(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.files?.length) return folderBytes(dir);
  return ['package.json', ...manifest.files].reduce((sum, f) => {
    const path = join(dir, f);
    if (!existsSync(path)) return sum;
    return sum + (statSync(path).isDirectory() ? folderBytes(path) : statSync(path).size);
  }, 0);
}

async function goFloor(root, apps, goBin, scratch) {
  const env = {
    PATH: `${goBin}:${process.env.PATH}`,
    CGO_ENABLED: '0',
    GOCACHE: join(scratch, 'gocache'),
    GOPATH: join(scratch, 'gopath'),
    GOPROXY: 'off',
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

async function nodeFloor(root, apps, scratch) {
  const copy = join(scratch, 'node-workspace');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  // The committed workspace, installed and built on the host as a developer would.
  await run('bash', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${copy}"`], { cwd: root });
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: copy });
  await run('npm', ['run', 'build', '--workspaces', '--if-present'], { cwd: copy });
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

async function measureFloors({ root, apps, goBin, workDir }) {
  log('floor: building the Go binaries and installing the Node workspace on the host');
  const scratch = join(workDir, 'floor');
  mkdirSync(scratch, { recursive: true });
  return {
    ...(await goFloor(root, apps.filter((a) => a.kind === 'go'), goBin, scratch)),
    ...(await nodeFloor(root, apps.filter((a) => a.kind === 'node'), scratch)),
  };
}

module.exports = { measureFloors };

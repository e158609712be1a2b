/**
 * 7. One Node app in a workspace of many, cold: the case `turbo prune <app> --docker` is made
 * for (an install of that app's closure only). On the realistic workspace, from a machine that has
 * built nothing (no node_modules, no Nx cache, no images, BuildKit's cache pruned), each round:
 *   ours:  `npm ci`, then `nx run <app>:docker-build` (which runs the app's Nx build and its
 *          libraries' first, and beside them the docker-deps warm-up of the app's dependencies stage);
 *   turbo: `npm ci`, `nx run <app>:build` (the same Nx builds), `turbo prune <app> --docker`,
 *          then `docker build` of the pattern's Dockerfile (workspaces/nx-node.js): the pruned
 *          manifests and lockfile installed with production dependencies only, the closure's
 *          built output copied in.
 * Time until the image exists. The two alternate within a round, the first one alternating too.
 */
const { readdirSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const docker = require('../lib/docker');
const { nx, npmCi, run } = require('../lib/exec');
const { log } = require('../lib/log');
const { summarize, ratio } = require('../lib/stats');
const ours = require('../approaches/ours');
const { resetTo } = require('../workspaces/files');
const { projectName, nodeClosure, turboNodeDockerfile } = require('../workspaces/nx-node');

/** The app measured: an express service with three workspace libraries and two registry packages. */
const APP = 'checkout';

async function coldMachine(root, base, imagePrefix) {
  await resetTo(root, base);
  rmSync(join(root, 'node_modules'), { recursive: true, force: true });
  rmSync(join(root, 'out'), { recursive: true, force: true });
  await docker.pruneBuilder();
  await docker.removeImages(imagePrefix);
}

async function oursOnce(root) {
  const install = await npmCi(root);
  const build = await nx(root, ['run', `${projectName(APP)}:docker-build`, '--output-style=static']);
  if (!ours.builtImage(root, projectName(APP))) throw new Error(`nx-docker-stages built no image for ${projectName(APP)}`);
  return { ms: install.ms + build.ms, installMs: install.ms, buildMs: build.ms };
}

/** The package folders `turbo prune --docker` kept (out/json holds their manifests). */
function prunedPackageDirs(root) {
  const dirs = [];
  for (const group of ['apps', 'libs']) {
    const path = join(root, 'out', 'json', group);
    if (existsSync(path)) for (const name of readdirSync(path)) dirs.push(`${group}/${name}`);
  }
  return dirs;
}

async function turboOnce(root, installation, imagePrefix) {
  const install = await npmCi(root);
  const build = await nx(root, ['run', `${projectName(APP)}:build`, '--output-style=static']);
  // turbo 2 wants a packageManager field, which create-nx-workspace does not write.
  const prune = await run(join(installation, 'node_modules', '.bin', 'turbo'), ['prune', projectName(APP), '--docker', '--dangerously-disable-package-manager-check'], { cwd: root, env: { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
  const dirs = prunedPackageDirs(root);
  const expected = [...nodeClosure(APP).map((l) => `libs/${l}`), `apps/${APP}`].sort();
  if (dirs.sort().join() !== expected.join()) throw new Error(`turbo prune kept ${dirs.join(', ')}; expected ${expected.join(', ')}`);
  writeFileSync(join(root, 'out', 'Dockerfile'), turboNodeDockerfile(APP, dirs));
  const image = await docker.build({ dockerfile: join(root, 'out', 'Dockerfile'), tag: `${imagePrefix}turbo/${APP}:latest`, context: root, network: 'host' });
  return { ms: install.ms + build.ms + prune.ms + image.ms, installMs: install.ms, hostBuildMs: build.ms, pruneMs: prune.ms, imageMs: image.ms };
}

async function measureSingleApp({ root, base, installation, rounds, imagePrefix }) {
  const runs = { ours: [], turbo: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['ours', 'turbo'] : ['turbo', 'ours'];
    for (const id of order) {
      await coldMachine(root, base, imagePrefix);
      const result = id === 'ours' ? await oursOnce(root) : await turboOnce(root, installation, imagePrefix);
      runs[id].push(result);
      log(`single app: ${id}: ${Math.round(result.ms)} ms (install ${Math.round(result.installMs)} ms)`);
    }
  }
  await resetTo(root, base);
  rmSync(join(root, 'out'), { recursive: true, force: true });
  const ms = (id) => summarize(runs[id].map((r) => r.ms));
  return {
    app: projectName(APP),
    closure: nodeClosure(APP).map(projectName),
    ours: ms('ours'),
    turboPrune: ms('turbo'),
    install: summarize(runs.ours.concat(runs.turbo).map((r) => r.installMs)),
    ratio: ratio(ms('ours').median, ms('turbo').median),
    raw: runs,
  };
}

module.exports = { measureSingleApp };

/**
 * 2-6 on the realistic workspace, each approach in turn, on the same engine and
 * base images, with BuildKit's cache pruned and the bench's images removed
 * before each approach starts:
 *   2. cold build of every image;
 *   4. no-op: the same command again, nothing changed (ours next to Nx's cached no-op target);
 *   3. incremental: a shared library changes (commit), time until every image is current;
 *   6. image size and build-context bytes per app (sizes of the cold images).
 * 5 (fresh clone with a warm remote cache) is sections/fresh-clone.js.
 */
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const docker = require('../lib/docker');
const { nx, npmCi, run } = require('../lib/exec');
const { log } = require('../lib/log');
const { IMAGES, installNxInto } = require('../lib/prepare');
const { contextBytes, reportedContextBytes } = require('../lib/context');
const { summarize, ratio, geomean } = require('../lib/stats');
const ours = require('../approaches/ours');
const naive = require('../approaches/naive');
const { commitAll, resetTo } = require('../workspaces/files');
const { CHANGES, createRealisticWorkspace, realisticApps } = require('../workspaces/realistic');
const { measureSingleApp } = require('./single-app');

const IMAGE_PREFIX = 'nx-docker-stages-bench';

/** The modules a go.mod requires: the direct ones by path, and how many indirect ones. */
function goModulesOf(goMod) {
  const required = [...goMod.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/\S+)\s+(v\S+)(\s*\/\/\s*indirect)?\s*$/gm)];
  return { direct: required.filter((m) => !m[3]).map((m) => `${m[1]}@${m[2]}`), indirect: required.filter((m) => m[3]).length };
}
const APPROACHES = [
  { id: 'ours', label: 'nx-docker-stages (nx run-many, --parallel=3)' },
  { id: 'naiveParallel', label: 'naive Dockerfiles, 3 builds at a time', parallel: 3 },
  { id: 'naiveSequential', label: 'naive Dockerfiles, one after another', parallel: 1 },
];

/** The realistic workspace, set up as a user would: Nx's tools, the setup generator, first commit. */
async function createWorkspace(root, installation) {
  rmSync(root, { recursive: true, force: true });
  await createRealisticWorkspace(root, {
    defaultBase: 'main',
    // Engines started with --iptables=false reach the npm registry only from the host network.
    targetDefaults: { 'docker-build': { options: { network: 'host', registry: `${IMAGE_PREFIX}/ours` } } },
  });
  await installNxInto(installation, root);
  const setup = Object.entries(IMAGES).map(([k, v]) => `--${k}=${v}`);
  await nx(root, ['g', 'nx-docker-stages:setup', ...setup]);
  const base = await commitAll(root, 'realistic workspace');
  const listed = JSON.parse((await nx(root, ['show', 'projects', '--with-target', 'docker-build', '--json'])).output.replace(/^[^[]*/, ''));
  const apps = realisticApps(`${IMAGE_PREFIX}/naive`);
  const missing = apps.filter((a) => !listed.includes(a.project)).map((a) => a.project);
  if (missing.length) throw new Error(`nx-docker-stages inferred no docker-build target for ${missing.join(', ')} (it found: ${listed.join(', ')})`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const externalPackages = Object.keys(lock.packages).filter((p) => p.includes('node_modules/')).length;
  const goBuild = { ours: goBuildCommand(readFileSync(join(root, apps.find((a) => a.kind === 'go').dir, 'Dockerfile'), 'utf8')), naive: goBuildCommand(readFileSync(join(root, apps[0].naiveDockerfile), 'utf8')) };
  return { base, apps, externalPackages, goBuild };
}

/** The `go build` command line that builds the app's binary (`-o`), continuation lines joined, cache mounts left out. */
function goBuildCommand(dockerfile) {
  const joined = dockerfile.replace(/\\\n\s*/g, ' ');
  const line = joined.split('\n').find((l) => /\bgo build\b.* -o /.test(l));
  return line ? line.replace(/^RUN\s+/, '').replace(/--mount=\S+\s+/g, '').trim() : null;
}

/** A machine that has built nothing: no node_modules, no Nx cache, no images, no BuildKit cache. */
async function coldStart(root, base) {
  await resetTo(root, base);
  rmSync(join(root, 'node_modules'), { recursive: true, force: true });
  await docker.pruneBuilder();
  await docker.removeImages(`${IMAGE_PREFIX}/`);
}

/** Image size and context bytes of every app, for the images an approach just built. */
async function sizesOf(root, apps, approachId) {
  const context = contextBytes(root);
  const out = {};
  for (const app of apps) {
    const ref = approachId === 'ours' ? ours.builtImage(root, app.project)?.ref : app.naiveTag;
    out[app.project] = { imageBytes: ref ? await docker.imageSize(ref) : null, contextBytes: context.bytes, contextFiles: context.files };
  }
  return out;
}

/** Applies the next library change and commits it; returns the new commit. */
async function applyChange(root, change) {
  const file = join(root, change.file);
  const before = readFileSync(file, 'utf8');
  const after = change.edit(before);
  if (after === before) throw new Error(`the ${change.id} change did not change ${change.file}`);
  writeFileSync(file, after);
  return commitAll(root, change.description);
}

/** One round of one approach: cold, no-op (x noopRuns), then each change. */
async function roundOf(approach, { root, base, apps, noopRuns }) {
  const record = { approach: approach.id };
  await coldStart(root, base);
  log(`builds: ${approach.label}: cold build`);
  // Every approach starts as a new CI runner does: the workspace's dependencies installed on the host.
  const install = await npmCi(root);
  if (approach.id === 'ours') {
    const cold = await ours.buildAll(root);
    record.cold = { ms: install.ms + cold.ms, installMs: install.ms, tasks: cold.tasks.length, cacheHits: cold.hits, reportedContext: reportedContextBytes(cold.output) };
    const missing = apps.filter((a) => !ours.builtImage(root, a.project)).map((a) => a.project);
    if (missing.length) throw new Error(`nx-docker-stages built no image for ${missing.join(', ')}`);
  } else {
    const cold = await naive.buildAll(root, apps, approach.parallel);
    record.cold = { ms: install.ms + cold.ms, installMs: install.ms, hostBuildMs: cold.hostBuildMs, tasks: cold.perApp.length, perApp: cold.perApp, reportedContext: reportedContextBytes(cold.output) };
  }
  log(`builds: ${approach.label}: cold ${Math.round(record.cold.ms)} ms`);
  record.sizes = await sizesOf(root, apps, approach.id);

  record.noop = [];
  for (let i = 0; i < noopRuns; i++) {
    const again = approach.id === 'ours' ? await ours.buildAll(root) : await naive.buildAll(root, apps, approach.parallel);
    record.noop.push({ ms: again.ms, ...(approach.id === 'ours' ? { cacheHits: again.hits, tasks: again.tasks.length } : {}) });
  }
  if (approach.id === 'ours') {
    // Nx's own cached no-op target on the same 14 projects: one run to fill the cache, then timed runs.
    await ours.nxNoop(root);
    record.nxNoop = [];
    for (let i = 0; i < noopRuns; i++) record.nxNoop.push(await ours.nxNoop(root));
  }
  log(`builds: ${approach.label}: no-op ${record.noop.map((n) => Math.round(n.ms)).join(', ')} ms`);

  record.incremental = {};
  let previous = base;
  for (const change of CHANGES) {
    const head = await applyChange(root, change);
    if (approach.id === 'ours') {
      const before = Object.fromEntries(apps.map((a) => [a.project, ours.builtImage(root, a.project)?.imageId]));
      const result = await ours.buildAffected(root, previous, head);
      const rebuilt = apps.filter((a) => ours.builtImage(root, a.project)?.imageId !== before[a.project]).map((a) => a.project).sort();
      record.incremental[change.id] = { ms: result.ms, tasksRun: result.tasks, rebuilt, expected: change.affected };
    } else {
      const before = Object.fromEntries(apps.map((a) => [a.project, null]));
      for (const a of apps) before[a.project] = await docker.imageId(a.naiveTag);
      const result = await naive.buildAll(root, apps, approach.parallel);
      const rebuilt = result.perApp.filter((p) => p.imageId !== before[p.project]).map((p) => p.project).sort();
      record.incremental[change.id] = { ms: result.ms, tasksRun: result.perApp.map((p) => p.project).sort(), rebuilt, expected: change.affected };
    }
    log(`builds: ${approach.label}: ${change.id} change ${Math.round(record.incremental[change.id].ms)} ms (rebuilt ${record.incremental[change.id].rebuilt.length})`);
    previous = head;
  }
  return record;
}

function summarizeApproach(records, approach) {
  const pick = (f) => records.map(f).filter((v) => v != null);
  return {
    label: approach.label,
    cold: summarize(pick((r) => r.cold.ms)),
    noop: summarize(records.flatMap((r) => r.noop.map((n) => n.ms))),
    incremental: Object.fromEntries(
      CHANGES.map((c) => [c.id, { ...summarize(pick((r) => r.incremental[c.id]?.ms)), rebuilt: records[records.length - 1].incremental[c.id].rebuilt }]),
    ),
    reportedContextBytes: records[records.length - 1].cold.reportedContext,
  };
}

async function measureBuilds({ workDir, installation, rounds, noopRuns }) {
  const root = join(workDir, 'realistic');
  log('builds: generating the realistic workspace (8 Go apps; 6 Node apps from create-nx-workspace and Nx generators) and running setup');
  const { base, apps, externalPackages, goBuild } = await createWorkspace(root, installation);
  const records = Object.fromEntries(APPROACHES.map((a) => [a.id, []]));
  for (let round = 0; round < rounds; round++) {
    const order = APPROACHES.map((_, i) => APPROACHES[(i + round) % APPROACHES.length]);
    for (const approach of order) records[approach.id].push(await roundOf(approach, { root, base, apps, noopRuns }));
  }
  log('builds: one Node app, cold: ours against the turbo prune --docker pattern');
  const singleApp = await measureSingleApp({ root, base, installation, rounds, imagePrefix: `${IMAGE_PREFIX}/` });
  await resetTo(root, base);

  const approaches = Object.fromEntries(APPROACHES.map((a) => [a.id, summarizeApproach(records[a.id], a)]));
  const nxNoop = summarize(records.ours.flatMap((r) => r.nxNoop.map((n) => n.ms)));
  const incrementalRatios = Object.fromEntries(
    CHANGES.map((c) => [c.id, ratio(approaches.ours.incremental[c.id].median, approaches.naiveParallel.incremental[c.id].median)]),
  );
  return {
    root,
    workspace: {
      goApps: apps.filter((a) => a.kind === 'go').map((a) => a.project),
      goModules: goModulesOf(readFileSync(join(root, 'go.mod'), 'utf8')),
      nodeApps: apps.filter((a) => a.kind === 'node').map((a) => a.project),
      externalNpmPackages: externalPackages,
      goBuild,
      changes: CHANGES.map((c) => ({ id: c.id, description: c.description, file: c.file, affected: c.affected })),
    },
    rounds,
    noopRuns,
    approaches,
    nxNoop,
    ratios: {
      coldVsNaiveParallel: ratio(approaches.ours.cold?.median, approaches.naiveParallel.cold?.median),
      coldVsNaiveSequential: ratio(approaches.ours.cold?.median, approaches.naiveSequential.cold?.median),
      incremental: incrementalRatios,
      incrementalGeomean: geomean(Object.values(incrementalRatios)),
      noopVsNxNoop: ratio(approaches.ours.noop?.median, nxNoop?.median),
    },
    singleApp,
    sizes: { ours: records.ours[0].sizes, naive: records.naiveParallel[0].sizes },
    apps: apps.map(({ project, kind, dir, bundler }) => ({ project, kind, dir, ...(bundler ? { bundler } : {}) })),
    raw: records,
    base,
  };
}

module.exports = { measureBuilds, BUILD_APPROACHES: APPROACHES, IMAGE_PREFIX };

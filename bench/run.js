#!/usr/bin/env node
/**
 * The benchmark suite: `npm run bench` (full) or `npm run bench -- --quick`.
 * Prepares the engine, base images, plugin tarball and Nx installation, runs
 * every section, writes bench/results/<date>.json, then the report
 * (bench/results/summary.json, bench/results/benchmarks.svg, docs/benchmarks.md).
 * See bench/README.md.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const docker = require('./lib/docker');
const { setCommandLog } = require('./lib/exec');
const { log } = require('./lib/log');
const { load, machine, startLoadSampler } = require('./lib/machine');
const prepare = require('./lib/prepare');
const { measureGraph } = require('./sections/graph');
const { measureBuilds, IMAGE_PREFIX } = require('./sections/builds');
const { measureFreshClone } = require('./sections/fresh-clone');
const { measureFloors } = require('./sections/floor');
const { realisticApps } = require('./workspaces/realistic');
const { ratio } = require('./lib/stats');
const { writeReport } = require('./report');

const MODES = {
  full: { graphSizes: [100, 1000], graphRounds: 5, buildRounds: 3, noopRuns: 3 },
  // Every section and approach, with fewer repetitions (see bench/README.md).
  quick: { graphSizes: [100, 1000], graphRounds: 1, buildRounds: 1, noopRuns: 3 },
};

function parseArgs(argv) {
  const flags = Object.fromEntries(
    argv.filter((a) => a.startsWith('--')).map((a) => {
      const [k, v] = a.slice(2).split('=');
      return [k, v ?? true];
    }),
  );
  const mode = flags.quick ? 'quick' : 'full';
  const config = { mode, ...MODES[mode] };
  if (flags.sizes) config.graphSizes = String(flags.sizes).split(',').map(Number);
  if (flags['graph-rounds']) config.graphRounds = Number(flags['graph-rounds']);
  if (flags['build-rounds']) config.buildRounds = Number(flags['build-rounds']);
  if (flags['noop-runs']) config.noopRuns = Number(flags['noop-runs']);
  config.only = flags.only ? String(flags.only).split(',') : ['graph', 'builds'];
  config.workDir = flags['work-dir'] ? String(flags['work-dir']) : join(process.env.TMPDIR || tmpdir(), 'nx-docker-stages-bench');
  config.keep = Boolean(flags.keep);
  config.sharedMachine = Boolean(flags['shared-machine']);
  return config;
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

async function main() {
  const config = parseArgs(process.argv.slice(2));
  const started = new Date();
  mkdirSync(config.workDir, { recursive: true });
  setCommandLog(join(config.workDir, 'commands.log'));
  log(`mode ${config.mode}; work dir ${config.workDir}; commands and their output: ${join(config.workDir, 'commands.log')}`);

  log('prepare: engine, base images, plugin tarball, Go toolchain, Nx installation');
  docker.setClient(await prepare.ensureEngine());
  const tarball = await prepare.packPlugin();
  const goBin = await prepare.goBin();
  const installation = await prepare.nxInstallation(config.workDir, tarball);

  const stopSampler = startLoadSampler();
  const results = {
    suite: 'nx-docker-stages benchmarks',
    mode: config.mode,
    startedAt: started.toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    sharedMachine: config.sharedMachine,
    config: { graphSizes: config.graphSizes, graphRounds: config.graphRounds, buildRounds: config.buildRounds, noopRuns: config.noopRuns, parallel: 3 },
    machine: await machine(),
    versions: { ...prepare.installedVersions(installation), go: '1.23 (Debian golang-1.23-go from bookworm-backports, in nx-docker-stages-test/go:1.23)' },
    pluginSource: await prepare.pluginSource(),
    images: prepare.IMAGES,
    load: {},
  };

  if (config.only.includes('graph')) {
    results.load.graphStart = load();
    results.graph = await measureGraph({ workDir: config.workDir, installation, goBin, sizes: config.graphSizes, rounds: config.graphRounds });
    results.load.graphEnd = load();
  }
  if (config.only.includes('builds')) {
    results.load.buildsStart = load();
    const builds = await measureBuilds({ workDir: config.workDir, installation, rounds: config.buildRounds, noopRuns: config.noopRuns });
    results.load.buildsEnd = load();
    const apps = realisticApps('');
    try {
      builds.freshClone = await measureFreshClone({
        workDir: config.workDir,
        installation,
        source: builds.root,
        base: builds.base,
        apps,
        imagePrefix: `${IMAGE_PREFIX}/`,
        rounds: config.buildRounds,
      });
      builds.ratios.freshCloneVsNaiveCold = ratio(builds.freshClone.timeUntilUsable?.median, builds.approaches.naiveParallel.cold?.median);
    } catch (e) {
      builds.freshClone = { measured: false, reason: `the measurement failed: ${e.message.slice(0, 3000)}` };
    }
    results.load.freshCloneEnd = load();
    builds.floors = await measureFloors({ root: builds.root, apps, goBin, workDir: config.workDir, installation });
    delete builds.root;
    delete builds.base;
    results.builds = builds;
  }
  results.loadAverage = stopSampler();
  results.finishedAt = new Date().toISOString();
  results.durationMs = Date.now() - started.getTime();

  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${stamp()}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  log(`results: ${file}`);
  const written = writeReport(results, file);
  for (const f of written) log(`wrote ${f}`);
  if (!config.keep) {
    // Only the suite's own images; the build cache stays (pruning races other clients' builds).
    await docker.removeImages(`${IMAGE_PREFIX}/`).catch((e) => log(`could not remove the bench images: ${e.message.split('\n')[0]}`));
  }
  log(`done in ${Math.round(results.durationMs / 60000)} min`);
}

main().catch((e) => {
  log(`FAILED: ${e.stack || e.message}`);
  process.exit(1);
});

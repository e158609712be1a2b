#!/usr/bin/env node
/**
 * Turns one results file into the published artefacts:
 *   bench/results/summary.json   headline ratios + machine + versions
 *   bench/results/benchmarks.svg the chart
 *   docs/benchmarks.md           tables, chart, machine, versions, command
 * Every number in them comes from the results file. `bench/run.js` calls it at
 * the end of a run; `node bench/report.js [bench/results/<date>.json]` redoes it
 * (default: the newest results file).
 */
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, join, relative, resolve } = require('node:path');
const { chart } = require('./lib/svg');
const { ratio } = require('./lib/stats');

const REPO_ROOT = join(__dirname, '..');
const RESULTS_DIR = join(__dirname, 'results');
const DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');
const SVG = join(RESULTS_DIR, 'benchmarks.svg');

/** The aims of issue 6 (and, for the single app, of the issue on Node apps), on the realistic workspace. */
const TARGETS = {
  coldRatio: { max: 0.5, meaning: 'cold build, ours / naive Dockerfiles built 3 at a time' },
  incrementalRatio: { max: 0.25, meaning: 'one shared library changed, ours (nx affected) / naive 3 at a time; geometric mean over the Go and the Node library change' },
  noopRatio: { max: 1.5, meaning: "nothing changed, ours / Nx's own cached no-op target on the same projects" },
  graphOverhead1000: { max: 1.5, meaning: '`nx show projects`, 1000 projects, cold: with nx-docker-stages / no plugin' },
  graphVsNxGo1000: { max: 1.0, meaning: '`nx show projects`, 1000 projects, cold: with nx-docker-stages / with @nx-go/nx-go' },
  sizeRatioMax: { max: 1.1, meaning: 'largest image size / floor over our images' },
  singleAppRatio: { max: 1.0, meaning: 'one Node app of the workspace, cold: ours / the `turbo prune <app> --docker` pattern' },
};

// ----------------------------------------------------------------- numbers --------------------------------------

const round3 = (x) => (x == null ? null : Math.round(x * 1000) / 1000);

/** What the Go half requires, as the results record it (runs before the real modules: the standard library only). */
function goModulesText(modules) {
  if (!modules || modules.direct.length === 0) return 'standard library only';
  return `one module requiring ${modules.direct.map((m) => `\`${m}\``).join(', ')} and ${modules.indirect} modules indirectly, downloaded from the Go module proxy`;
}

function sizeRatios(builds, approach) {
  return Object.entries(builds.sizes[approach]).map(([project, s]) => ({
    project,
    ratio: s.imageBytes && builds.floors?.[project] ? s.imageBytes / builds.floors[project].floorBytes : null,
  }));
}

function summaryOf(results, resultsFile) {
  const b = results.builds;
  const g1000 = results.graph?.[1000];
  const ourSizes = b ? sizeRatios(b, 'ours').filter((r) => r.ratio != null) : [];
  const largest = ourSizes.reduce((m, r) => (m && m.ratio >= r.ratio ? m : r), null);
  return {
    coldRatio: b?.ratios.coldVsNaiveParallel ?? null,
    incrementalRatio: b?.ratios.incrementalGeomean ?? null,
    noopRatio: b?.ratios.noopVsNxNoop ?? null,
    graphOverhead1000: g1000?.['nx-docker-stages']?.coldRatioToNone ?? null,
    graphVsNxGo1000: g1000 ? ratio(g1000['nx-docker-stages'].cold?.median, g1000['nx-go'].cold?.median) : null,
    sizeRatioMax: round3(largest?.ratio),
    sizeRatioMaxApp: largest?.project ?? null,
    singleAppRatio: b?.singleApp?.ratio ?? null,
    details: {
      coldVsNaiveSequential: b?.ratios.coldVsNaiveSequential ?? null,
      incrementalByChange: b?.ratios.incremental ?? null,
      graphOverhead100: results.graph?.[100]?.['nx-docker-stages']?.coldRatioToNone ?? null,
      freshCloneVsNaiveCold: b?.ratios.freshCloneVsNaiveCold ?? null,
      freshCloneImagesUsable: b?.freshClone?.measured ? b.freshClone.allImagesUsable : null,
    },
    mode: results.mode,
    runAt: results.startedAt,
    rounds: { graph: results.config.graphRounds, builds: results.config.buildRounds, noopRunsPerRound: results.config.noopRuns },
    machine: results.machine,
    load: results.load,
    loadAverage: results.loadAverage ?? null,
    sharedMachine: Boolean(results.sharedMachine),
    versions: results.versions,
    pluginSource: results.pluginSource ?? null,
    source: `bench/results/${basename(resultsFile)}`,
  };
}

// ----------------------------------------------------------------- formatting -----------------------------------

const sec = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(1)} s`);
const msText = (ms) => (ms == null ? '–' : `${Math.round(ms)} ms`);
const mb = (bytes) => (bytes == null ? '–' : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`);
const kb = (bytes) => (bytes == null ? '–' : bytes >= 1e6 ? mb(bytes) : `${(bytes / 1e3).toFixed(1)} kB`);
const x = (r) => (r == null ? '–' : `${r.toFixed(2)}×`);
const x3 = (r) => (r == null || !Number.isFinite(r) ? '–' : `${r.toFixed(3)}×`);
const spread = (s, f) => (!s ? '–' : s.runs.length > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : `${f(s.median)} (1 run)`);
const loads = (results) => Object.values(results.load ?? {}).filter((v) => typeof v === 'number');

// ----------------------------------------------------------------- chart ----------------------------------------

function svgOf(results) {
  const panels = [];
  const b = results.builds;
  if (b) {
    const order = ['ours', 'naiveParallel', 'naiveSequential'];
    const metric = (label, pick) => ({ label, values: order.map((id) => pick(b.approaches[id])) });
    panels.push({
      title: 'Realistic workspace (8 Go + 6 Node apps): time until every image is current',
      subtitle: `median, whisker min–max; ${b.rounds} round(s); lower is better`,
      unit: 's',
      format: (v) => (v / 1000).toFixed(1),
      series: order.map((id) => b.approaches[id].label),
      groups: [
        metric('cold build', (a) => a.cold),
        ...b.workspace.changes.map((c) => metric(`${c.id} change`, (a) => a.incremental[c.id])),
        metric('no-op (nothing changed)', (a) => a.noop),
        ...(b.freshClone?.measured
          ? [{ label: 'fresh clone (naive: cold)', values: [b.freshClone.time, b.approaches.naiveParallel.cold, b.approaches.naiveSequential.cold] }]
          : []),
      ],
    });
  }
  if (results.graph) {
    const ids = ['nx-docker-stages', 'none', 'nx-go', 'nx-docker'];
    const sizes = Object.keys(results.graph);
    panels.push({
      title: 'nx show projects (daemon off, graph cache off)',
      subtitle: `median, whisker min–max; ${results.config.graphRounds} round(s); lower is better`,
      unit: 'ms',
      format: (v) => String(Math.round(v)),
      series: ids.map((id) => results.graph[sizes[0]][id].label),
      groups: sizes.flatMap((n) => [
        { label: `${n} projects, cold`, values: ids.map((id) => results.graph[n][id].cold) },
        { label: `${n} projects, warm`, values: ids.map((id) => results.graph[n][id].warm) },
      ]),
    });
  }
  const m = results.machine;
  return chart(panels, `nx-docker-stages bench, ${results.mode} run of ${results.startedAt.slice(0, 10)}; ${m.cpus} CPUs, ${m.os}, Docker ${m.dockerEngine}, Nx ${results.versions.nx}`);
}

// ----------------------------------------------------------------- markdown -------------------------------------

function headline(summary) {
  const rows = Object.entries(TARGETS).map(([key, t]) => {
    const v = summary[key];
    const verdict = v == null ? 'not measured' : v <= t.max ? 'met' : `missed (${(v / t.max).toFixed(2)}× the aim)`;
    const extra = key === 'sizeRatioMax' && summary.sizeRatioMaxApp ? ` (${summary.sizeRatioMaxApp})` : '';
    return `| \`${key}\` | ${t.meaning} | ${v == null ? '–' : v.toFixed(3)}${extra} | ≤ ${t.max} | ${verdict} |`;
  });
  return ['| Key | What it compares | This run | Aim | |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function runNote(results) {
  const m = results.machine;
  const la = results.loadAverage;
  // Busy: the operator said the machine was shared (--shared-machine), or it was loaded before the suite started.
  const busy = results.sharedMachine || m.loadAtStart > m.cpus / 2;
  const lines = [];
  if (results.mode === 'quick') {
    lines.push(
      `**This is a \`--quick\` run**: ${results.config.buildRounds} round of the build measurements (cold, incremental and fresh clone are single runs; the no-op ${results.config.noopRuns} runs), ` +
        `${results.config.graphRounds} round of the graph measurement (one cold and one warm run per approach, on ${results.config.graphSizes.join(' and ')} projects). ` +
        'Where a cell says "1 run" there is no median; a full run (`npm run bench`) takes medians of at least 3 runs with min and max. ' +
        'A quick run checks that the suite works end to end; its numbers show orders of magnitude, not values to quote or to track regressions with.',
    );
  }
  if (busy) {
    lines.push(
      `**The machine was busy**: other work shared its ${m.cpus} CPUs and its Docker engine during the run (1-minute load average ${m.loadAtStart} before the suite started; ` +
        `sampled every 5 s during the run${la ? `: mean ${la.mean}, max ${la.max}` : ''}, on ${m.cpus} CPUs, the suite itself running up to 3 builds at a time). ` +
        'Timings are noisy and only roughly comparable with each other.',
    );
  }
  return lines.length ? lines.map((l) => `> ${l}`).join('\n>\n') + '\n' : '';
}

function graphSection(results) {
  if (!results.graph) return '## 1. Graph overhead\n\nNot run (`--only` left it out).\n';
  const parts = [
    '## 1. Graph overhead',
    '',
    '`nx show projects --json` with `NX_DAEMON=false` and `NX_CACHE_PROJECT_GRAPH=false`, so every run builds the project graph. ' +
      '**Cold**: `.nx/workspace-data` removed before the run (no file-hash cache, no plugin caches). **Warm**: the same command right after. ' +
      'Ratios are to the same run without a plugin. "Dependencies" counts project-to-project edges in `nx graph --file` (a separate, untimed run), to show what each approach inferred.',
    '',
  ];
  for (const [n, byApproach] of Object.entries(results.graph)) {
    parts.push(`**${n} projects** (${n / 2} Go modules in a go.work, ${n / 2} npm workspace packages; one in five an app)`, '');
    parts.push('| Approach | Projects | Dependencies | Cold | Cold / no plugin | Warm | Warm / no plugin |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const a of Object.values(byApproach)) {
      if (a.error) {
        parts.push(`| ${a.label} | failed: ${a.error.split('\n')[0].slice(0, 120)} | | | | | |`);
        continue;
      }
      parts.push(`| ${a.label} | ${a.shape?.projects ?? a.projectsListed} | ${a.shape?.projectDependencies ?? '–'} | ${spread(a.cold, msText)} | ${x(a.coldRatioToNone)} | ${spread(a.warm, msText)} | ${x(a.warmRatioToNone)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

/** "4 built by @nx/esbuild:esbuild, 2 by @nx/js:swc", from the apps' recorded bundlers. */
function nodeBuilds(b) {
  const counts = {};
  for (const app of b.apps.filter((a) => a.kind === 'node')) counts[app.bundler ?? '?'] = (counts[app.bundler ?? '?'] ?? 0) + 1;
  const executor = { esbuild: '`@nx/esbuild:esbuild`', swc: '`@nx/js:swc`' };
  const apps = Object.entries(counts).map(([bundler, n]) => `${n} by ${executor[bundler] ?? bundler}`).join(', ');
  return `apps built ${apps}, libraries by the \`@nx/js/typescript\` plugin's \`tsc --build\``;
}

/** The median host install of the cold runs, over every approach. */
function coldInstall(b) {
  const runs = (b.raw ? Object.values(b.raw).flat() : []).map((r) => r.cold?.installMs).filter((v) => v != null).sort((p, q) => p - q);
  return runs.length ? runs[Math.floor(runs.length / 2)] : null;
}

function buildsSection(results) {
  const b = results.builds;
  if (!b) return '## 2–4. Builds\n\nNot run (`--only` left it out).\n';
  const order = ['ours', 'naiveParallel', 'naiveSequential'];
  const rows = order.map((id) => {
    const a = b.approaches[id];
    return `| ${a.label} | ${spread(a.cold, sec)} | ${b.workspace.changes.map((c) => spread(a.incremental[c.id], sec)).join(' | ')} | ${spread(a.noop, sec)} |`;
  });
  const rebuilt = order.map((id) => {
    const a = b.approaches[id];
    return `| ${a.label} | ${b.workspace.changes.map((c) => `${a.incremental[c.id].rebuilt.length} of ${b.apps.length}`).join(' | ')} |`;
  });
  const changeHeads = b.workspace.changes.map((c) => `Incremental: ${c.id}`).join(' | ');
  return [
    '## 2–4. Cold build, incremental build, no-op',
    '',
    `The realistic workspace: ${b.workspace.goApps.length} Go apps (${b.workspace.goApps.join(', ')}; ${goModulesText(b.workspace.goModules)}) and ` +
      `${b.workspace.nodeApps.length} Node apps (${b.workspace.nodeApps.join(', ')}) made by \`create-nx-workspace\` and Nx's generators (TS-solution layout, npm workspaces; ` +
      `${nodeBuilds(b)}; ${b.workspace.externalNpmPackages} registry packages in the lockfile) ` +
      'sharing Go and Node libraries. Before each approach: `docker builder prune -af`, the bench images removed, the work tree reset, `node_modules` deleted, the Nx cache emptied. ' +
      `**Cold includes the host's \`npm ci\`** for every approach (median ${sec(coldInstall(b))}), as on a new CI runner: each approach needs the workspace installed to run Nx's builds.`,
    '',
    `| Approach | Cold build | ${changeHeads} | No-op |`,
    `| --- | --- | ${b.workspace.changes.map(() => '---').join(' | ')} | --- |`,
    ...rows,
    '',
    `- Cold: ours / naive 3 at a time = **${x(b.ratios.coldVsNaiveParallel)}**; ours / naive one after another = **${x(b.ratios.coldVsNaiveSequential)}**.`,
    ...b.workspace.changes.map((c) => `- ${c.id}: ${c.description}; ours / naive 3 at a time = **${x(b.ratios.incremental[c.id])}**.`),
    `- No-op: ours = ${spread(b.approaches.ours.noop, sec)}; Nx's own cached no-op target (\`nx:run-commands\` \`true\`, \`cache: true\`) on the same ${b.apps.length} projects = ${spread(b.nxNoop, sec)}; ratio **${x(b.ratios.noopVsNxNoop)}**. ` +
      'The naive no-op is every `docker build` again with BuildKit answering from its cache.',
    '',
    'Images whose id changed on each incremental step (the changes are applied one after the other):',
    '',
    `| Approach | ${b.workspace.changes.map((c) => c.id).join(' | ')} |`,
    `| --- | ${b.workspace.changes.map(() => '---').join(' | ')} |`,
    ...rebuilt,
    '',
  ].join('\n');
}

function singleAppSection(results) {
  const one = results.builds?.singleApp;
  if (!one) return '';
  const part = (runs, key) => {
    const v = runs.map((r) => r[key]).filter((n) => n != null).sort((p, q) => p - q);
    return v.length ? sec(v[Math.floor(v.length / 2)]) : '–';
  };
  return [
    '## 7. One Node app in a workspace of many, cold',
    '',
    `\`${one.app}\` (workspace libraries ${one.closure.join(', ')}; express and uuid from the registry), from a machine that has built nothing ` +
      '(no `node_modules`, no Nx cache, no images, BuildKit\'s cache pruned). Ours: `npm ci`, then `nx run <app>:docker-build` (the Nx builds of the app and its libraries, with the `docker-deps` warm-up installing the app\'s production dependencies into BuildKit\'s cache beside them, then the image). ' +
      'The `turbo prune <app> --docker` pattern: `npm ci`, `nx run <app>:build` (the same Nx builds), `turbo prune <app> --docker`, then `docker build` of a Dockerfile that installs ' +
      'the pruned manifests and lockfile (`out/json`) with `npm ci --omit=dev` and copies the closure\'s build output onto the slim runtime. The two alternate within each round.',
    '',
    '| Approach | Time until the image exists | `npm ci` | The rest (medians) |',
    '| --- | --- | --- | --- |',
    `| nx-docker-stages | ${spread(one.ours, sec)} | ${part(one.raw.ours, 'installMs')} | \`nx run <app>:docker-build\` ${part(one.raw.ours, 'buildMs')} |`,
    `| turbo prune --docker pattern | ${spread(one.turboPrune, sec)} | ${part(one.raw.turbo, 'installMs')} | \`nx run <app>:build\` ${part(one.raw.turbo, 'hostBuildMs')}, \`turbo prune\` ${part(one.raw.turbo, 'pruneMs')}, \`docker build\` ${part(one.raw.turbo, 'imageMs')} |`,
    '',
    `Ratio ours / turbo pattern: **${x(one.ratio)}**.`,
    '',
  ].join('\n');
}

function remoteCacheSection(results) {
  const b = results.builds;
  const f = b?.freshClone;
  if (!f) return '';
  const head = ['## 5. Fresh clone with a warm remote cache', ''];
  if (!f.measured) return [...head, `**Not measured.** ${f.reason}`, ''].join('\n');
  const n = b.apps.length;
  const last = f.runs[f.runs.length - 1];
  const lines = [
    ...head,
    'A first run of the same commit fills a remote Nx cache (the suite\'s own server for Nx\'s self-hosted cache protocol, `NX_SELF_HOSTED_REMOTE_CACHE_SERVER`, on 127.0.0.1). ' +
      'Then, as on a new CI runner: BuildKit\'s cache pruned, the images removed, the repository cloned again at the same path, and `npm ci` + `nx run-many -t docker-build --parallel=3` timed. ' +
      'An image counts as usable when the tag its `metadata.json` names exists in the engine after the run. The naive Dockerfiles have no cache to restore from: on a fresh machine they do their cold build.',
    '',
    '| Approach | Time of the run | Remote cache hits (every task: the images\' and the Nx builds they depend on) | Images usable after it | Downloaded from the cache |',
    '| --- | --- | --- | --- | --- |',
    `| ${b.approaches.ours.label}, warm remote cache | ${spread(f.time, sec)} | ${last.remoteHits} | ${last.usable} of ${n} | ${mb(last.bytesDownloaded)} |`,
    `| ${b.approaches.naiveParallel.label} (its cold build) | ${spread(b.approaches.naiveParallel.cold, sec)} | – | ${n} of ${n} | – |`,
    '',
    `The cache was filled by a run of ${sec(f.filled.ms)} that stored ${f.filled.entries} entries (${mb(f.filled.bytes)}).`,
  ];
  if (f.allImagesUsable) {
    lines.push(`Time until every image is usable: ours ${spread(f.timeUntilUsable, sec)}, ratio to the naive cold build **${x(b.ratios.freshCloneVsNaiveCold)}**.`);
  } else {
    lines.push(
      `**Not every image was usable** after the cached run (${last.notUsable.join(', ') || 'the run failed'}): the run reported success from the cache while those images were missing, ` +
        'so this command does not reach "every image usable"; they need a build without the cache (`--skip-nx-cache`), that is a cold build.',
    );
  }
  return [...lines, ''].join('\n');
}

function sizesSection(results) {
  const b = results.builds;
  if (!b) return '';
  const rows = b.apps.map((app) => {
    const f = b.floors[app.project];
    const o = b.sizes.ours[app.project];
    const n = b.sizes.naive[app.project];
    const floorParts = app.kind === 'go' ? `base ${mb(f.runtimeBaseBytes)} + binary ${mb(f.binaryBytes)}` : `base ${mb(f.runtimeBaseBytes)} + output ${kb(f.builtOutputBytes)} + ${f.productionPackages} prod packages ${kb(f.productionDependencyBytes)}`;
    return `| ${app.project} | ${app.kind} | ${mb(f.floorBytes)} (${floorParts}) | ${mb(o.imageBytes)} | ${x3(o.imageBytes / f.floorBytes)} | ${mb(n.imageBytes)} | ${x3(n.imageBytes / f.floorBytes)} | ${kb(o.contextBytes)} / ${kb(n.contextBytes)} |`;
  });
  return [
    '## 6. Image size and build context',
    '',
    'Image size: `docker image inspect` `.Size` of the cold images. Floor: the runtime base image plus what the app cannot run without, measured on the host apart from any approach ' +
      '(Go: the static binary built with `CGO_ENABLED=0 -trimpath -ldflags="-s -w"`; Node: the `package.json` and the runtime files of the Nx build output (no `.d.ts`, source maps or `.tsbuildinfo`) of the app and its workspace libraries, plus the external packages `npm ls --omit=dev` lists for them). ' +
      'Build context: bytes of the files the build context holds under `.dockerignore`; every approach builds from the workspace root with the same `.dockerignore`, so they differ only by the files the approach itself adds.',
    '',
    '| App | Kind | Floor | Ours | Ours / floor | Naive | Naive / floor | Context (ours / naive) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function machineSection(results, resultsFile) {
  const m = results.machine;
  const v = results.versions;
  return [
    '## Machine and versions',
    '',
    `| | |`,
    `| --- | --- |`,
    `| Run | ${results.startedAt} (${results.mode}), ${Math.round(results.durationMs / 60000)} min; results: \`${relative(REPO_ROOT, resultsFile)}\` (kept locally, not committed) |`,
    `| Machine | ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, kernel ${m.kernel} |`,
    `| Load (1-min average, sampled every 5 s) | ${results.loadAverage ? `min ${results.loadAverage.min}, mean ${results.loadAverage.mean}, max ${results.loadAverage.max}` : loads(results).join(', ')} |`,
    `| Node / npm | ${m.node} / ${m.npm} |`,
    `| Docker engine | ${m.dockerEngine} (client \`${m.dockerClient}\`, BuildKit built in, \`DOCKER_BUILDKIT=1\`) |`,
    `| Nx | ${v.nx} (\`@nx/devkit\` ${v['@nx/devkit']}) |`,
    `| nx-docker-stages | ${v['nx-docker-stages']}, packed from this repository at ${results.pluginSource?.commit?.slice(0, 12) ?? '?'}${results.pluginSource?.uncommittedPluginChanges ? ` with ${results.pluginSource.uncommittedPluginChanges} uncommitted changed files in packages/nx-docker-stages` : ''} |`,
    `| @nx/docker | ${v['@nx/docker']} |`,
    `| @nx-go/nx-go | ${v['@nx-go/nx-go']} |`,
    `| turbo | ${v.turbo ?? '–'} (section 7 only) |`,
    `| Go | ${v.go} |`,
    `| Base images | ${Object.values(results.images).map((i) => `\`${i}\``).join(', ')} (local look-alikes, \`scripts/engine/base-images.sh\`) |`,
    '',
  ].join('\n');
}

const METHOD_TEMPLATE = `## How it is measured

- **Same run, same engine, same base images** for every approach; BuildKit's cache is pruned (\`docker builder prune -af\`) and the bench images removed before each approach. Rounds rotate the order of the approaches.
- **nx-docker-stages**: the workspace as a user sets it up (\`nx g nx-docker-stages:setup\` with the local base images, \`network: host\` in \`targetDefaults\`); cold = \`npm ci\` then \`nx run-many -t docker-build --parallel=3\` with an empty Nx cache (the Node apps' and libraries' Nx builds run as dependencies of \`docker-build\`); incremental = \`nx affected -t docker-build --base=<before> --head=<after> --parallel=3\`; no-op = the cold command again. No remote cache is configured in sections 2–4, so the executor saves no image archive there (its default; see docs/executor-docker-build.md); section 5 uses a remote cache, so its first run archives every image and the fresh clone loads them.
- **Naive baseline**: one self-contained multi-stage Dockerfile per app (\`naive/<app>.Dockerfile\` in the bench workspace), as written by hand: Go copies \`go.mod\`, runs \`go mod download\`, copies \`internal/\` and the app and runs \`go build\` (no cache mounts); Node apps are built on the host by Nx, as Nx's own Dockerfile template for \`@nx/node:app\` expects (cold = \`npm ci\`, then \`nx run-many -t build\`; every later run starts with \`nx run-many -t build\` too, Nx's cache deciding what runs), and each Dockerfile copies the root manifest, lockfile and the manifests of the app's workspace closure, runs \`npm ci --omit=dev\` and copies the closure's build output onto the slim runtime. Built from the workspace root with \`docker build --network host\` by a pool of 3 processes (and of 1 for "one after another"). Without affected detection, every run builds every app; BuildKit's layer cache decides what actually runs.
GO_BUILD_NOTE
- **Nx's cache and workspace data stay inside each bench workspace** (\`NX_CACHE_DIRECTORY=.nx/cache\`, \`NX_WORKSPACE_DATA_DIRECTORY=.nx/workspace-data\`): Nx 23 otherwise shares them between all checkouts of a repository under \`~/.nx\`, and a cold run or a fresh clone would find the previous run's cache.
- **Timing**: wall-clock time of the whole command (Nx start-up and graph included), from the suite's own process.
- **Ratios** divide medians. \`incrementalRatio\` is the geometric mean of the two library changes' ratios.
- The generated workspaces, the command log and the raw runs are under the work dir (\`$TMPDIR/nx-docker-stages-bench\`); the results file holds every raw number.
`;

function method(results) {
  const go = results.builds?.workspace.goBuild;
  let note = '';
  if (go) {
    note = `- **Go build commands**: ours \`${go.ours}\` (with \`CGO_ENABLED=0\` and cache mounts for the module and build caches); naive \`${go.naive}\` (no cache mounts).`;
    // Runs before the switch to Go 1.23 used Debian's Go 1.19, whose precompiled standard library changes what the naive builds compile.
    const goVersion = results.versions?.go ?? '';
    note += /^1\.1\d\b/.test(goVersion)
      ? ` The local Go image (Debian's Go ${goVersion.split(' ')[0]}) ships a precompiled standard library, which \`go build\` reuses only without \`-trimpath\`: the naive builds reuse most of it, ` +
        'while the generated stages compile the standard library into their build-cache mount. Go images from 1.20 on ship no precompiled standard library, so there every naive build compiles it.'
      : ` The local Go image (Go ${goVersion.split(' ')[0] || '1.20 or later'}) ships no precompiled standard library (none does from Go 1.20 on), so both compile the standard-library packages they import: ` +
        'the naive builds in every build step that runs, the generated stages into their build-cache mount, which later builds reuse (builds running at the same time on an empty cache each compile it).';
  }
  return METHOD_TEMPLATE.replace('GO_BUILD_NOTE', note);
}

function markdown(results, summary, resultsFile) {
  return [
    '# Benchmarks',
    '',
    `<!-- Generated by bench/report.js from ${relative(REPO_ROOT, resultsFile)}. Do not edit: run the suite again. -->`,
    '',
    'nx-docker-stages side by side with the alternatives, measured by the suite in [`bench/`](../bench/README.md). Every number on this page comes from one run of it.',
    '',
    runNote(results),
    '## Reproduce',
    '',
    '```sh',
    'npm run bench              # full: medians of several runs',
    'npm run bench -- --quick   # reduced, under 15 minutes',
    '```',
    '',
    `This page: \`${results.command}\`.`,
    '',
    '## Headline',
    '',
    headline(summary),
    '',
    '![Build times and graph times, by approach](../bench/results/benchmarks.svg)',
    '',
    graphSection(results),
    buildsSection(results),
    remoteCacheSection(results),
    sizesSection(results),
    singleAppSection(results),
    machineSection(results, resultsFile),
    method(results),
  ].join('\n');
}

// ----------------------------------------------------------------- entry points ---------------------------------

function writeReport(results, resultsFile) {
  const summary = summaryOf(results, resultsFile);
  writeFileSync(join(RESULTS_DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(SVG, svgOf(results));
  writeFileSync(DOC, markdown(results, summary, resultsFile));
  return [join(RESULTS_DIR, 'summary.json'), SVG, DOC];
}

if (require.main === module) {
  const newest = () =>
    readdirSync(RESULTS_DIR)
      .filter((f) => /^\d{4}-\d\d-\d\dT.*\.json$/.test(f))
      .sort()
      .pop();
  const file = process.argv[2] ? resolve(process.argv[2]) : join(RESULTS_DIR, newest() ?? '');
  const written = writeReport(JSON.parse(readFileSync(file, 'utf8')), file);
  for (const f of written) console.log(`wrote ${relative(REPO_ROOT, f)}`);
}

module.exports = { writeReport, summaryOf };

/**
 * 1. Graph overhead: `nx show projects` on synthetic workspaces, with no
 * plugin, nx-docker-stages, @nx/docker and @nx-go/nx-go registered in turn.
 * Daemon off and Nx's project-graph cache off, so every run computes the graph.
 * Cold: `.nx/workspace-data` removed first (no file-hash cache, no plugin
 * caches, as on a fresh CI machine). Warm: the same command right after, with
 * what the cold run left there. Rounds interleave the approaches, so a busy
 * spell of the machine spreads over all of them.
 */
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { nx, run } = require('../lib/exec');
const { log } = require('../lib/log');
const { IMAGES, installNxInto } = require('../lib/prepare');
const { summarize, ratio } = require('../lib/stats');
const { createRepo, commitAll } = require('../workspaces/files');
const { syntheticFiles } = require('../workspaces/synthetic');

const APPROACHES = [
  { id: 'none', label: 'no plugin', plugins: [] },
  { id: 'nx-docker-stages', label: 'nx-docker-stages', plugins: [{ plugin: 'nx-docker-stages', options: IMAGES }] },
  { id: 'nx-docker', label: '@nx/docker', plugins: ['@nx/docker'] },
  { id: 'nx-go', label: '@nx-go/nx-go', plugins: ['@nx-go/nx-go'], needsGo: true },
];

const GRAPH_ENV = { NX_CACHE_PROJECT_GRAPH: 'false' };

function writeNxJson(root, approach) {
  writeFileSync(join(root, 'nx.json'), JSON.stringify({ $schema: './.nx/installation/node_modules/nx/schemas/nx-schema.json', plugins: approach.plugins }, null, 2) + '\n');
}

async function createSyntheticWorkspace(root, count, installation) {
  await createRepo(root, syntheticFiles(count));
  await installNxInto(installation, root);
  // The lockfile of the npm workspace (Nx reads it for the graph): no install needed.
  await run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
  writeNxJson(root, APPROACHES[0]);
  await commitAll(root, `synthetic workspace of ${count} projects`);
}

/** One `nx show projects` run; returns its time and the number of projects it listed. */
async function showProjects(root, env) {
  const result = await nx(root, ['show', 'projects', '--json'], { env });
  const projects = JSON.parse(result.output.slice(result.output.indexOf('['))).length;
  return { ms: result.ms, projects };
}

/** Not timed: what each approach's graph holds (projects, dependencies), to show it did the work. */
async function graphShape(root, env) {
  const file = join(root, '.nx', 'bench-graph.json');
  await nx(root, ['graph', `--file=${file}`], { env });
  const { graph } = JSON.parse(readFileSync(file, 'utf8'));
  const edges = Object.values(graph.dependencies).reduce((n, deps) => n + deps.filter((d) => !d.target.startsWith('npm:')).length, 0);
  const targets = Object.values(graph.nodes).reduce((n, node) => n + Object.keys(node.data.targets ?? {}).length, 0);
  return { projects: Object.keys(graph.nodes).length, projectDependencies: edges, targets };
}

async function measureGraph({ workDir, installation, goBin, sizes, rounds }) {
  const results = {};
  for (const count of sizes) {
    const root = join(workDir, `graph-${count}`);
    log(`graph: generating a workspace of ${count} projects`);
    await createSyntheticWorkspace(root, count, installation);
    const envOf = (a) => ({ ...GRAPH_ENV, ...(a.needsGo ? { PATH: `${goBin}:${process.env.PATH}` } : {}) });
    const perApproach = Object.fromEntries(APPROACHES.map((a) => [a.id, { label: a.label, cold: [], warm: [], shape: null, error: null }]));
    for (const approach of APPROACHES) {
      writeNxJson(root, approach);
      rmSync(join(root, '.nx', 'workspace-data'), { recursive: true, force: true });
      try {
        perApproach[approach.id].shape = await graphShape(root, envOf(approach));
      } catch (e) {
        perApproach[approach.id].error = e.message.slice(0, 2000);
        log(`graph: ${approach.label} failed on ${count} projects: ${e.message.split('\n')[0]}`);
      }
    }
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round, so no approach always runs first.
      const order = APPROACHES.map((_, i) => APPROACHES[(i + round) % APPROACHES.length]);
      for (const approach of order) {
        const entry = perApproach[approach.id];
        if (entry.error) continue;
        writeNxJson(root, approach);
        rmSync(join(root, '.nx', 'workspace-data'), { recursive: true, force: true });
        const cold = await showProjects(root, envOf(approach));
        const warm = await showProjects(root, envOf(approach));
        entry.cold.push(cold.ms);
        entry.warm.push(warm.ms);
        entry.projectsListed = cold.projects;
        log(`graph ${count}: ${approach.label}: cold ${Math.round(cold.ms)} ms, warm ${Math.round(warm.ms)} ms (${cold.projects} projects)`);
      }
    }
    const base = { cold: summarize(perApproach.none.cold), warm: summarize(perApproach.none.warm) };
    results[count] = Object.fromEntries(
      Object.entries(perApproach).map(([id, e]) => {
        const cold = summarize(e.cold);
        const warm = summarize(e.warm);
        return [
          id,
          {
            label: e.label,
            projectsListed: e.projectsListed ?? null,
            shape: e.shape,
            error: e.error,
            cold,
            warm,
            coldRatioToNone: ratio(cold?.median, base.cold?.median),
            warmRatioToNone: ratio(warm?.median, base.warm?.median),
          },
        ];
      }),
    );
  }
  return results;
}

module.exports = { measureGraph, GRAPH_APPROACHES: APPROACHES };

/**
 * nx-docker-stages: a generated Dockerfile and a cacheable docker-build target
 * per app (base stages shared through BuildKit's cache), built by Nx with three tasks at a time.
 */
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { nx } = require('../lib/exec');
const { cacheHits, tasksIn } = require('../lib/nx-output');

const PARALLEL = 3;
const RUN_ARGS = ['--parallel', String(PARALLEL), '--output-style=static'];

/** The image an app's last successful build recorded (dist/docker/<project>/metadata.json). */
function builtImage(root, project) {
  const file = join(root, 'dist', 'docker', project, 'metadata.json');
  if (!existsSync(file)) return null;
  const { imageId, tags } = JSON.parse(readFileSync(file, 'utf8'));
  return { imageId, ref: tags[0] };
}

/** Every app's image, built or taken from the Nx cache. */
async function buildAll(root) {
  const result = await nx(root, ['run-many', '-t', 'docker-build', ...RUN_ARGS]);
  return { ms: result.ms, output: result.output, tasks: tasksIn(result.output, 'docker-build'), ...cacheHits(result.output) };
}

/** The images a commit range affects, through `nx affected` and the plugin's graph. */
async function buildAffected(root, base, head) {
  const result = await nx(root, ['affected', '-t', 'docker-build', `--base=${base}`, `--head=${head}`, ...RUN_ARGS]);
  return { ms: result.ms, output: result.output, tasks: tasksIn(result.output, 'docker-build'), ...cacheHits(result.output) };
}

/** Nx's own cached no-op target on the same projects: what any cached Nx target costs. */
async function nxNoop(root) {
  const result = await nx(root, ['run-many', '-t', 'bench-noop', ...RUN_ARGS]);
  return { ms: result.ms, tasks: tasksIn(result.output, 'bench-noop'), ...cacheHits(result.output) };
}

module.exports = { PARALLEL, builtImage, buildAll, buildAffected, nxNoop };

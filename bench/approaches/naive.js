/**
 * The naive baseline: one Dockerfile per app, built with plain `docker build`
 * (BuildKit) from the workspace root, `parallel` builds at a time (a small
 * pool, like a CI matrix or `xargs -P`). The Node apps' Dockerfiles copy what
 * Nx built on the host, so Nx builds every project first (`nx run-many -t
 * build`, Nx's cache deciding what runs). With no affected detection, every
 * run builds every image; BuildKit's layer cache decides what actually runs.
 */
const docker = require('../lib/docker');
const { nx } = require('../lib/exec');

async function buildAll(root, apps, parallel) {
  const started = process.hrtime.bigint();
  const hostBuild = await nx(root, ['run-many', '-t', 'build', '--parallel', String(parallel), '--output-style=static']);
  const queue = [...apps];
  const perApp = [];
  const outputs = [];
  const worker = async () => {
    for (let app = queue.shift(); app; app = queue.shift()) {
      const result = await docker.build({ dockerfile: `${root}/${app.naiveDockerfile}`, tag: app.naiveTag, context: root, network: 'host' });
      perApp.push({ project: app.project, ms: Math.round(result.ms), imageId: await docker.imageId(app.naiveTag) });
      outputs.push(result.output);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, hostBuildMs: hostBuild.ms, perApp, output: outputs.join('\n') };
}

module.exports = { buildAll };

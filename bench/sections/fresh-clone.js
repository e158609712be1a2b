/**
 * 5. Fresh clone with a warm remote cache: the time until every image is
 * usable on a machine that has neither the images nor BuildKit's cache, when
 * another machine already built the same commit into a shared Nx cache.
 *
 * The remote cache is the suite's own server for Nx's self-hosted cache
 * protocol (lib/remote-cache.js). A first run fills it ("the CI run of the
 * commit", untimed). Then, like a new CI runner: BuildKit's cache pruned, the
 * bench images removed, the clone deleted and cloned again at the same path
 * (CI checks out at a fixed path), Nx installed, and the timed
 * `npm ci` + `nx run-many -t docker-build --parallel=3`. An image is usable when the tag
 * its metadata.json names exists in the engine afterwards. The naive
 * Dockerfiles have no cache to restore from: on a fresh machine they do their
 * cold build (section 2).
 */
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const docker = require('../lib/docker');
const { nx, npmCi, run } = require('../lib/exec');
const { log } = require('../lib/log');
const { installNxInto } = require('../lib/prepare');
const { startRemoteCache } = require('../lib/remote-cache');
const { summarize } = require('../lib/stats');
const { cacheHits } = require('../lib/nx-output');

const RUN_ARGS = ['run-many', '-t', 'docker-build', '--parallel', '3', '--output-style=static'];

async function freshClone(source, commit, path, installation) {
  rmSync(path, { recursive: true, force: true });
  await run('git', ['clone', '-q', source, path], { cwd: source });
  await run('git', ['checkout', '-q', commit], { cwd: path });
  await installNxInto(installation, path);
}

async function freshMachine(imagePrefix) {
  await docker.pruneBuilder();
  await docker.removeImages(imagePrefix);
}

/** Which apps' images exist in the engine under the tag their metadata.json names. */
async function usableImages(root, apps) {
  const usable = [];
  for (const app of apps) {
    const file = join(root, 'dist', 'docker', app.project, 'metadata.json');
    if (!existsSync(file)) continue;
    const { tags } = JSON.parse(readFileSync(file, 'utf8'));
    if ((await docker.imageId(tags[0])).startsWith('sha256:')) usable.push(app.project);
  }
  return usable;
}

async function measureFreshClone({ workDir, installation, source, base, apps, imagePrefix, rounds }) {
  const server = await startRemoteCache(join(workDir, 'remote-cache'));
  const env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url };
  const path = join(workDir, 'fresh-clone');
  try {
    log('fresh clone: filling the remote cache (a first machine builds the commit)');
    await freshMachine(imagePrefix);
    await freshClone(source, base, path, installation);
    await npmCi(path);
    const seed = await nx(path, RUN_ARGS, { env });
    const filled = { ms: seed.ms, entries: server.stats.puts, bytes: server.stats.bytesStored };
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      await freshMachine(imagePrefix);
      await freshClone(source, base, path, installation);
      const before = { ...server.stats };
      const install = await npmCi(path);
      const result = await nx(path, RUN_ARGS, { env, allowFailure: true });
      const usable = await usableImages(path, apps);
      runs.push({
        ms: install.ms + result.ms,
        installMs: install.ms,
        exitCode: result.code,
        ...cacheHits(result.output),
        remoteHits: server.stats.hits - before.hits,
        bytesDownloaded: server.stats.bytesServed - before.bytesServed,
        usable: usable.length,
        notUsable: apps.map((a) => a.project).filter((p) => !usable.includes(p)),
        outputTail: result.code === 0 ? undefined : result.output.slice(-3000),
      });
      log(`fresh clone: ${Math.round(install.ms + result.ms)} ms (npm ci ${Math.round(install.ms)} ms), ${runs[round].remoteHits} remote cache hits, ${usable.length} of ${apps.length} images usable`);
    }
    const allUsable = runs.every((r) => r.usable === apps.length && r.exitCode === 0);
    return {
      measured: true,
      remoteCache: 'the suite\'s own server for Nx\'s self-hosted cache protocol (NX_SELF_HOSTED_REMOTE_CACHE_SERVER), on 127.0.0.1',
      filled,
      runs,
      time: summarize(runs.map((r) => r.ms)),
      allImagesUsable: allUsable,
      timeUntilUsable: allUsable ? summarize(runs.map((r) => r.ms)) : null,
    };
  } finally {
    await server.close();
    rmSync(path, { recursive: true, force: true });
    rmSync(join(workDir, 'remote-cache'), { recursive: true, force: true });
  }
}

module.exports = { measureFreshClone };

/** The engine, through Debian's client with its built-in BuildKit (see ENVIRONMENT.md). */
const { run } = require('./exec');

let client = '/usr/bin/docker';
const setClient = (path) => {
  client = path;
};
const BUILDKIT = { DOCKER_BUILDKIT: '1' };

const docker = async (args, options = {}) => (await run(client, args, { cwd: process.cwd(), env: BUILDKIT, ...options })).output.trim();

const { execFileSync } = require('node:child_process');
const { log } = require('./log');

/** `docker build` / `buildx build` processes of other clients on this machine (the suite's own are done when it prunes). */
function otherBuilds() {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\bdocker(?:\s+buildx)?\s+build\b/.test(l) && !/\bbuilder\s+prune\b/.test(l));
}

/**
 * Empties BuildKit's cache (layers and cache mounts), so the next build starts cold.
 * Docker 20.10's daemon can panic when a prune races another client's build (seen here:
 * a nil pointer in BuildKit's setImageRefMetadata), so wait until no other build runs,
 * for up to `patience` ms; returns how long it waited.
 */
async function pruneBuilder(patience = 180000) {
  const started = Date.now();
  let others = otherBuilds();
  if (others.length) log(`waiting for ${others.length} other docker build(s) on this machine to finish before pruning the build cache`);
  while (others.length && Date.now() - started < patience) {
    await new Promise((r) => setTimeout(r, 2000));
    others = otherBuilds();
  }
  if (others.length) log(`pruning although other builds still run: ${others.length}`);
  await docker(['builder', 'prune', '-af']);
  return Date.now() - started;
}

/** Removes every image tagged under `prefix` (the bench's own images only). */
async function removeImages(prefix) {
  const refs = (await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').filter((r) => r.startsWith(prefix));
  if (refs.length) await docker(['image', 'rm', '-f', ...refs], { allowFailure: true });
}

const imageSize = async (ref) => Number(await docker(['image', 'inspect', '--format', '{{.Size}}', ref]));
const imageId = async (ref) => docker(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true });
const serverVersion = () => docker(['version', '--format', '{{.Server.Version}}'], { allowFailure: true });

/** One `docker build`: BuildKit, plain progress, in `context`. */
function build({ dockerfile, tag, context, network }) {
  const args = ['build', '--progress', 'plain', '--file', dockerfile, '--tag', tag];
  if (network) args.push('--network', network);
  args.push(context);
  return run(client, args, { cwd: context, env: BUILDKIT });
}

module.exports = { setClient, docker, pruneBuilder, removeImages, imageSize, imageId, serverVersion, build, get client() { return client; } };

/** The engine, through Debian's client with its built-in BuildKit (see ENVIRONMENT.md). */
const { run } = require('./exec');

let client = '/usr/bin/docker';
const setClient = (path) => {
  client = path;
};
const BUILDKIT = { DOCKER_BUILDKIT: '1' };

const docker = async (args, options = {}) => (await run(client, args, { cwd: process.cwd(), env: BUILDKIT, ...options })).output.trim();

/** Empties BuildKit's cache (layers and cache mounts), so the next build starts cold. */
const pruneBuilder = () => docker(['builder', 'prune', '-af']);

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

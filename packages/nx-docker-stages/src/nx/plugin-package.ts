/** The installed plugin: its package name (how nx.json registers it) and its version. */

export const PLUGIN_NAME = 'nx-docker-stages';

/** The executor of every docker-build target (inferred or written by hand). */
export const DOCKER_BUILD_EXECUTOR = `${PLUGIN_NAME}:docker-build`;

/** The installed plugin's version: part of every docker-build hash and of the inference cache's key. */
export const PLUGIN_VERSION = (require('../../package.json') as { version: string }).version;

/** The executor of the inferred docker-deps targets: the warm-up of a Node app's dependencies stage. */
export const DOCKER_DEPS_EXECUTOR = `${PLUGIN_NAME}:docker-deps`;

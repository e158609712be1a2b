/** The plugin's options in nx.json, shared by inference, the generator and sync. */

export interface DockerStagesPluginOptions {
  /** Name of the inferred target that builds an app's image. */
  targetName?: string;
  /** File name of the Dockerfile generated in each app's project root. */
  dockerfile?: string;
  /** Toolchain image of the Go base and build stages. */
  goImage?: string;
  /** Image of the Go runtime stages (`scratch` allowed). */
  goRuntimeImage?: string;
  /** Toolchain image of the Node base, build and dependency stages (with npm). */
  nodeImage?: string;
  /** Image of the Node runtime stages (with node on the PATH). */
  nodeRuntimeImage?: string;
}

export type NormalizedPluginOptions = Required<DockerStagesPluginOptions>;

export const PLUGIN_NAME = 'nx-docker-stages';
/** The installed plugin's version: part of every target's hash and of the inference cache's key. */
export const PLUGIN_VERSION = (require('../../package.json') as { version: string }).version;
export const DEFAULT_GO_IMAGE = 'golang:1.23-bookworm';
export const DEFAULT_GO_RUNTIME_IMAGE = 'gcr.io/distroless/static-debian12:nonroot';
export const DEFAULT_NODE_IMAGE = 'node:22-bookworm-slim';
export const DEFAULT_NODE_RUNTIME_IMAGE = 'node:22-bookworm-slim';

export function normalizePluginOptions(options: DockerStagesPluginOptions | undefined): NormalizedPluginOptions {
  const dockerfile = options?.dockerfile || 'Dockerfile';
  if (dockerfile.startsWith('/') || dockerfile.split(/[\\/]/).includes('..')) {
    throw new Error(
      `nx-docker-stages: the "dockerfile" option (${dockerfile}) must be a file name inside each app's project root, such as Dockerfile or Dockerfile.nx; fix it in nx.json`,
    );
  }
  return {
    targetName: options?.targetName || 'docker-build',
    dockerfile,
    goImage: options?.goImage || DEFAULT_GO_IMAGE,
    goRuntimeImage: options?.goRuntimeImage || DEFAULT_GO_RUNTIME_IMAGE,
    nodeImage: options?.nodeImage || DEFAULT_NODE_IMAGE,
    nodeRuntimeImage: options?.nodeRuntimeImage || DEFAULT_NODE_RUNTIME_IMAGE,
  };
}

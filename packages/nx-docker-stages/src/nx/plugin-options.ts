/**
 * The plugin's options in nx.json, with their defaults: the one home of both, read by inference,
 * the setup generator (whose flags are these options plus `force`) and sync. Pure.
 */
import { mayLeaveFolder } from '../workspace/workspace-paths';

export interface DockerStagesPluginOptions {
  /** Name of the inferred target that builds an app's image. */
  targetName?: string;
  /** Name of the inferred target that prepares a Node app's dependencies stage while Nx builds the app. */
  depsTargetName?: string;
  /** File name of the Dockerfile generated in each app's project root. */
  dockerfile?: string;
  /** Toolchain image of the Go base and build stages; default: follows each unit's go.work or go.mod (go/go-image.ts). */
  goImage?: string;
  /** Image of the Go runtime stages (`scratch` allowed). */
  goRuntimeImage?: string;
  /** Image of the runtime stages of Go apps built with cgo: one with the C library (glibc) they link. */
  goCgoRuntimeImage?: string;
  /** Image of the Node dependency stages (with npm); default: follows the workspace's Node version. */
  nodeImage?: string;
  /** Image of the Node runtime stages (with node on the PATH); default: follows the workspace's Node version. */
  nodeRuntimeImage?: string;
}

/**
 * The options whose default is a fixed value; the others follow the workspace when unset: the Go
 * image each unit's Go version (go/go-image.ts), the Node images the Node version (node/node-version.ts).
 */
type FollowingOption = 'goImage' | 'nodeImage' | 'nodeRuntimeImage';
type FixedDefaultOption = Exclude<keyof DockerStagesPluginOptions, FollowingOption>;

export type NormalizedPluginOptions = Required<Pick<DockerStagesPluginOptions, FixedDefaultOption>> & Pick<DockerStagesPluginOptions, FollowingOption>;

/** Every option with a fixed default: what `normalizePluginOptions` fills in and setup stores in nx.json. */
export const PLUGIN_OPTION_DEFAULTS: Required<Pick<DockerStagesPluginOptions, FixedDefaultOption>> = {
  targetName: 'docker-build',
  depsTargetName: 'docker-deps',
  dockerfile: 'Dockerfile',
  goRuntimeImage: 'gcr.io/distroless/static-debian12:nonroot',
  goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot',
};

/** Every option name, in the order nx.json shows them. */
export const PLUGIN_OPTION_NAMES: Array<keyof DockerStagesPluginOptions> = [
  'targetName',
  'depsTargetName',
  'dockerfile',
  'goImage',
  'goRuntimeImage',
  'goCgoRuntimeImage',
  'nodeImage',
  'nodeRuntimeImage',
];

/** The options that are set (not undefined, not empty) among `values`, by the names above; anything else is left out. */
export function pluginOptionsIn(values: Partial<Record<string, unknown>>): DockerStagesPluginOptions {
  const options: DockerStagesPluginOptions = {};
  for (const name of PLUGIN_OPTION_NAMES) {
    const value = values[name];
    if (typeof value === 'string' && value !== '') options[name] = value;
  }
  return options;
}

/** Every option, fixed defaults filled in (the Go and Node images stay unset unless given). Throws, naming the option and the fix, on a Dockerfile name outside the project root. */
export function normalizePluginOptions(options: DockerStagesPluginOptions | undefined): NormalizedPluginOptions {
  const normalized = { ...PLUGIN_OPTION_DEFAULTS, ...pluginOptionsIn({ ...options }) };
  const { dockerfile, targetName, depsTargetName } = normalized;
  if (targetName === depsTargetName) {
    throw new Error(`nx-docker-stages: the options "targetName" and "depsTargetName" are both "${targetName}"; give the two inferred targets different names in nx.json`);
  }
  if (normalized.goCgoRuntimeImage === 'scratch') {
    throw new Error(
      'nx-docker-stages: the "goCgoRuntimeImage" option is scratch, which has no C library for the apps built with cgo to link; ' +
        'give an image with glibc (such as gcr.io/distroless/base-debian12:nonroot) in nx.json',
    );
  }
  if (mayLeaveFolder(dockerfile)) {
    throw new Error(
      `nx-docker-stages: the "dockerfile" option (${dockerfile}) must be a file name inside each app's project root, such as Dockerfile or Dockerfile.nx; fix it in nx.json`,
    );
  }
  return normalized;
}

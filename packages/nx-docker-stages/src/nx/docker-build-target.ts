/**
 * The inferred docker-build target of an app: cacheable, with inputs that
 * cover exactly what its image is built from, and the metadata `nx show
 * project` explains it with.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { appDockerfilePath } from '../dockerfile/render-dockerfile';
import { stageNames } from '../dockerfile/stage-names';
import { GoAppPlan } from '../go/go-plan';
import { NodeAppPlan } from '../node/node-apps';
import { NodeWorkspace } from '../node/node-workspace';
import { DOCKER_OUTPUT_TARGET_PATH } from '../workspace/workspace-paths';
import { NormalizedPluginOptions } from './plugin-options';
import { PLUGIN_VERSION } from './plugin-package';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/**
 * The plugin's version is part of every hash: a new version may generate or build images differently.
 * One command for all apps, so Nx runs it once per hashing pass.
 */
const PLUGIN_VERSION_INPUT = { runtime: `echo nx-docker-stages@${PLUGIN_VERSION}` };

function target(
  projectName: string,
  projectRoot: string,
  technology: 'go' | 'node',
  inputs: Input[],
  options: NormalizedPluginOptions,
  extraOptions: Record<string, unknown> = {},
): TargetConfiguration {
  const stage = stageNames.runtime(projectName);
  const dockerfile = appDockerfilePath(projectRoot, options.dockerfile);
  return {
    executor: 'nx-docker-stages:docker-build',
    cache: true,
    // Keeps this app's stages current as the graph changes; `nx sync:check` fails in CI while they are stale.
    syncGenerators: ['nx-docker-stages:sync'],
    options: { dockerfile, target: stage, ...extraOptions },
    inputs: [
      // Holds the app's Dockerfile: editing its stages changes this app's hash, and `nx affected` sees this app.
      '{projectRoot}/**/*',
      ...inputs,
      '{workspaceRoot}/.dockerignore',
      PLUGIN_VERSION_INPUT,
      // Without this Nx hashes every external dependency of the workspace, so any lockfile change would
      // rebuild every image. Listing none leaves the versions of the project's own npm dependencies
      // (from the project graph) in the hash, and nothing else.
      { externalDependencies: [] },
    ],
    outputs: [DOCKER_OUTPUT_TARGET_PATH],
    metadata: {
      technologies: ['docker', technology],
      description: `Build the "${stage}" image of ${projectName} from ${dockerfile}`,
      help: {
        command: `docker build --target ${stage} -f ${dockerfile} .`,
        example: { options: { tags: ['latest', '1.0.0'], network: 'host' } },
      },
    },
  };
}

export function goDockerBuildTarget(app: GoAppPlan, options: NormalizedPluginOptions): TargetConfiguration {
  return target(
    app.projectName,
    app.projectRoot,
    'go',
    ['!{projectRoot}/**/*_test.go', { input: 'default', dependencies: true } as Input, ...app.unit.inputFiles.map((f) => `{workspaceRoot}/${f}`)],
    options,
  );
}

/**
 * The lockfile itself is not an input: Nx hashes the versions of the app's own
 * npm dependencies from the project graph, so a lockfile change that touches
 * only another app's dependencies leaves this app's hash alone.
 */
export function nodeDockerBuildTarget(app: NodeAppPlan, ws: NodeWorkspace, options: NormalizedPluginOptions): TargetConfiguration {
  return target(
    app.projectName,
    app.pkg.dir,
    'node',
    [{ input: 'default', dependencies: true } as Input, '{workspaceRoot}/package.json', ...ws.installFiles.map((f) => `{workspaceRoot}/${f}`)],
    options,
    { pruneDependencies: true },
  );
}

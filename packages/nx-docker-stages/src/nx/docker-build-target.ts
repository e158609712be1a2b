/**
 * The inferred docker-build target of an app: cacheable, with inputs that cover exactly what its
 * image is built from, and the metadata `nx show project` explains it with. Pure.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { appDockerfilePath } from '../dockerfile/render-dockerfile';
import { stageNames } from '../dockerfile/stage-names';
import { GoAppPlan } from '../go/go-plan';
import { NodeAppPlan } from '../node/node-apps';
import { NodeWorkspace } from '../node/node-workspace';
import { DOCKER_OUTPUT_TARGET_PATH, nodeImageContextDir } from '../workspace/workspace-paths';
import { NormalizedPluginOptions } from './plugin-options';
import { DOCKER_BUILD_EXECUTOR, DOCKER_DEPS_EXECUTOR, PLUGIN_VERSION } from './plugin-package';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/**
 * The plugin's version is part of every hash: a new version may generate or build images differently.
 * One command for all apps, so Nx runs it once per hashing pass.
 */
const PLUGIN_VERSION_INPUT = { runtime: `echo nx-docker-stages@${PLUGIN_VERSION}` };

/**
 * Without this Nx hashes every external dependency of the workspace, so any lockfile change would
 * rebuild every image. Listing none leaves the versions of the project's own npm dependencies (from
 * the project graph) in the hash, and nothing else.
 */
const OWN_NPM_DEPENDENCIES_ONLY = { externalDependencies: [] } as Input;

interface TargetParts {
  projectName: string;
  projectRoot: string;
  technology: 'go' | 'node';
  inputs: Input[];
  options: NormalizedPluginOptions;
  executorOptions?: Record<string, unknown>;
  dependsOn?: TargetConfiguration['dependsOn'];
  /** How a person builds the same image by hand. */
  helpCommand: string;
}

function target({ projectName, projectRoot, technology, inputs, options, executorOptions = {}, dependsOn, helpCommand }: TargetParts): TargetConfiguration {
  const stage = stageNames.runtime(projectName);
  const dockerfile = appDockerfilePath(projectRoot, options.dockerfile);
  return {
    executor: DOCKER_BUILD_EXECUTOR,
    cache: true,
    ...(dependsOn ? { dependsOn } : {}),
    // Keeps this app's stages current as the graph changes; `nx sync:check` fails in CI while they are stale.
    syncGenerators: ['nx-docker-stages:sync'],
    options: { dockerfile, target: stage, ...executorOptions },
    inputs: [
      // Holds the app's Dockerfile: editing its stages changes this app's hash, and `nx affected` sees this app.
      '{projectRoot}/**/*',
      ...inputs,
      PLUGIN_VERSION_INPUT,
      OWN_NPM_DEPENDENCIES_ONLY,
    ],
    outputs: [DOCKER_OUTPUT_TARGET_PATH],
    metadata: {
      technologies: ['docker', technology],
      description: `Build the "${stage}" image of ${projectName} from ${dockerfile}`,
      help: {
        command: helpCommand.replace('{dockerfile}', dockerfile).replace('{stage}', stage),
        example: { options: { tags: ['latest', '1.0.0'], network: 'host' } },
      },
    },
  };
}

export function goDockerBuildTarget(app: GoAppPlan, options: NormalizedPluginOptions): TargetConfiguration {
  return target({
    projectName: app.projectName,
    projectRoot: app.projectRoot,
    technology: 'go',
    inputs: [
      '!{projectRoot}/**/*_test.go',
      { input: 'default', dependencies: true } as Input,
      ...app.unit.inputFiles.map((f) => `{workspaceRoot}/${f}`),
      '{workspaceRoot}/.dockerignore',
    ],
    options,
    helpCommand: 'docker build --target {stage} -f {dockerfile} .',
  });
}

/**
 * A Node app's image holds what its build wrote, so docker-build runs after the app's build target
 * and its libraries' builds (Nx runs them, or restores them from its cache), and its hash holds
 * every file those builds output: a change that changes the output changes the image. The lockfile
 * itself is not an input: Nx hashes the versions of the app's own npm dependencies from the project
 * graph, so a lockfile change that touches only another app's dependencies leaves this app's hash
 * alone.
 */
export function nodeDockerBuildTarget(app: NodeAppPlan, ws: NodeWorkspace, options: NormalizedPluginOptions): TargetConfiguration {
  const buildTarget = app.build.kind === 'nx' ? app.build.target : 'build';
  return target({
    projectName: app.projectName,
    projectRoot: app.projectRoot,
    technology: 'node',
    inputs: [...nodeSourceInputs(ws), { dependentTasksOutputFiles: '**/*', transitive: true } as Input],
    options,
    executorOptions: {
      context: nodeImageContextDir(app.projectName),
      nodeApp: app.build.kind === 'nx' ? { buildTarget } : { packageFiles: true },
    },
    // A target that does not exist (a package without a build script) is left out by Nx.
    // The warm-up has no dependency of its own, so Nx runs it while it runs the builds.
    dependsOn: [buildTarget, `^build`, options.depsTargetName],
    helpCommand: `nx run ${app.projectName}:${buildTarget} && docker build --target {stage} -f {dockerfile} ${nodeImageContextDir(app.projectName)} (after docker-build staged it)`,
  });
}

/**
 * The warm-up of a Node app's dependencies stage (executors/docker-deps), which docker-build depends
 * on. Cached on what the stage installs from, as far as the app's own inputs tell it: the app's
 * manifest and Dockerfile, the root manifest and the package manager's settings files, the versions
 * of the app's npm dependencies, the plugin's version. A change to sources (the app's or a
 * library's) leaves it a hit, so the common incremental build spends nothing on it. The libraries'
 * manifests and the lockfile are left out on purpose: a `{workspaceRoot}` input makes Nx count every
 * app affected by any change to that file, and a named input with `dependencies` fails the hash of
 * any app that depends on a project without it. So a change there alone leaves the warm-up a hit:
 * its result holds nothing, so that can never give a wrong image, only an install that docker-build
 * runs itself.
 */
export function nodeDockerDepsTarget(app: NodeAppPlan, ws: NodeWorkspace, options: NormalizedPluginOptions): TargetConfiguration {
  const stage = stageNames.deps(app.projectName);
  return {
    executor: DOCKER_DEPS_EXECUTOR,
    cache: true,
    options: { buildTarget: options.targetName, stage },
    inputs: [
      '{projectRoot}/package.json',
      `{projectRoot}/${options.dockerfile}`,
      '{workspaceRoot}/package.json',
      ...ws.installFiles.map((f) => `{workspaceRoot}/${f}`),
      PLUGIN_VERSION_INPUT,
      OWN_NPM_DEPENDENCIES_ONLY,
    ],
    outputs: [],
    metadata: {
      technologies: ['docker', 'node'],
      description: `Install the production dependencies of ${app.projectName} (stage "${stage}") into the engine's build cache while Nx builds the app, for ${options.targetName}`,
    },
  };
}

/** What a Node app's image is made of before anything is built: its libraries' files and the install's root files. */
function nodeSourceInputs(ws: NodeWorkspace): Input[] {
  return [{ input: 'default', dependencies: true } as Input, '{workspaceRoot}/package.json', ...ws.installFiles.map((f) => `{workspaceRoot}/${f}`)];
}

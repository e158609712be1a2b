/**
 * Inference and graph: every Go and Node app gets a cacheable `docker-build`
 * target, Go code without an Nx project gets an inferred one, and the Go
 * import graph becomes Nx project dependencies (Nx already knows Node's).
 */
import type { CreateDependencies, CreateNodesResult, CreateNodesV2, PostTasksExecution } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskOutcome } from '../engine/restore-cached-images';
import { isGoWorkspaceFile } from '../go/go-workspace';
import { AggregateCreateNodesError, validateDependency } from '../nx-runtime';
import { MODEL_FILES_GLOB, WorkspacePlan } from '../plan/workspace-plan';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { cachedGoProjectDependencies, cachedWorkspacePlan } from './cached-workspace-plan';
import { goDockerBuildTarget, nodeDockerBuildTarget, nodeDockerDepsTarget } from './docker-build-target';
import { inferenceCache } from './inference-cache-file';
import { DockerStagesPluginOptions, NormalizedPluginOptions, normalizePluginOptions } from './plugin-options';

type Result = readonly [string, CreateNodesResult];

export const createNodes: CreateNodesV2<DockerStagesPluginOptions> = [
  MODEL_FILES_GLOB,
  async (files, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const read = (file: string) => readFileSync(join(context.workspaceRoot, file), 'utf8');
    let plan: WorkspacePlan;
    try {
      plan = cachedWorkspacePlan(files, read, inferenceCache(rawOptions));
    } catch (error) {
      // The model is computed for the whole workspace at once, so its error is one error, charged to
      // the file it names (a WorkspaceFileError), else to the workspace's first manifest.
      const source =
        error instanceof WorkspaceFileError ? error.file : (files.find((f) => f.endsWith('go.mod')) ?? files.find((f) => f === 'package.json') ?? null);
      throw new AggregateCreateNodesError([[source, error as Error]], []);
    }
    const goMod = files.find((f) => f.endsWith('go.mod')) ?? 'go.mod';
    return [...inferGoProjects(plan, goMod, options), ...inferNodeTargets(plan, options)];
  },
];

/** Nx 21 and earlier name the v2 API `createNodesV2`; Nx 22+ read `createNodes`. */
export const createNodesV2 = createNodes;

function inferGoProjects(plan: WorkspacePlan, goMod: string, options: NormalizedPluginOptions): Result[] {
  const apps = new Map(plan.go.apps.map((a) => [a.projectName, a]));
  return plan.go.projects.map((project) => {
    const app = apps.get(project.name);
    return [
      goMod,
      {
        projects: {
          [project.root]: {
            name: project.name,
            projectType: project.type === 'app' ? 'application' : 'library',
            tags: ['lang:go'],
            targets: app ? { [options.targetName]: goDockerBuildTarget(app, options) } : {},
          },
        },
      },
    ] as const;
  });
}

/** Node projects are projects already (Nx infers them from package.json and project.json); apps get their target. */
function inferNodeTargets(plan: WorkspacePlan, options: NormalizedPluginOptions): Result[] {
  if (!plan.node) return [];
  const { ws, verdicts } = plan.node;
  return verdicts.flatMap((verdict) =>
    verdict.verdict === 'app'
      ? [
          [
            verdict.file,
            {
              projects: {
                [verdict.root]: {
                  name: verdict.project,
                  projectType: 'application',
                  targets: {
                    [options.targetName]: nodeDockerBuildTarget(verdict.app, ws, options),
                    [options.depsTargetName]: nodeDockerDepsTarget(verdict.app, ws, options),
                  },
                },
              },
            },
          ] as const,
        ]
      : [],
  );
}

/**
 * After the tasks: a docker-build result from the cache must not leave a stale or missing image
 * behind. Cached images are loaded from their archive and re-tagged; one that cannot be is
 * reported and fails the run.
 */
export const postTasksExecution: PostTasksExecution<DockerStagesPluginOptions> = async (rawOptions, context) => {
  const { targetName } = normalizePluginOptions(rawOptions);
  // Loaded here, not with the plugin: graph computation never needs the engine code.
  const { cachedDockerBuilds, restoreCachedImages, unbuiltDockerBuilds } = await import('../engine/restore-cached-images');
  const { clearBuildResult } = await import('../engine/image-metadata');
  const outcomes = context.taskResults as unknown as Record<string, TaskOutcome>;
  // A build that failed or never ran leaves no result of an earlier run behind (the executor clears them only when it starts).
  for (const project of unbuiltDockerBuilds(outcomes, targetName)) clearBuildResult(context.workspaceRoot, project);
  const projects = cachedDockerBuilds(outcomes, targetName);
  const problems = await restoreCachedImages(context.workspaceRoot, projects, targetName);
  // Nx ends the run with its own exit code after this hook; an error is what makes the run fail.
  if (problems.length) throw new Error(`nx-docker-stages: ${problems.join('\nnx-docker-stages: ')}`);
};

/** Go import edges as static project dependencies, each with the file whose import makes it. */
export const createDependencies: CreateDependencies<DockerStagesPluginOptions> = async (options, context) => {
  const goFiles = [...Object.values(context.fileMap.projectFileMap).flat(), ...context.fileMap.nonProjectFiles].filter((f) => isGoWorkspaceFile(f.file));
  if (!goFiles.some((f) => f.file.endsWith('go.mod'))) return [];
  const roots = new Map(Object.entries(context.projects).map(([name, p]) => [p.root, name]));
  return cachedGoProjectDependencies(context.workspaceRoot, goFiles, roots, inferenceCache(options), (d) => validateDependency(d, context));
};

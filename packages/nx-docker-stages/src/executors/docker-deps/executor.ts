/**
 * docker-deps: the warm-up of an app's dependencies stage. docker-build runs after the app's Nx
 * build, and then installs the production dependencies in the image: two waits in a row. This
 * target has no dependency and docker-build depends on it, so Nx runs it while it builds the app:
 * it stages what docker-build will copy into the dependencies stage (the production manifest and
 * pruned lockfile) in a temporary folder and builds that stage, with the docker-build target's own
 * options and no tag, into the engine's build cache. docker-build's install is then a cache hit.
 * Another stage (a `stage` option on a target without `nodeApp`) is built from the build's own
 * context. Nothing it does is part of an image, so it never fails the run: when it cannot warm up,
 * it says why and docker-build does the work itself, as it would without it.
 */
import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAppDockerfile, targetDockerfile } from '../../nx/app-dockerfile';
import { stageNames } from '../../dockerfile/stage-names';
import { buildImage } from '../../engine/build-image';
import { buildOptionProblem } from '../../engine/build-option-checks';
import type { ImageBuildOptions } from '../../engine/image-build-options';
import { resolveBuildClient } from '../../engine/docker-client';
import { removeImage } from '../../engine/image-archive';
import { NodeAppOption, stageNodeDependencies } from '../../nx/node-image-context';
import { PLUGIN_OPTION_DEFAULTS } from '../../nx/plugin-options';
import { DOCKER_BUILD_EXECUTOR } from '../../nx/plugin-package';
import { logger } from '../../nx-runtime';
import { DockerDepsExecutorSchema } from './schema';

export default async function dockerDepsExecutor(options: DockerDepsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName ?? 'unknown';
  const buildTarget = options.buildTarget ?? PLUGIN_OPTION_DEFAULTS.targetName;
  const node = context.projectGraph?.nodes[projectName];
  const target = node?.data.targets?.[buildTarget];
  if (!node || !context.projectGraph || target?.executor !== DOCKER_BUILD_EXECUTOR) {
    // A wrong option, not a failed warm-up: said, and failed, so that it gets fixed.
    logger.error(`nx-docker-stages: ${projectName}: the docker-deps option buildTarget (${buildTarget}) names no ${DOCKER_BUILD_EXECUTOR} target of the project; set it to the project's docker-build target`);
    return { success: false };
  }
  const configuration = target.defaultConfiguration ? target.configurations?.[target.defaultConfiguration] : undefined;
  const build = { ...target.options, ...configuration } as ImageBuildOptions & { nodeApp?: NodeAppOption };
  const stage = options.stage ?? stageNames.deps(projectName);
  const skip = (why: string) => {
    logger.warn(`nx-docker-stages: ${projectName}: stage ${stage} not prepared ahead of ${buildTarget} (${why}); ${buildTarget} builds it itself`);
    return { success: true };
  };
  const dockerfile = targetDockerfile(node.data.root, build.dockerfile);
  // What the build itself would refuse, it reports in its own words.
  const problem = buildOptionProblem(projectName, { ...build, dockerfile }, (path) => existsSync(resolve(context.root, path)));
  if (problem) return skip(`its options are refused: ${problem}`);
  const checked = readAppDockerfile(context.root, dockerfile, stage, projectName);
  if ('error' in checked) return skip(checked.error);

  // A Node app's stage copies its staged production manifest and lockfile; a Go base stage reads the build's own context.
  const scratch = build.nodeApp ? mkdtempSync(join(tmpdir(), 'nx-docker-stages-deps-')) : null;
  try {
    const started = Date.now();
    if (scratch) stageNodeDependencies(projectName, context.projectGraph, context.root, scratch);
    const client = await resolveBuildClient(build.docker);
    const { imageId } = await buildImage({
      projectName,
      workspaceRoot: context.root,
      options: { ...build, dockerfile, context: scratch ?? build.context ?? '.', target: stage },
      refs: [],
      client,
      // Only the result is told: the build's own output would repeat in docker-build's.
      onOutput: () => undefined,
    });
    // The cache keeps the layers; the untagged image would only linger in the image list.
    await removeImage(client, imageId);
    logger.info(`nx-docker-stages: ${projectName}: stage ${stage} prepared in the engine's build cache for ${buildTarget} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { success: true };
  } catch (e) {
    return skip((e as Error).message);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

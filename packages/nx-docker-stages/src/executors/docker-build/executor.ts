/**
 * docker-build: builds one app's runtime stage with BuildKit, tags it, and
 * records the image id. Runs the engine with an argument array (no shell),
 * streams its output, and on any failure says why, returns failure (so Nx
 * caches nothing) and leaves no metadata behind.
 */
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '../../nx-runtime';
import execa from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readAppDockerfile, targetDockerfile } from '../../nx/app-dockerfile';
import { baseImageOfStage } from '../../dockerfile/dockerfile-stages';
import { imageReferences } from '../../engine/build-argv';
import { credentialShapeOf } from '../../engine/secret-values';
import { GO_BUILD_ARGS, cgoMismatchProblem, goBuildArgs, goBuildSettingsProblem, hasGoBuildSettings, stampPlaceholdersIn } from '../../go/go-build-settings';
import { gitStamp } from '../../engine/git-stamp';
import { buildOptionProblem } from '../../engine/build-option-checks';
import { sharedImageReferences } from '../../engine/shared-image-references';
import { buildImage } from '../../engine/build-image';
import { BuildClient, resolveBuildClient } from '../../engine/docker-client';
import { EngineError } from '../../engine/engine-error';
import { archivePath, repoDigests, saveImage } from '../../engine/image-archive';
import { ImageMetadata, clearBuildResult, metadataPath, writeMetadata } from '../../engine/image-metadata';
import { stageNodeImageContext } from '../../nx/node-image-context';
import { isTaskInput } from '../../nx/task-inputs';
import { DOCKER_BUILD_EXECUTOR } from '../../nx/plugin-package';
import { imageArchiveFile, nodeImageContextDir } from '../../workspace/workspace-paths';
import { archiveDecision, sharedCacheSource } from './image-archive-policy';
import { DockerBuildExecutorSchema } from './schema';

export default async function dockerBuildExecutor(
  options: DockerBuildExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const projectName = context.projectName ?? 'unknown';
  const projectRoot = context.projectsConfigurations?.projects[projectName]?.root ?? '.';
  const dockerfile = targetDockerfile(projectRoot, options.dockerfile);
  const metadataFile = metadataPath(context.root, projectName);
  clearBuildResult(context.root, projectName);
  /** Where the time went, reported with the result: pruning, the engine build, push, archive. */
  const phases: Array<[string, number]> = [];
  const fail = (message: string) => {
    logger.error(`nx-docker-stages: ${message}`);
    return { success: false };
  };

  const problem = buildOptionProblem(projectName, { ...options, dockerfile }, (path) => existsSync(resolve(context.root, path)));
  if (problem) return fail(problem);
  const uncovered = dockerfileOutsideInputs(context, projectName, projectRoot, dockerfile);
  if (uncovered) return fail(uncovered);

  const checked = readAppDockerfile(context.root, dockerfile, options.target, projectName);
  if ('error' in checked) return fail(checked.error);

  let tags: string[];
  try {
    tags = imageReferences(projectName, options);
  } catch (e) {
    return fail((e as Error).message);
  }
  const clash = imageSharedWithAnotherProject(context, projectName, tags);
  if (clash) return fail(clash);

  const { goTags, goLdflags, goEnv, ...imageOptions } = options;
  let build = { ...imageOptions, dockerfile };
  const goSettings = { goTags, goLdflags, goEnv };
  const goProblem = goBuildSettingsProblem(projectName, { ...goSettings, buildArgs: options.buildArgs }, credentialShapeOf);
  if (goProblem) return fail(goProblem);
  const cgoProblem = cgoMismatchProblem(projectName, goEnv, dockerfile, checked.text);
  if (cgoProblem) return fail(cgoProblem);
  if (hasGoBuildSettings(goSettings)) {
    const missing = Object.values(GO_BUILD_ARGS).filter((arg) => !checked.buildArgs.includes(arg));
    if (missing.length) {
      return fail(
        `${projectName}: "goTags", "goLdflags" and "goEnv" are settings of the Go build stage nx-docker-stages generates, and ${dockerfile} declares no ARG ${missing.join(', ')}; ` +
          'run `nx sync` to bring its Go stages up to date, or remove those options (they are for Go apps)',
      );
    }
    try {
      // The stamp comes from the commit being built, not from the hash: metadata.json records the values, so a rebuild of this result gives this image.
      const stamp = await gitStamp(context.root, stampPlaceholdersIn(goLdflags));
      build = { ...build, buildArgs: { ...build.buildArgs, ...goBuildArgs(goSettings, stamp) } };
    } catch (e) {
      return fail(`${projectName}: ${(e as Error).message}`);
    }
  }
  if (options.nodeApp) {
    if (options.context !== undefined && options.context !== nodeImageContextDir(projectName)) {
      return fail(`${projectName}: the "context" option (${options.context}) cannot be used with "nodeApp", which stages the build context in ${nodeImageContextDir(projectName)}; remove "context"`);
    }
    try {
      if (!context.projectGraph) throw new Error(`${projectName}: Nx passed no project graph to the executor`);
      const started = Date.now();
      const staged = await stageNodeImageContext(projectName, context.projectGraph, context.root, options.nodeApp);
      phases.push(['stage', Date.now() - started]);
      build = { ...build, context: staged.context };
      logger.info(
        `nx-docker-stages: ${projectName}: staged ${staged.context}` +
          `${staged.entry ? ` (entry ${staged.entry})` : ''}${staged.libraries.length ? ` with ${staged.libraries.join(', ')}` : ''}`,
      );
      for (const note of staged.notes) logger.warn(`nx-docker-stages: ${projectName}: ${note}`);
    } catch (e) {
      return fail((e as Error).message);
    }
  }

  let client: BuildClient;
  try {
    client = await resolveBuildClient(options.docker);
  } catch (e) {
    return fail(`${projectName}: ${(e as Error).message}`);
  }

  let imageId: string;
  const buildStarted = Date.now();
  try {
    ({ imageId } = await buildImage({
      projectName,
      workspaceRoot: context.root,
      options: build,
      refs: tags,
      client,
      onOutput: (chunk, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
    }));
  } catch (e) {
    return fail((e as Error).message);
  }
  phases.push(['build', Date.now() - buildStarted]);

  // What was built, and how: a cache hit whose image the engine lacks (and that has no archive) is rebuilt from it.
  const metadata: ImageMetadata = { project: projectName, imageId, tags, build };
  const archive = archiveDecision(options, () => sharedCacheSource(context.nxJsonConfiguration, process.env, rootDependencies(context.root)));
  try {
    if (options.push) {
      const started = Date.now();
      for (const ref of tags) await run(client, ['push', ref], 'check the "registry" option, and that this machine is logged in to that registry (docker login)');
      phases.push(['push', Date.now() - started]);
      metadata.repoDigests = await repoDigests(client, imageId);
    }
    // The archive makes the image part of the cached result, so a cache hit on a machine
    // without the image can load it instead of building it again.
    if (archive.save) {
      // Only the app's own layers: the runtime base image's layers are left out when the engine has that base.
      const baseImage = baseImageOfStage(checked.stages, options.target) ?? undefined;
      const started = Date.now();
      const saved = await saveImage(client, tags, archivePath(context.root, projectName), { baseImage });
      phases.push(['archive', Date.now() - started]);
      metadata.archive = imageArchiveFile(projectName);
      if (saved.archiveBase) metadata.archiveBase = saved.archiveBase;
    }
  } catch (e) {
    return fail(`${projectName}: ${(e as Error).message}`);
  }
  try {
    writeMetadata(metadataFile, metadata);
  } catch (e) {
    // No result without its metadata: the archive goes too, so nothing of this run is cached or read.
    clearBuildResult(context.root, projectName);
    return fail(`${projectName}: ${(e as Error).message}`);
  }
  const archiveNote = archive.why === 'not-shared' ? '; no image archive, as no remote cache is configured (saveImage)' : '';
  logger.info(
    `nx-docker-stages: ${projectName} built ${imageId} as ${tags.join(', ')}${metadata.repoDigests?.length ? ` and pushed ${metadata.repoDigests.join(', ')}` : ''}` +
      ` (${phases.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}${archiveNote})`,
  );
  if (archive.why === 'shared') logger.info(`nx-docker-stages: ${projectName}: image archived for the shared cache (${archive.sharedCache})`);
  return { success: true };
}

/** The names of the root package.json's dependencies (a remote-cache package among them shares the cache); none when it cannot be read. */
function rootDependencies(root: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  } catch {
    return [];
  }
}

/** Runs one engine command after the build (push), streaming its output; throws an EngineError with its last line and `fix` on failure. */
async function run(client: BuildClient, argv: string[], fix: string): Promise<void> {
  const result = await execa(client.path, argv, { env: { ...process.env, ...client.env }, reject: false, all: true });
  process.stdout.write(result.all ? `${result.all}\n` : '');
  if (result.exitCode !== 0) {
    throw new EngineError(`docker ${argv.join(' ')} failed (exit code ${result.exitCode}): ${(result.all ?? '').trim().split('\n').pop()}; ${fix}`, result.all ?? '');
  }
}

/**
 * Another project whose docker-build tags one of this build's references: each build would replace
 * the other's image, and one metadata.json would name an image that is not its project's.
 */
function imageSharedWithAnotherProject(context: ExecutorContext, projectName: string, refs: string[]): string | undefined {
  const others = Object.values(context.projectGraph?.nodes ?? {}).flatMap((node) =>
    Object.values(node.data.targets ?? {})
      .filter((t) => t.executor === DOCKER_BUILD_EXECUTOR)
      .map((t) => ({ project: node.name, options: (t.options ?? {}) as DockerBuildExecutorSchema })),
  );
  const shared = sharedImageReferences(projectName, refs, others);
  if (!shared.length) return undefined;
  const { ref, project } = shared[0];
  return (
    `${projectName}: its image ${ref} is also the image of ${project}, whose build would replace it (and the metadata.json of one would name the other's image); ` +
    `set "imageName" (or "registry" or "tags") in the docker-build options of one of ${projectName} and ${project} so that they differ`
  );
}

/**
 * The Dockerfile must be among the task's inputs, or editing it would not change the hash and a
 * cache hit would give the image built from its old content. The inferred target covers its own
 * (`{projectRoot}/**\/*`); a `dockerfile` option pointing elsewhere needs an input of its own.
 */
function dockerfileOutsideInputs(context: ExecutorContext, projectName: string, projectRoot: string, dockerfile: string): string | undefined {
  const node = context.projectGraph?.nodes[projectName];
  const target = context.targetName ? node?.data.targets?.[context.targetName] : undefined;
  if (!node || !target) return undefined;
  const namedInputs = { ...context.nxJsonConfiguration?.namedInputs, ...node.data.namedInputs };
  if (isTaskInput(dockerfile, target.inputs, namedInputs, projectRoot)) return undefined;
  return (
    `${projectName}: ${dockerfile}, the Dockerfile this build reads, is not among the inputs of its "${context.targetName}" target, so editing it would not change the task's hash ` +
    `and the Nx cache would give the image built from its old content; add "{workspaceRoot}/${dockerfile}" to the target's "inputs" (in the project's configuration or in nx.json targetDefaults)`
  );
}

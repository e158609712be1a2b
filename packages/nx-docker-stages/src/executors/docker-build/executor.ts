/**
 * docker-build: builds one app's runtime stage with BuildKit, tags it, and
 * records the image id. Runs the engine with an argument array (no shell),
 * streams its output, and on any failure says why, returns failure (so Nx
 * caches nothing) and leaves no metadata behind.
 */
import { ExecutorContext, logger } from '@nx/devkit';
import execa from 'execa';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildArgv, imageReferences } from '../../engine/build-argv';
import { explainBuildFailure } from '../../engine/build-failure';
import { resolveBuildClient } from '../../engine/docker-client';
import { ImageMetadata, clearMetadata, metadataPath, writeMetadata } from '../../engine/image-metadata';
import { archivePath, repoDigests, saveImage } from '../../engine/image-archive';
import { BuildClient } from '../../engine/docker-client';
import { prunedDependenciesDir } from '../../docker/render-node-stages';
import { appDockerfilePath } from '../../docker/render-dockerfile';
import { Stage, baseImageOfStage, dockerfileStages, hasStage } from '../../docker/dockerfile-stages';
import { writePrunedDependencies } from '../../node/prune-dependencies';
import { DockerBuildExecutorSchema } from './schema';

/** How much of the engine's output is kept to explain a failure. */
const OUTPUT_TAIL = 256 * 1024;

export default async function dockerBuildExecutor(
  options: DockerBuildExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const projectName = context.projectName ?? 'unknown';
  const projectRoot = context.projectsConfigurations?.projects[projectName]?.root ?? '.';
  const dockerfile = options.dockerfile ?? appDockerfilePath(projectRoot, 'Dockerfile');
  const metadataFile = metadataPath(context.root, projectName);
  clearMetadata(metadataFile);
  rmSync(archivePath(context.root, projectName), { force: true });
  /** Where the time went, reported with the result: pruning, the engine build, push, archive. */
  const phases: Array<[string, number]> = [];
  const fail = (message: string) => {
    logger.error(`nx-docker-stages: ${message}`);
    return { success: false };
  };

  const checked = readDockerfile(context.root, dockerfile, options.target, projectName);
  if ('error' in checked) return fail(checked.error);

  let tags: string[];
  try {
    tags = imageReferences(projectName, options);
  } catch (e) {
    return fail((e as Error).message);
  }

  if (options.pruneDependencies) {
    try {
      if (!context.projectGraph) throw new Error(`${projectName}: Nx passed no project graph to the executor`);
      const started = Date.now();
      writePrunedDependencies(projectName, context.projectGraph, context.root, join(context.root, prunedDependenciesDir(projectName)));
      phases.push(['prune', Date.now() - started]);
    } catch (e) {
      return fail((e as Error).message);
    }
  }

  const choice = await resolveBuildClient(options.docker);
  if ('error' in choice) return fail(`${projectName}: ${choice.error}`);
  const { client } = choice;

  const scratch = mkdtempSync(join(tmpdir(), 'nx-docker-stages-'));
  try {
    const iidFile = join(scratch, 'iid');
    const buildDockerfile = copyForBuild(join(context.root, dockerfile), scratch, options.target);
    let argv: string[];
    try {
      const dockerfileOption = relative(context.root, buildDockerfile);
      argv = buildArgv({ projectName, workspaceRoot: context.root, options: { ...options, dockerfile: dockerfileOption }, buildCommand: client.buildCommand, iidFile });
    } catch (e) {
      return fail((e as Error).message);
    }
    logger.info(`nx-docker-stages: ${client.path} ${argv.join(' ')}`);
    const buildStarted = Date.now();
    const child = execa(client.path, argv, {
      cwd: context.root,
      env: { ...process.env, ...client.env },
      reject: false,
      stdin: 'ignore',
      buffer: false,
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    // Ctrl-C or SIGTERM from Nx must not leave a build running in the engine.
    const stop = () => child.kill('SIGTERM', { forceKillAfterTimeout: 5_000 });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const result = await child;
    phases.push(['build', Date.now() - buildStarted]);
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);

    if (result.exitCode !== 0 || !existsSync(iidFile)) {
      return fail(explainBuildFailure(tail, result.exitCode, { projectName, dockerfile, target: options.target }));
    }
    const imageId = readFileSync(iidFile, 'utf8').trim();
    const metadata: ImageMetadata = { project: projectName, imageId, tags, target: options.target, dockerfile };
    try {
      if (options.push) {
        const started = Date.now();
        for (const ref of tags) await run(client, ['push', ref]);
        phases.push(['push', Date.now() - started]);
        metadata.repoDigests = await repoDigests(client, imageId);
      }
      // The archive makes the image part of the cached result, so a cache hit on a machine
      // without the image can load it instead of leaving it missing.
      if (options.saveImage ?? !options.push) {
        // Only the app's own layers: the runtime base image's layers are left out when the engine has that base.
        const baseImage = baseImageOfStage(checked.stages, options.target) ?? undefined;
        const started = Date.now();
        const saved = await saveImage(client, tags, archivePath(context.root, projectName), { baseImage });
        phases.push(['archive', Date.now() - started]);
        metadata.archive = relative(context.root, archivePath(context.root, projectName));
        if (saved.archiveBase) metadata.archiveBase = saved.archiveBase;
      }
    } catch (e) {
      return fail(`${projectName}: ${(e as Error).message}`);
    }
    writeMetadata(metadataFile, metadata);
    logger.info(
      `nx-docker-stages: ${projectName} built ${imageId} as ${tags.join(', ')}${metadata.repoDigests?.length ? ` and pushed ${metadata.repoDigests.join(', ')}` : ''}` +
        ` (${phases.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')})`,
    );
    return { success: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Dockerfile the engine reads: a copy under a name of its own. BuildKit keeps the Dockerfile it
 * received under its file name between builds and re-sends only what changed by size and time, so
 * two apps' Dockerfiles of the same name (every app's is `Dockerfile`) can be read as each other
 * (moby/buildkit#1368; seen here as "target stage … could not be found" in parallel runs). A
 * `<Dockerfile>.dockerignore` beside it goes along, as BuildKit looks for it next to the file.
 */
function copyForBuild(dockerfile: string, scratch: string, target: string): string {
  const copy = join(scratch, `${target.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${randomBytes(4).toString('hex')}.Dockerfile`);
  copyFileSync(dockerfile, copy);
  if (existsSync(`${dockerfile}.dockerignore`)) copyFileSync(`${dockerfile}.dockerignore`, `${copy}.dockerignore`);
  return copy;
}

/** Runs one engine command after the build (push), streaming its output; throws with its output on failure. */
async function run(client: BuildClient, argv: string[]): Promise<void> {
  const result = await execa(client.path, argv, { env: { ...process.env, ...client.env }, reject: false, all: true });
  process.stdout.write(result.all ? `${result.all}\n` : '');
  if (result.exitCode !== 0) throw new Error(`docker ${argv.join(' ')} failed (exit code ${result.exitCode}): ${(result.all ?? '').trim().split('\n').pop()}`);
}

/** The Dockerfile's stages; fails early, with the fix, when the Dockerfile or the app's stage is missing. */
function readDockerfile(root: string, dockerfile: string, target: string, projectName: string): { stages: Stage[] } | { error: string } {
  if (!target) return { error: `${projectName}: the "target" option (the stage to build) is not set` };
  const path = join(root, dockerfile);
  if (!existsSync(path)) {
    return { error: `${projectName}: ${dockerfile} not found; run \`nx g nx-docker-stages:setup\` to generate it` };
  }
  const stages = dockerfileStages(readFileSync(path, 'utf8'));
  if (!hasStage(stages, target)) {
    return { error: `${projectName}: ${dockerfile} has no stage "${target}"; run \`nx g nx-docker-stages:setup\` to add the app's stages` };
  }
  return { stages };
}

/**
 * After every Nx run: each docker-build result that came from the cache
 * (local or remote) must leave its image usable. A pushed image is in its
 * registry; otherwise the engine must hold it: it is loaded from the archive
 * in the cache entry, or, when the entry has none, built again from the same
 * inputs with the options the entry records; then tagged as the build tagged
 * it. When it cannot be, the run says so and fails rather than pretending the
 * image exists.
 */
import { logger } from '../nx-runtime';
import execa from 'execa';
import pLimit from 'p-limit';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { isMissingLayerFile, missingBaseMessage } from '../engine/archive-base';
import { ImageLoadError, archivePath, imageExists, imagesHeld, loadImage } from '../engine/image-archive';
import { cachedImageAction } from '../engine/cached-image';
import { BuildClient, resolveBuildClient } from '../engine/docker-client';
import { ImageMetadata, metadataPath, readMetadata, writeMetadata } from '../engine/image-metadata';
import { buildImage } from '../engine/build-image';

/** Images built again at once (Nx's default --parallel); BuildKit shares their common stages. */
const REBUILDS_AT_ONCE = 3;

/** Lines of a failed rebuild's engine output shown with its error. */
const FAILED_OUTPUT_LINES = 30;

/** A pull of a runtime base image; bounded so that a registry that never answers cannot hang the run. */
const PULL_TIMEOUT_MS = 10 * 60 * 1000;

const CACHE_HIT = new Set(['local-cache', 'remote-cache', 'local-cache-kept-existing']);

export interface TaskOutcome {
  task: { target: { project: string; target: string } };
  status: string;
}

/** The projects whose docker-build results Nx took from a cache in this run. */
export function cachedDockerBuilds(taskResults: Record<string, TaskOutcome>, targetName: string): string[] {
  return Object.values(taskResults)
    .filter((r) => r.task.target.target === targetName && CACHE_HIT.has(r.status))
    .map((r) => r.task.target.project)
    .sort();
}

/** Makes each cached image usable; returns the messages of those that cannot be. */
export async function restoreCachedImages(workspaceRoot: string, projects: string[], targetName: string): Promise<string[]> {
  if (projects.length === 0) return [];
  // Not one of ours, or an older result without metadata: nothing to restore.
  const cached = projects
    .map((project) => ({ project, metadata: readMetadata(metadataPath(workspaceRoot, project)) }))
    .filter((c): c is { project: string; metadata: ImageMetadata } => c.metadata !== null);
  if (cached.length === 0) return [];
  const choice = await resolveBuildClient();
  if ('error' in choice) return [`${cached[0].project}: cannot check the cached image: ${choice.error}`];
  const { client } = choice;
  const held = await imagesHeld(
    client,
    cached.filter((c) => !c.metadata.repoDigests?.length).map((c) => c.metadata.imageId),
  );
  const problems: string[] = [];
  const rebuilds: Array<{ project: string; metadata: ImageMetadata; build: NonNullable<ImageMetadata['build']> }> = [];
  for (const { project, metadata } of cached) {
    const archive = archivePath(workspaceRoot, project);
    const action = cachedImageAction(project, targetName, metadata, held.has(metadata.imageId), existsSync(archive));
    if (action.kind === 'pushed') continue;
    if (action.kind === 'missing') {
      problems.push(action.message);
      continue;
    }
    if (action.kind === 'rebuild') {
      rebuilds.push({ project, metadata, build: action.build });
      continue;
    }
    if (action.kind === 'load') {
      logger.info(`nx-docker-stages: ${project}: loading the cached image ${metadata.imageId} from ${metadata.archive ?? archive}`);
      const problem = await loadCachedImage(client, workspaceRoot, project, targetName, metadata, archive);
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (!(await imageExists(client, metadata.imageId))) {
        problems.push(`${project}: the image archive in the cache entry does not hold ${metadata.imageId}; build again with --skip-nx-cache`);
        continue;
      }
    }
    // The tags must name the cached image, even if another build moved them since.
    const tagged = held.get(metadata.imageId) ?? [];
    for (const ref of metadata.tags.filter((t) => !tagged.includes(t))) await execa(client.path, ['tag', metadata.imageId, ref]);
  }
  const atOnce = pLimit(REBUILDS_AT_ONCE);
  const failedRebuilds = await Promise.all(rebuilds.map((r) => atOnce(() => rebuildCachedImage(client, workspaceRoot, r.project, targetName, r.metadata, r.build))));
  return [...problems, ...failedRebuilds.filter((p): p is string => p !== undefined)];
}

/**
 * Builds a cached result's image again: its inputs are the ones the cache entry was built from, so
 * BuildKit's cache usually makes this a matter of seconds. The build tags it; metadata.json is
 * brought up to date when the engine's id differs (a build on another engine). Returns why it
 * failed, or undefined.
 */
async function rebuildCachedImage(
  defaultClient: BuildClient,
  workspaceRoot: string,
  project: string,
  targetName: string,
  metadata: ImageMetadata,
  build: NonNullable<ImageMetadata['build']>,
): Promise<string | undefined> {
  const failed = (why: string) => `${project}: the engine does not hold the cached image ${metadata.imageId} and building it again failed: ${why}`;
  logger.info(`nx-docker-stages: ${project}: the engine does not hold the cached image ${metadata.imageId} and the cache entry has no archive; building it again from the same inputs`);
  let client = defaultClient;
  if (build.docker) {
    const choice = await resolveBuildClient(build.docker);
    if ('error' in choice) return failed(choice.error);
    client = choice.client;
  }
  const started = Date.now();
  let result: Awaited<ReturnType<typeof buildImage>>;
  try {
    result = await buildImage({ projectName: project, workspaceRoot, options: build, client, onOutput: () => undefined });
  } catch (e) {
    return failed((e as Error).message);
  }
  if ('error' in result) {
    const tail = result.output.trimEnd().split('\n').slice(-FAILED_OUTPUT_LINES).join('\n');
    if (tail) logger.info(tail);
    return `${failed(result.error)} Build it with: nx run ${project}:${targetName} --skip-nx-cache`;
  }
  if (result.imageId !== metadata.imageId) writeMetadata(metadataPath(workspaceRoot, project), { ...metadata, imageId: result.imageId });
  logger.info(`nx-docker-stages: ${project}: built again as ${result.imageId} (${metadata.tags.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return undefined;
}

/**
 * Loads the archive; returns why it cannot be, or undefined. An archive that leaves out its base
 * image's layers loads only where the engine has them: when it does not have the base image, the
 * base is pulled once (it may come from a registry) and the load tried again.
 */
async function loadCachedImage(
  client: BuildClient,
  workspaceRoot: string,
  project: string,
  targetName: string,
  metadata: ImageMetadata,
  archive: string,
): Promise<string | undefined> {
  const shownArchive = metadata.archive ?? relative(workspaceRoot, archive);
  const failed = (e: unknown) =>
    `${project}: cannot load the cached image ${metadata.imageId} from ${shownArchive}: ${engineMessage(e)}; ` +
    `build it again with: nx run ${project}:${targetName} --skip-nx-cache`;
  let first: unknown;
  try {
    await loadImage(client, archive);
    return undefined;
  } catch (e) {
    first = e;
  }
  const base = metadata.archiveBase;
  if (!base) return failed(first);
  const context = { project, targetName, archive: shownArchive, baseImage: base };
  const engineHasBase = await imageExists(client, base);
  if (engineHasBase) return isMissingLayerFile(engineMessage(first)) ? missingBaseMessage(context, { kind: 'differs' }) : failed(first);
  logger.info(`nx-docker-stages: ${project}: the image archive leaves out the layers of ${base}, which this engine does not have; pulling ${base}`);
  const pull = await execa(client.path, ['pull', base], { reject: false, timeout: PULL_TIMEOUT_MS });
  if (pull.exitCode !== 0) {
    const pullError = lastLine(pull.stderr) || (pull.timedOut ? `no answer within ${PULL_TIMEOUT_MS / 60_000} minutes` : `exit code ${pull.exitCode}`);
    return missingBaseMessage(context, { kind: 'pull-failed', pullError });
  }
  try {
    await loadImage(client, archive);
    return undefined;
  } catch (e) {
    return isMissingLayerFile(engineMessage(e)) ? missingBaseMessage(context, { kind: 'pulled-differs' }) : failed(e);
  }
}

function engineMessage(e: unknown): string {
  return e instanceof ImageLoadError ? e.engineMessage : (e as Error).message;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

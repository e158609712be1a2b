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
import { isMissingLayerFile, missingBaseMessage } from './archive-base';
import { buildImage } from './build-image';
import { cachedImageAction } from './cached-image';
import { BuildClient, resolveBuildClient } from './docker-client';
import { EngineError } from './engine-error';
import { ImageLoadError, archivePath, imageExists, imagesHeld, loadImage } from './image-archive';
import { ResolvedImageBuildOptions } from './image-build-options';
import { ImageMetadata, metadataPath, readMetadata, writeMetadata } from './image-metadata';

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

/**
 * The projects whose docker-build failed before or during the executor (Nx's schema check, a
 * failed dependency that skipped it): their previous metadata.json must not stay, or it would name
 * an image this run did not build (an artifact upload after a failed run would report it).
 */
export function unbuiltDockerBuilds(taskResults: Record<string, TaskOutcome>, targetName: string): string[] {
  return Object.values(taskResults)
    .filter((r) => r.task.target.target === targetName && (r.status === 'failure' || r.status === 'skipped'))
    .map((r) => r.task.target.project)
    .sort();
}

/** The projects whose docker-build results Nx took from a cache in this run. */
export function cachedDockerBuilds(taskResults: Record<string, TaskOutcome>, targetName: string): string[] {
  return Object.values(taskResults)
    .filter((r) => r.task.target.target === targetName && CACHE_HIT.has(r.status))
    .map((r) => r.task.target.project)
    .sort();
}

/**
 * Makes each cached image usable; returns the messages of those that cannot be (the engine's
 * errors, one per project, for the Nx adapter to report).
 */
export async function restoreCachedImages(workspaceRoot: string, projects: string[], targetName: string): Promise<string[]> {
  if (projects.length === 0) return [];
  // Not one of ours, or an older result without metadata: nothing to restore.
  const cached = projects
    .map((project) => ({ project, metadata: readMetadata(metadataPath(workspaceRoot, project)) }))
    .filter((c): c is { project: string; metadata: ImageMetadata } => c.metadata !== null);
  if (cached.length === 0) return [];
  let client: BuildClient;
  try {
    client = await resolveBuildClient();
  } catch (e) {
    return [`${cached[0].project}: cannot check the cached image: ${(e as Error).message}`];
  }
  const held = await imagesHeld(
    client,
    cached.filter((c) => !c.metadata.repoDigests?.length).map((c) => c.metadata.imageId),
  );
  const problems: string[] = [];
  const rebuilds: Array<{ project: string; metadata: ImageMetadata; build: ResolvedImageBuildOptions; why: string }> = [];
  for (const { project, metadata } of cached) {
    const archive = archivePath(workspaceRoot, project);
    const action = cachedImageAction(project, targetName, metadata, held.has(metadata.imageId), existsSync(archive));
    if (action.kind === 'pushed') continue;
    if (action.kind === 'missing') {
      problems.push(action.message);
      continue;
    }
    if (action.kind === 'rebuild') {
      rebuilds.push({ project, metadata, build: action.build, why: 'the cache entry has no archive' });
      continue;
    }
    if (action.kind === 'load') {
      logger.info(`nx-docker-stages: ${project}: loading the cached image ${metadata.imageId} from ${metadata.archive ?? archive}`);
      let unloadable: string | undefined;
      try {
        await loadCachedImage(client, workspaceRoot, project, targetName, metadata, archive);
        if (!(await imageExists(client, metadata.imageId))) unloadable = `${project}: the image archive in the cache entry does not hold ${metadata.imageId}; build again with --skip-nx-cache`;
      } catch (e) {
        unloadable = (e as Error).message;
      }
      if (unloadable !== undefined) {
        // A corrupt or foreign archive: build the image again from the options the entry records, as without an archive.
        if (metadata.build) {
          logger.info(`nx-docker-stages: ${project}: the image archive in the cache entry cannot be used (${unloadable}); building the image again from the same inputs instead`);
          rebuilds.push({ project, metadata, build: metadata.build, why: 'its archive cannot be loaded' });
        } else {
          problems.push(unloadable);
        }
        continue;
      }
    }
    // The tags must name the cached image, even if another build moved them since.
    const tagged = held.get(metadata.imageId) ?? [];
    for (const ref of metadata.tags.filter((t) => !tagged.includes(t))) await execa(client.path, ['tag', metadata.imageId, ref]);
  }
  const atOnce = pLimit(REBUILDS_AT_ONCE);
  const failedRebuilds = await Promise.all(
    rebuilds.map((r) =>
      atOnce(() => rebuildCachedImage(client, workspaceRoot, r.project, targetName, r.metadata, r.build, r.why).then(() => undefined, (e: Error) => e.message)),
    ),
  );
  return [...problems, ...failedRebuilds.filter((p): p is string => p !== undefined)];
}

/**
 * Builds a cached result's image again: its inputs are the ones the cache entry was built from, so
 * BuildKit's cache usually makes this a matter of seconds. The build tags it with the references
 * the entry records; metadata.json is brought up to date when the engine's id differs (a build on
 * another engine). Throws an EngineError saying why it failed.
 */
async function rebuildCachedImage(
  defaultClient: BuildClient,
  workspaceRoot: string,
  project: string,
  targetName: string,
  metadata: ImageMetadata,
  build: ResolvedImageBuildOptions,
  why: string,
): Promise<void> {
  const failed = (why: string) => `${project}: the engine does not hold the cached image ${metadata.imageId} and building it again failed: ${why}`;
  logger.info(`nx-docker-stages: ${project}: the engine does not hold the cached image ${metadata.imageId} and ${why}; building it again from the same inputs`);
  const started = Date.now();
  let client = defaultClient;
  try {
    if (build.docker) client = await resolveBuildClient(build.docker);
  } catch (e) {
    throw new EngineError(failed((e as Error).message));
  }
  let imageId: string;
  try {
    ({ imageId } = await buildImage({ projectName: project, workspaceRoot, options: build, refs: metadata.tags, client, onOutput: () => undefined }));
  } catch (e) {
    if (!(e instanceof EngineError)) throw new EngineError(failed((e as Error).message));
    const tail = e.output.trimEnd().split('\n').slice(-FAILED_OUTPUT_LINES).join('\n');
    if (tail) logger.info(tail);
    throw new EngineError(`${failed(e.message)} Build it with: nx run ${project}:${targetName} --skip-nx-cache`);
  }
  if (imageId !== metadata.imageId) writeMetadata(metadataPath(workspaceRoot, project), { ...metadata, imageId });
  logger.info(`nx-docker-stages: ${project}: built again as ${imageId} (${metadata.tags.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Loads the archive; throws an EngineError saying why it cannot be. An archive that leaves out its
 * base image's layers loads only where the engine has them: when it does not have the base image,
 * the base is pulled once (it may come from a registry) and the load tried again.
 */
async function loadCachedImage(
  client: BuildClient,
  workspaceRoot: string,
  project: string,
  targetName: string,
  metadata: ImageMetadata,
  archive: string,
): Promise<void> {
  const shownArchive = metadata.archive ?? relative(workspaceRoot, archive);
  const failed = (e: unknown) =>
    new EngineError(
      `${project}: cannot load the cached image ${metadata.imageId} from ${shownArchive}: ${engineMessage(e)}; ` +
        `build it again with: nx run ${project}:${targetName} --skip-nx-cache`,
    );
  let first: unknown;
  try {
    await loadImage(client, archive);
    return;
  } catch (e) {
    first = e;
  }
  const base = metadata.archiveBase;
  if (!base) throw failed(first);
  const context = { project, targetName, archive: shownArchive, baseImage: base };
  const missingBase = (why: Parameters<typeof missingBaseMessage>[1]) => new EngineError(missingBaseMessage(context, why));
  const engineHasBase = await imageExists(client, base);
  if (engineHasBase) throw isMissingLayerFile(engineMessage(first)) ? missingBase({ kind: 'differs' }) : failed(first);
  logger.info(`nx-docker-stages: ${project}: the image archive leaves out the layers of ${base}, which this engine does not have; pulling ${base}`);
  const pull = await execa(client.path, ['pull', base], { reject: false, timeout: PULL_TIMEOUT_MS });
  if (pull.exitCode !== 0) {
    const pullError = lastLine(pull.stderr) || (pull.timedOut ? `no answer within ${PULL_TIMEOUT_MS / 60_000} minutes` : `exit code ${pull.exitCode}`);
    throw missingBase({ kind: 'pull-failed', pullError });
  }
  try {
    await loadImage(client, archive);
  } catch (e) {
    throw isMissingLayerFile(engineMessage(e)) ? missingBase({ kind: 'pulled-differs' }) : failed(e);
  }
}

function engineMessage(e: unknown): string {
  return e instanceof ImageLoadError ? e.engineMessage : (e as Error).message;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

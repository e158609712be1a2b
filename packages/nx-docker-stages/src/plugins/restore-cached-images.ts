/**
 * After every Nx run: each docker-build result that came from the cache
 * (local or remote) must leave its image usable. A pushed image is in its
 * registry; otherwise the engine must hold it: it is loaded from the archive
 * in the cache entry, and tagged as the build tagged it. When it cannot be,
 * the run says so and fails rather than pretending the image exists.
 */
import { logger } from '@nx/devkit';
import execa from 'execa';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { isMissingLayerFile, missingBaseMessage } from '../engine/archive-base';
import { ImageLoadError, archivePath, imageExists, imagesHeld, loadImage } from '../engine/image-archive';
import { cachedImageAction } from '../engine/cached-image';
import { BuildClient, resolveBuildClient } from '../engine/docker-client';
import { ImageMetadata, metadataPath, readMetadata } from '../engine/image-metadata';

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
  for (const { project, metadata } of cached) {
    const archive = archivePath(workspaceRoot, project);
    const action = cachedImageAction(project, targetName, metadata, held.has(metadata.imageId), existsSync(archive));
    if (action.kind === 'pushed') continue;
    if (action.kind === 'missing') {
      problems.push(action.message);
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
  return problems;
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

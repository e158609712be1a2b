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
import { archivePath, imageExists, loadImage } from '../engine/image-archive';
import { cachedImageAction } from '../engine/cached-image';
import { BuildClient, resolveBuildClient } from '../engine/docker-client';
import { metadataPath, readMetadata } from '../engine/image-metadata';

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
  let client: BuildClient | null = null;
  const problems: string[] = [];
  for (const project of projects) {
    const metadata = readMetadata(metadataPath(workspaceRoot, project));
    if (!metadata) continue; // not one of ours, or an older result without metadata
    if (!client) {
      const choice = await resolveBuildClient();
      if ('error' in choice) return [`${project}: cannot check the cached image: ${choice.error}`];
      client = choice.client;
    }
    const archive = archivePath(workspaceRoot, project);
    const action = cachedImageAction(project, targetName, metadata, await imageExists(client, metadata.imageId), existsSync(archive));
    if (action.kind === 'pushed') continue;
    if (action.kind === 'missing') {
      problems.push(action.message);
      continue;
    }
    if (action.kind === 'load') {
      logger.info(`nx-docker-stages: ${project}: loading the cached image ${metadata.imageId} from ${metadata.archive ?? archive}`);
      await loadImage(client, archive);
      if (!(await imageExists(client, metadata.imageId))) {
        problems.push(`${project}: the image archive in the cache entry does not hold ${metadata.imageId}; build again with --skip-nx-cache`);
        continue;
      }
    }
    // The tags must name the cached image, even if another build moved them since.
    for (const ref of metadata.tags) await execa(client.path, ['tag', metadata.imageId, ref]);
  }
  return problems;
}

/**
 * What a cache hit of docker-build must do so that the image it names is
 * really there: nothing, re-tag it, load it from the archive the cache entry
 * holds, build it again from the options it records (without an archive), or,
 * for a result that records neither, say clearly that it is gone. Pure
 * decision, separate from the engine calls that act on it.
 */
import { ResolvedImageBuildOptions } from './image-build-options';
import { ImageMetadata } from './image-metadata';

export type CachedImageAction =
  | { kind: 'pushed' }
  | { kind: 'present' }
  | { kind: 'load' }
  | { kind: 'rebuild'; build: ResolvedImageBuildOptions }
  | { kind: 'missing'; message: string };

export function cachedImageAction(
  projectName: string,
  targetName: string,
  metadata: ImageMetadata,
  engineHasImage: boolean,
  archiveExists: boolean,
): CachedImageAction {
  // A pushed image lives in its registry by digest; the local engine need not hold it.
  if (metadata.repoDigests?.length) return { kind: 'pushed' };
  if (engineHasImage) return { kind: 'present' };
  if (archiveExists) return { kind: 'load' };
  // Nx restored it because its inputs are the ones it was built from: building them again gives the same image.
  if (metadata.build) return { kind: 'rebuild', build: metadata.build };
  return {
    kind: 'missing',
    message:
      `${projectName}: the Nx cache restored ${targetName} (image ${metadata.imageId}, ${metadata.tags.join(', ')}), ` +
      'but the engine does not hold that image, and the cache entry has neither an image archive nor the options it was built with. ' +
      `Build it again with: nx run ${projectName}:${targetName} --skip-nx-cache`,
  };
}

import type { ImageBuildOptions } from '../../engine/image-build-options';

/** The docker-build executor's options: one engine build (see ImageBuildOptions) and what happens around it. */
export interface DockerBuildExecutorSchema extends ImageBuildOptions {
  /** Write the app's pruned production manifest and lockfile to dist/docker/<project>/deps before building (Node apps). */
  pruneDependencies?: boolean;
  /** Push every tag to its registry after the build and record the digests. */
  push?: boolean;
  /** Save the image to dist/docker/<project>/image.tar.gz so a cache hit elsewhere can load it (default: when the Nx cache is shared and not pushing). */
  saveImage?: boolean;
}

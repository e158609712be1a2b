import type { ImageBuildOptions } from '../../engine/image-build-options';
import type { NodeAppOption } from '../../nx/node-image-context';

/** The docker-build executor's options: one engine build (see ImageBuildOptions) and what happens around it. */
export interface DockerBuildExecutorSchema extends ImageBuildOptions {
  /** Stage a Node app's build context (its runtime files, libraries and pruned dependencies) before building; set by the inferred target of a Node app. */
  nodeApp?: NodeAppOption & { packageFiles?: boolean };
  /** Push every tag to its registry after the build and record the digests. */
  push?: boolean;
  /** Go apps: build tags (`go build -tags`). */
  goTags?: string[];
  /** Go apps: extra linker flags after `-s -w`; `{sha}`, `{shortSha}` and `{describe}` are filled in from the commit when the task runs. */
  goLdflags?: string;
  /** Go apps: extra environment of `go build` (GOEXPERIMENT, GOAMD64, GOFLAGS, ...). */
  goEnv?: Record<string, string>;
  /** Save the image to dist/docker/<project>/image.tar.gz so a cache hit elsewhere can load it (default: when the Nx cache is shared and not pushing). */
  saveImage?: boolean;
}

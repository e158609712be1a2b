export interface DockerBuildExecutorSchema {
  /** Workspace-relative path of the Dockerfile; default: the project root's Dockerfile. */
  dockerfile?: string;
  /** The stage to build: the app's runtime stage. */
  target: string;
  /** Image name without registry or tag; default: the project name, lower-cased. */
  imageName?: string;
  /** Registry (and namespace) prefix, e.g. `registry.example.com/team`. */
  registry?: string;
  /** Tags to apply; default `["latest"]`. */
  tags?: string[];
  /** Network mode of RUN steps (`--network`): `default`, `host` or `none`. */
  network?: string;
  /** `--build-arg` values. Never put secrets here: they end up in the image history. */
  buildArgs?: Record<string, string>;
  /** BuildKit secrets, mounted only into RUN steps that ask for them. */
  secrets?: Array<{ id: string; src?: string; env?: string }>;
  /** `--label` values. */
  labels?: Record<string, string>;
  /** Target platform, e.g. `linux/amd64`. */
  platform?: string;
  /** Always try to pull newer base images (`--pull`). */
  pull?: boolean;
  /** Build without the engine's layer cache (`--no-cache`). */
  noCache?: boolean;
  /** Write the app's pruned production manifest and lockfile to dist/docker/<project>/deps before building (Node apps). */
  pruneDependencies?: boolean;
  /** Push every tag to its registry after the build and record the digests. */
  push?: boolean;
  /** Save the image to dist/docker/<project>/image.tar.gz so a cache hit elsewhere can load it (default: when the Nx cache is shared and not pushing). */
  saveImage?: boolean;
  /** Path of the docker client; default: probe `docker` on PATH, then `/usr/bin/docker`. */
  docker?: string;
}

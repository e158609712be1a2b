/**
 * How one image is built: the options of one engine build, owned by the engine. The docker-build
 * executor's options extend them; metadata.json records them, so that a cache hit whose image the
 * engine lacks can be built again from the same options.
 */
export interface ImageBuildOptions {
  /** Workspace-relative path of the Dockerfile. */
  dockerfile?: string;
  /** Workspace-relative build context; default: the workspace root. */
  context?: string;
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
  /** Path of the docker client; default: probe `docker` on PATH, then `/usr/bin/docker`. */
  docker?: string;
}

/** The options with the Dockerfile resolved to its workspace-relative path: what a build runs with. */
export type ResolvedImageBuildOptions = ImageBuildOptions & { dockerfile: string };

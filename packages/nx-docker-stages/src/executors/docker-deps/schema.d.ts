/** The docker-deps executor's options: which docker-build target's dependencies stage to prepare. */
export interface DockerDepsExecutorSchema {
  /** The project's docker-build target (its options are the build's: Dockerfile, network, secrets, platform, client). */
  buildTarget: string;
  /** The stage to build into the cache: `<app>-deps` by default (a Node app); a Go app's base stage. */
  stage?: string;
}

export interface SetupGeneratorSchema {
  /** Toolchain image of the Go base and build stages. */
  goImage?: string;
  /** Image of the Go runtime stages (`scratch` allowed). */
  goRuntimeImage?: string;
  /** Toolchain image of the Node base, build and dependency stages (with npm). */
  nodeImage?: string;
  /** Image of the Node runtime stages (with node on the PATH). */
  nodeRuntimeImage?: string;
  /** File name of the Dockerfile generated in each app's project root. */
  dockerfile?: string;
  /** Name of the inferred target that builds an app's image. */
  targetName?: string;
  /** Replace managed blocks even where a person edited them. */
  force?: boolean;
}

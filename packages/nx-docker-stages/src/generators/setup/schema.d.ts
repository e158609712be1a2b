import type { DockerStagesPluginOptions } from '../../nx/plugin-options';

/** The setup generator's flags: the plugin's options (stored in nx.json) and `force`. */
export interface SetupGeneratorSchema extends DockerStagesPluginOptions {
  /** Replace managed blocks even where a person edited them. */
  force?: boolean;
}

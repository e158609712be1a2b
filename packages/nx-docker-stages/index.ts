import type { Tree } from '@nx/devkit';
import type { SetupGeneratorSchema } from './src/generators/setup/schema';

export { createNodes, createNodesV2, createDependencies, postTasksExecution } from './src/nx/plugin';

/**
 * The setup generator, for programmatic use. Loaded when called: Nx loads this module in every
 * command for inference, which never runs a generator.
 */
export async function setupGenerator(tree: Tree, schema: SetupGeneratorSchema): Promise<void> {
  const { setupGenerator: generate } = await import('./src/generators/setup/generator');
  return generate(tree, schema);
}

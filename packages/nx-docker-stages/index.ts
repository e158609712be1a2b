export { createNodes, createNodesV2, createDependencies } from './src/plugins/plugin';
export { setupGenerator } from './src/generators/setup/generator';

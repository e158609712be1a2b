export { createNodes, createNodesV2, createDependencies, postTasksExecution } from './src/plugins/plugin';
export { setupGenerator } from './src/generators/setup/generator';

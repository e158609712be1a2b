/**
 * What the plugin's graph, executor and cache-restore code use of Nx at run time, taken from Nx's
 * devkit exports, the module @nx/devkit re-exports them from. @nx/devkit's own index also loads its
 * generator helpers (and, through them, Nx's internals and semver): 100 ms more than these
 * exports' 43 ms in every plugin worker and every task process (measured on a 2-core machine),
 * none of it needed there. Generators, which run once, use @nx/devkit as usual.
 */
import type * as Devkit from '@nx/devkit';

type RuntimeApi = Pick<
  typeof Devkit,
  | 'AggregateCreateNodesError'
  | 'DependencyType'
  | 'getOutputsForTargetAndConfiguration'
  | 'hashArray'
  | 'logger'
  | 'validateDependency'
  | 'workspaceRoot'
>;

// eslint-disable-next-line @typescript-eslint/no-var-requires
const api = require('nx/src/devkit-exports') as RuntimeApi;

export const {
  AggregateCreateNodesError,
  DependencyType,
  getOutputsForTargetAndConfiguration,
  hashArray,
  logger,
  validateDependency,
  workspaceRoot,
} = api;

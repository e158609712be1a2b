/**
 * What inference and the graph use of Nx at run time, taken from Nx's devkit exports, the module
 * @nx/devkit re-exports them from. @nx/devkit's own index also loads the generator and executor
 * helpers (and, through them, Nx's internals): in a plugin worker that is 100 ms more per Nx
 * command than these exports' 43 ms (measured on a 2-core machine), and inference needs none of it.
 */
import type * as Devkit from '@nx/devkit';

type GraphApi = Pick<typeof Devkit, 'AggregateCreateNodesError' | 'DependencyType' | 'hashArray' | 'validateDependency' | 'workspaceRoot'>;

// eslint-disable-next-line @typescript-eslint/no-var-requires
const api = require('nx/src/devkit-exports') as GraphApi;

export const { AggregateCreateNodesError, DependencyType, hashArray, validateDependency, workspaceRoot } = api;

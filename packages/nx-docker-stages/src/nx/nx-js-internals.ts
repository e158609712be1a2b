/**
 * The parts of Nx's JavaScript support the Node images reuse, loaded from the workspace's own nx
 * (so they follow its lockfile formats): the project file map Nx cached with the graph (which
 * file imports what), createPackageJson (an app's npm dependencies from the graph) and the
 * lockfile pruning behind @nx/js:prune-lockfile. Nx internals: their paths and these functions
 * have held from Nx 16 through 24 (generatePrunedDeployOutput since 23).
 */
import type { ProjectFileMap, ProjectGraph } from '@nx/devkit';
import { join } from 'node:path';
import { PackageManager } from '../node/node-workspace';

export interface NxJsInternals {
  generatePrunedDeployOutput?(
    packageJson: Record<string, unknown>,
    graph: ProjectGraph,
    projectRoot: string,
    options: { outputDirectory: string; packageManager: PackageManager; workspaceRoot: string },
  ): void;
  createLockFile(packageJson: Record<string, unknown>, graph: ProjectGraph, packageManager: PackageManager): string;
  createPackageJson(
    projectName: string,
    graph: ProjectGraph,
    options: { root: string; isProduction: boolean; skipPackageManager?: boolean; skipOverrides?: boolean },
    fileMap: ProjectFileMap,
  ): { dependencies?: Record<string, string>; overrides?: unknown; resolutions?: unknown; pnpm?: unknown };
  readFileMapCache(): { fileMap?: { projectFileMap?: ProjectFileMap } } | null;
}

export function loadNxJsInternals(workspaceRoot: string): NxJsInternals {
  // Where Nx itself resolves plugins: an `.nx/installation` (Nx without a root package.json) first, then the root.
  const from = { paths: [join(workspaceRoot, '.nx', 'installation'), workspaceRoot, __dirname] };
  const load = (path: string) => require(require.resolve(`nx/src/${path}`, from));
  const lockFile = load('plugins/js/lock-file/lock-file');
  return {
    generatePrunedDeployOutput: lockFile.generatePrunedDeployOutput,
    createLockFile: lockFile.createLockFile,
    createPackageJson: load('plugins/js/package-json/create-package-json').createPackageJson,
    readFileMapCache: load('project-graph/nx-deps-cache').readFileMapCache,
  };
}

/**
 * Which file of each project imports what, as Nx recorded it with the graph of this run. Throws
 * when Nx kept none (NX_CACHE_PROJECT_GRAPH=false): without it an app's dependencies would be a guess.
 */
export function projectFileMap(nx: NxJsInternals): ProjectFileMap {
  const fileMap = nx.readFileMapCache()?.fileMap?.projectFileMap;
  if (!fileMap) {
    throw new Error(
      "Nx kept no file map with the project graph (is NX_CACHE_PROJECT_GRAPH=false?); docker-build reads from it which files import what, to find a Node app's dependencies. Unset NX_CACHE_PROJECT_GRAPH and run again",
    );
  }
  return fileMap;
}

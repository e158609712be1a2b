/**
 * Writes an app's production manifest and its lockfile pruned to the app's dependency closure,
 * for the app's dependencies stage to install frozen. The dependencies Nx's project graph finds
 * the code importing come from Nx's own createPackageJson, and the pruning is Nx's own (the code
 * behind @nx/js:prune-lockfile), loaded from the workspace's nx, so it follows the workspace's
 * lockfile format. An I/O edge: reads the graph and the lockfile, writes files.
 */
import type { ProjectFileMap, ProjectGraph } from '@nx/devkit';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prunedVersionMismatches } from '../node/locked-versions';
import { NodeProject, NodeWorkspace, workspacePackageNames } from '../node/node-workspace';
import { localPathDependencies, productionManifest } from '../node/production-manifest';
import { NxJsInternals } from './nx-js-internals';

/**
 * Writes package.json and the pruned lockfile of `projectName` into `outDir` (emptied first).
 * `libraries`: the workspace libraries the image holds as built packages; their production
 * dependencies are the app's too. Throws, naming the app and the fix, when a dependency points at
 * the file system, when Nx could not prune and fell back to the whole lockfile, or when the pruned
 * lockfile would install other versions than the workspace runs: a guessed set is never used.
 */
export function writePrunedDependencies(
  projectName: string,
  graph: ProjectGraph,
  workspaceRoot: string,
  ws: NodeWorkspace,
  libraries: NodeProject[],
  nx: NxJsInternals,
  fileMap: ProjectFileMap,
  outDir: string,
): void {
  const project = graph.nodes[projectName];
  if (!project) throw new Error(`${projectName}: not in the project graph`);
  const { packageManager, lockfile } = ws;
  // Staging emptied the context; the folder may not exist yet.
  mkdirSync(outDir, { recursive: true });

  const appProject = ws.projects.find((p) => p.root === project.data.root);
  const declaring = [...(appProject?.manifest ? [appProject] : []), ...libraries].map((p) => ({ dir: p.root, manifest: p.manifest! }));
  // Nx's view of the app's npm dependencies, from the production file map, with the root's overrides and resolutions.
  const fromNx = nx.createPackageJson(projectName, graph, { root: workspaceRoot, isProduction: true, skipPackageManager: true }, fileMap);
  const detected = fromNx.dependencies ?? {};
  const { manifest, sources } = productionManifest({ name: projectName, version: appProject?.manifest?.version }, declaring, detected, workspacePackageNames(ws));

  const local = localPathDependencies(manifest.dependencies);
  if (local.length) {
    throw new Error(
      `${projectName}: its production dependencies ${local.map(([name, spec]) => `${name} (${spec})`).join(', ')} point at the file system, ` +
        "which the image's build context does not hold; publish them to a registry, or make them packages of the workspace",
    );
  }
  // The pruned lockfile was resolved with the workspace's overrides (npm) and resolutions (yarn): a frozen install needs them too.
  const resolution = Object.fromEntries((['overrides', 'resolutions', 'pnpm'] as const).filter((k) => fromNx[k] !== undefined).map((k) => [k, fromNx[k]]));
  const written: Record<string, unknown> = { ...manifest, ...resolution };
  if (nx.generatePrunedDeployOutput) {
    nx.generatePrunedDeployOutput(written, graph, project.data.root, { outputDirectory: outDir, packageManager, workspaceRoot });
  } else {
    writeFileSync(join(outDir, lockfile), nx.createLockFile(written, graph, packageManager));
  }
  // Written after pruning: Nx adjusts the manifest to match the pruned lockfile.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(written, null, 2)}\n`);
  if (packageManager === 'yarn' && ws.yarnFlavor === 'berry') {
    // yarn 2+ installs into node_modules only when told; no registry settings or tokens come along (tokens are a secret).
    writeFileSync(join(outDir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\n');
  }
  const pruned = existsSync(join(outDir, lockfile)) ? readFileSync(join(outDir, lockfile), 'utf8') : '';
  const workspaceLock = readFileSync(join(workspaceRoot, lockfile), 'utf8');
  if (pruned === workspaceLock && Object.keys(manifest.dependencies).length > 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(
      `${projectName}: could not prune ${lockfile} to the app's production dependencies (Nx fell back to the whole lockfile; its warning above says why). ` +
        `Run "${packageManager} install" so the lockfile matches the manifests, then build again.`,
    );
  }
  if (packageManager === 'yarn') return;
  const mismatches = prunedVersionMismatches(packageManager, lockfile, workspaceLock, pruned, sources);
  if (mismatches.length) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(
      `${projectName}: the lockfile pruned to its production dependencies would install other versions than the workspace runs it with ` +
        `(${mismatches.join('; ')}). This happens when ${packageManager} keeps a second version of a package under the app's folder; ` +
        'align the versions (one range for the package across the workspace) so that one install serves the image.',
    );
  }
}

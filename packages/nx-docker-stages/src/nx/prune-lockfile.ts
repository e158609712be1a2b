/**
 * Writes an app's production manifest and its lockfile pruned to the app's
 * dependency closure, for the app's dependencies stage to install frozen.
 * The pruning is Nx's own (the code behind generatePackageJson and
 * @nx/js:prune-lockfile), loaded from the workspace's nx, so it follows the
 * workspace's lockfile format. An I/O edge: reads the graph, writes files.
 */
import type { ProjectGraph } from '@nx/devkit';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prunedVersionMismatches } from '../node/locked-versions';
import { productionDependencySources, productionManifest } from '../node/node-apps';
import { LOCKFILES, NODE_ROOT_FILES, NodeWorkspace, PackageManager, readNodeWorkspace } from '../node/node-workspace';

interface NxPruning {
  generatePrunedDeployOutput?(
    packageJson: Record<string, unknown>,
    graph: ProjectGraph,
    projectRoot: string,
    options: { outputDirectory: string; packageManager: PackageManager; workspaceRoot: string },
  ): void;
  createLockFile(packageJson: Record<string, unknown>, graph: ProjectGraph, packageManager: PackageManager): string;
}

function loadNxPruning(workspaceRoot: string): NxPruning {
  // Where Nx itself resolves plugins: an `.nx/installation` (Nx without a root package.json) first, then the root.
  const from = { paths: [join(workspaceRoot, '.nx', 'installation'), workspaceRoot, __dirname] };
  // An Nx internal: its name and createLockFile have held from Nx 16 through 24 (generatePrunedDeployOutput since 23).
  const lockFileModule = require(require.resolve('nx/src/plugins/js/lock-file/lock-file', from));
  return {
    generatePrunedDeployOutput: lockFileModule.generatePrunedDeployOutput,
    createLockFile: lockFileModule.createLockFile,
  };
}

/** The Node workspace model (package manager, lockfile, packages), read from the root files and the manifests of the graph's projects. */
function nodeWorkspaceFromGraph(graph: ProjectGraph, workspaceRoot: string): NodeWorkspace {
  const manifests = Object.values(graph.nodes).map((node) => `${node.data.root}/package.json`);
  const files = ['package.json', ...NODE_ROOT_FILES, ...manifests].filter((f) => existsSync(join(workspaceRoot, f)));
  const ws = readNodeWorkspace(files, (file) => readFileSync(join(workspaceRoot, file), 'utf8'));
  if (!ws) throw new Error(`no ${Object.values(LOCKFILES).join(' or ')} next to ${join(workspaceRoot, 'package.json')}`);
  return ws;
}

/**
 * Writes package.json and the pruned lockfile of `projectName` into `outDir`
 * (emptied first). Throws, naming the app and the lockfile, when Nx could not
 * prune and fell back to the whole lockfile: a frozen install of the app's
 * manifest would refuse it anyway, and a guessed dependency set is never used.
 */
export function writePrunedDependencies(projectName: string, graph: ProjectGraph, workspaceRoot: string, outDir: string): void {
  const project = graph.nodes[projectName];
  if (!project) throw new Error(`${projectName}: not in the project graph`);
  const ws = nodeWorkspaceFromGraph(graph, workspaceRoot);
  const { packageManager, lockfile } = ws;
  const nx = loadNxPruning(workspaceRoot);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // The manifest comes from the model: the app's and its libraries' production dependencies. (Nx's own
  // createPackageJson keeps devDependencies that a project declares in its own package.json.)
  const pkg = ws.packages.find((p) => p.name === projectName || p.dir === project.data.root);
  if (!pkg) throw new Error(`${projectName}: ${project.data.root}/package.json is not a package of the workspace's ${lockfile}`);
  const manifest: Record<string, unknown> = productionManifest(ws, pkg);
  if (nx.generatePrunedDeployOutput) {
    nx.generatePrunedDeployOutput(manifest, graph, project.data.root, { outputDirectory: outDir, packageManager, workspaceRoot });
  } else {
    writeFileSync(join(outDir, lockfile), nx.createLockFile(manifest, graph, packageManager));
  }
  // Written after pruning: Nx adjusts the manifest to match the pruned lockfile.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const pruned = readFileSync(join(outDir, lockfile), 'utf8');
  const workspaceLock = readFileSync(join(workspaceRoot, lockfile), 'utf8');
  const mismatches = prunedVersionMismatches(packageManager, lockfile, workspaceLock, pruned, productionDependencySources(ws, pkg));
  if (mismatches.length) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(
      `${projectName}: the lockfile pruned to its production dependencies would install other versions than the workspace runs it with ` +
        `(${mismatches.join('; ')}). This happens when ${packageManager} keeps a second version of a package under the app's folder; ` +
        'align the versions (one range for the package across the workspace) so that one install serves the image.',
    );
  }
  if (pruned === workspaceLock) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(
      `${projectName}: could not prune ${lockfile} to the app's production dependencies (Nx fell back to the whole lockfile; its warning above says why). ` +
        `Run "npm install" / "pnpm install" so the lockfile matches the manifests, then build again.`,
    );
  }
}

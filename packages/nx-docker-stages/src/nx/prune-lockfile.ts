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
import { NodeProject, NodeWorkspace, PackageManifest, workspacePackageNames } from '../node/node-workspace';
import { missingImports, PackageImport } from '../node/output-imports';
import { packageManagerChoice } from '../node/package-manager';
import { localPathDependencies, productionManifest } from '../node/production-manifest';
import { ownString, setOwn } from '../workspace/own-property';
import { NxJsInternals } from './nx-js-internals';

/**
 * Writes package.json and the pruned lockfile of `projectName` into `outDir` (emptied first).
 * `libraries`: the workspace libraries the image holds as built packages; their production
 * dependencies are the app's too. `imports`: the packages the staged JavaScript loads by name
 * (node/output-imports.ts); those the manifest lacks but the workspace has installed are added at
 * the workspace's version (a build's helper packages). Returns notes for the log: what was added,
 * and packages loaded by `require()`/`import()` that nothing provides. Throws, naming the app and
 * the fix, when a static import names a package nothing provides, when a dependency points at the
 * file system, when Nx could not prune and fell back to the whole lockfile, or when the pruned
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
  imports: ReadonlyMap<string, PackageImport> = new Map(),
): string[] {
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
  const workspacePackages = workspacePackageNames(ws);
  const { manifest, sources } = productionManifest({ name: projectName, version: appProject?.manifest?.version }, declaring, detected, workspacePackages);
  const notes = completeWithImports(projectName, manifest.dependencies, sources, imports, new Set([...workspacePackages, projectName]), graph, ws);

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
  // Nx writes the root entry of a yarn 2+ lockfile in the form of the yarn its `packageManager` names (`npm:` ranges from yarn 4 on):
  // tell it the yarn the image installs. Only for the pruning: the image's yarn is chosen apart (node/package-manager.ts).
  const berry = packageManager === 'yarn' && ws.yarnFlavor === 'berry' ? berryPackageManager(ws) : undefined;
  if (berry) written.packageManager = berry;
  if (nx.generatePrunedDeployOutput) {
    nx.generatePrunedDeployOutput(written, graph, project.data.root, { outputDirectory: outDir, packageManager, workspaceRoot });
  } else {
    writeFileSync(join(outDir, lockfile), nx.createLockFile(written, graph, packageManager));
  }
  delete written.packageManager;
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
  if (packageManager === 'yarn') return notes;
  const mismatches = prunedVersionMismatches(packageManager, lockfile, workspaceLock, pruned, sources);
  if (mismatches.length) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(
      `${projectName}: the lockfile pruned to its production dependencies would install other versions than the workspace runs it with ` +
        `(${mismatches.join('; ')}). This happens when ${packageManager} keeps a second version of a package under the app's folder; ` +
        'align the versions (one range for the package across the workspace) so that one install serves the image.',
    );
  }
  return notes;
}

/** `yarn@<version>` of the yarn 2+ the images install, a bare major made a full version (`4` → `4.0.0`) as Nx's semver check needs. */
function berryPackageManager(ws: NodeWorkspace): string | undefined {
  const version = packageManagerChoice(ws).install?.replace(/^@yarnpkg\/cli-dist@|^yarn@/, '');
  if (!version) return undefined;
  return `yarn@${/^\d+$/.test(version) ? `${version}.0.0` : version}`;
}

/**
 * Adds to `dependencies` what the staged JavaScript loads and the workspace has installed: the
 * range a package.json of the workspace gives it (the root's first), else the version Nx's graph
 * has hoisted.
 * Throws for a static import nothing provides (the image could not start); returns notes.
 */
function completeWithImports(
  projectName: string,
  dependencies: Record<string, string>,
  sources: Record<string, string>,
  imports: ReadonlyMap<string, PackageImport>,
  provided: ReadonlySet<string>,
  graph: ProjectGraph,
  ws: NodeWorkspace,
): string[] {
  // Where the workspace has it: a package.json that declares it (the root's first), else the version Nx's graph hoisted.
  const manifests: Array<[string, PackageManifest]> = [['.', ws.rootManifest], ...ws.projects.filter((p) => p.root !== '.' && p.manifest).map((p): [string, PackageManifest] => [p.root, p.manifest!])];
  const rangeIn = (m: PackageManifest, name: string) => ownString(m.dependencies, name) ?? ownString(m.optionalDependencies, name) ?? ownString(m.devDependencies, name);
  const declaredIn = (name: string) => manifests.find(([, m]) => rangeIn(m, name) !== undefined);
  const workspaceVersion = (name: string) => {
    const declaring = declaredIn(name);
    return declaring ? rangeIn(declaring[1], name) : graph.externalNodes?.[`npm:${name}`]?.data.version;
  };
  const missing = missingImports(imports, dependencies, provided, workspaceVersion);
  if (missing.unavailable.length) {
    const list = missing.unavailable.map(([name, where]) => `${name} (imported by ${where.file})`).join(', ');
    throw new Error(
      `${projectName}: its built code imports ${list}, which neither its production dependencies nor the workspace's installed packages provide, so the image could not start; ` +
        `add ${missing.unavailable.length > 1 ? 'them' : 'it'} to "dependencies" in the package.json of the app (or of the library that imports ${missing.unavailable.length > 1 ? 'them' : 'it'}) and install`,
    );
  }
  const notes: string[] = [];
  for (const [name, version] of Object.entries(missing.added)) {
    setOwn(dependencies, name, version);
    setOwn(sources, name, declaredIn(name)?.[0] ?? '.');
  }
  const added = Object.entries(missing.added).map(([name, version]) => `${name}@${version}`);
  if (added.length) notes.push(`its built code loads ${added.join(', ')}, which no package.json declares for production; added to the image's install at the workspace's version`);
  if (missing.unresolved.length) {
    notes.push(
      `its built code may load ${missing.unresolved.map(([name, where]) => `${name} (${where.file})`).join(', ')} with require() or import(), which nothing in the workspace provides; ` +
        'the image fails where that code runs, unless the load is optional',
    );
  }
  return notes;
}

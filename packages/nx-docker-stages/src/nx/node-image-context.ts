/**
 * Stages a Node app's build context, dist/docker/<project>/context, from what Nx built and knows:
 * - app/: the output of the app's Nx build target (without TypeScript's declaration and build-info
 *   files) with a package.json naming the entry file, or, for a package app, its package files as
 *   npm packs them;
 * - libraries/<name>/: each workspace library the app needs at run time (from the project graph),
 *   as a built package: the files npm would pack, where a library built by Nx without a `files`
 *   field packs its build target's outputs;
 * - deps/: the app's production manifest and the lockfile pruned to it, with Nx's own pruning,
 *   completed with the packages the staged JavaScript loads that no manifest declares (a build's
 *   helper packages), when the workspace has them; a static import of a package nothing provides fails.
 * Credential files never get in, whatever the packing rules say. What the image starts (the
 * entry, a preloaded file, a library's main) is checked to be there: a context it cannot run from
 * fails here, naming the project, the file and the fix, and the folder is emptied first, so
 * nothing of an earlier build stays. An I/O edge: reads the graph and the workspace's files,
 * writes the folder.
 */
import type { FileData, ProjectFileMap, ProjectGraph, ProjectGraphProjectNode } from '@nx/devkit';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { buildOutputDir, entryCandidates, globBase, optionsForConfiguration } from '../node/built-entry';
import { packageAppStart } from '../node/node-apps';
import { importedPackages, isJavaScriptFile, PackageImport } from '../node/output-imports';
import { NodeProject, NodeWorkspace, PackageManifest } from '../node/node-workspace';
import { preloadedModules } from '../node/start-command';
import { isTestOrToolingFile, runtimeWorkspaceClosure } from '../node/runtime-closure';
import { getOutputsForTargetAndConfiguration } from '../nx-runtime';
import { CREDENTIAL_FILE_PATTERNS } from '../workspace/credential-files';
import { NODE_CONTEXT, dockerOutputDir, isWithin, nodeImageContextDir, pathInDir } from '../workspace/workspace-paths';
import { readNodeWorkspaceFromDisk } from './node-files-on-disk';
import { NxJsInternals, loadNxJsInternals, projectFileMap } from './nx-js-internals';
import { packFiles } from './pack-files';
import { writePrunedDependencies } from './prune-lockfile';

/** The executor's `nodeApp` option: the Nx target whose output is the app, or the app's package files. */
export interface NodeAppOption {
  /** The target whose output the image runs. */
  buildTarget?: string;
  /** The file that starts the app, relative to the build's output folder; default: found as Nx's serve executor finds it. */
  entry?: string;
  /** The image holds the app's package files (a package app). */
  packageFiles?: boolean;
}

export interface StagedNodeApp {
  /** Workspace-relative build context. */
  context: string;
  /** The entry the runtime stage starts, relative to /app (Nx-built apps). */
  entry?: string;
  /** The workspace libraries staged as packages. */
  libraries: string[];
  /** What the log should tell (packages added to the install for the built code's imports, or unresolved). */
  notes: string[];
}

/** Files a runtime never loads: TypeScript's declarations and incremental build state. */
const NOT_FOR_RUNTIME = /(\.d\.[cm]?ts(\.map)?|\.tsbuildinfo)$/;
const isCredentialFile = picomatch(CREDENTIAL_FILE_PATTERNS, { dot: true });

/** Build executors that leave a workspace library's imports to be resolved at run time (they bundle nothing). */
const NON_BUNDLING_EXECUTORS = new Set(['@nx/js:tsc', '@nx/js:swc']);

/** A failure of staging, for people (the project, the file or target, the fix): the executor prints it as it is. */
export class StagingError extends Error {}

/**
 * Stages the context; throws a StagingError. `nx`: Nx's internals, loaded from the workspace (specs
 * pass their own).
 */
export async function stageNodeImageContext(
  projectName: string,
  graph: ProjectGraph,
  workspaceRoot: string,
  nodeApp: NodeAppOption,
  nx: () => NxJsInternals = () => loadNxJsInternals(workspaceRoot),
): Promise<StagedNodeApp> {
  try {
    return await stage(projectName, graph, workspaceRoot, nodeApp, nx);
  } catch (e) {
    if (e instanceof StagingError) throw e;
    // Nx's internals, the file system, npm-packlist: said as this step's failure, with what they said.
    throw new StagingError(`${projectName}: staging its image's build context (${nodeImageContextDir(projectName)}) failed: ${(e as Error).message}`);
  }
}

async function stage(projectName: string, graph: ProjectGraph, workspaceRoot: string, nodeApp: NodeAppOption, loadNx: () => NxJsInternals): Promise<StagedNodeApp> {
  const node = graph.nodes[projectName];
  if (!node) throw new StagingError(`${projectName}: not in the project graph`);
  if (Boolean(nodeApp.buildTarget) === Boolean(nodeApp.packageFiles)) {
    throw new StagingError(`${projectName}: the docker-build option nodeApp needs either buildTarget (the target that builds the app) or packageFiles: true, not both or neither`);
  }
  const context = nodeImageContextDir(projectName);
  const contextDir = join(workspaceRoot, context);
  rmSync(contextDir, { recursive: true, force: true });
  for (const folder of Object.values(NODE_CONTEXT)) mkdirSync(join(contextDir, folder), { recursive: true });

  const ws = readNodeWorkspaceFromDisk(workspaceRoot, Object.values(graph.nodes).map((n) => n.data.root));
  const project = ws.projects.find((p) => p.root === node.data.root);
  const appDir = join(contextDir, NODE_CONTEXT.app);
  let entry: string | undefined;
  if (nodeApp.buildTarget) {
    entry = stageBuildOutput(node, nodeApp, workspaceRoot, appDir, project);
  } else {
    if (!project?.manifest) throw new StagingError(`${projectName}: ${pathInDir(node.data.root, 'package.json')} not found; a package app needs its package.json`);
    refuseUnhashedBuild(projectName, node);
    await stagePackageApp(ws, project, node, workspaceRoot, appDir);
  }

  const nx = loadNx();
  const { fileMap, closure } = runtimeLibraries(projectName, graph, ws, nx);
  const libraries: NodeProject[] = [];
  for (const { name, library } of closure) {
    const libNode = graph.nodes[name];
    if (!library) {
      refuseUnreachableLibrary(node, nodeApp, name);
      continue;
    }
    refuseUnhashedBuild(projectName, libNode);
    const to = join(contextDir, NODE_CONTEXT.libraries, library.manifest!.name!);
    await copyPackage(workspaceRoot, library, library.manifest!.files ?? builtFiles(libNode), to);
    requireFiles(projectName, library, to, libraryEntryFiles(library.manifest!), 'the library');
    libraries.push(library);
  }

  const imports = stagedImports(contextDir, [NODE_CONTEXT.app, NODE_CONTEXT.libraries]);
  const notes = writePrunedDependencies(projectName, graph, workspaceRoot, ws, libraries, nx, fileMap, join(contextDir, NODE_CONTEXT.dependencies), imports);
  return { context, entry, libraries: libraries.map((l) => l.manifest!.name!), notes };
}

/**
 * Writes only the deps/ folder of the app's context into `contextDir`, before anything is built: the
 * production manifest and pruned lockfile as docker-build will stage them, but without the packages
 * that only the built code's imports add (there is no built code yet). The warm-up of the app's
 * dependencies stage (executors/docker-deps) installs from it while Nx builds the app; when the build
 * adds nothing, docker-build's install is then a hit in the engine's build cache. Returns the notes.
 */
export function stageNodeDependencies(
  projectName: string,
  graph: ProjectGraph,
  workspaceRoot: string,
  contextDir: string,
  nx: () => NxJsInternals = () => loadNxJsInternals(workspaceRoot),
): string[] {
  if (!graph.nodes[projectName]) throw new StagingError(`${projectName}: not in the project graph`);
  const ws = readNodeWorkspaceFromDisk(workspaceRoot, Object.values(graph.nodes).map((n) => n.data.root));
  const internals = nx();
  const { fileMap, closure } = runtimeLibraries(projectName, graph, ws, internals);
  const libraries = closure.flatMap(({ library }) => (library ? [library] : []));
  return writePrunedDependencies(projectName, graph, workspaceRoot, ws, libraries, internals, fileMap, join(contextDir, NODE_CONTEXT.dependencies));
}

/**
 * The workspace libraries the app needs at run time (the edges its production files make, from the
 * project graph), each with its workspace package, or none when it is no package of the workspace;
 * and the production file map that decided it, which Nx's createPackageJson reads too.
 */
function runtimeLibraries(
  projectName: string,
  graph: ProjectGraph,
  ws: NodeWorkspace,
  nx: NxJsInternals,
): { fileMap: ProjectFileMap; closure: Array<{ name: string; library?: NodeProject }> } {
  const recorded = projectFileMap(nx);
  const fileMap = productionFileMap(recorded, graph, ws);
  const names = runtimeWorkspaceClosure(graph, projectName, (source, target) => madeByProductionCode(recorded, fileMap, source, target));
  const byRoot = new Map(ws.projects.map((p) => [p.root, p]));
  const closure = names.map((name) => {
    const library = byRoot.get(graph.nodes[name].data.root);
    return { name, library: library?.isWorkspacePackage && library.manifest?.name ? library : undefined };
  });
  return { fileMap, closure };
}

/** The packages the staged JavaScript under `folders` of the context loads by name, each with one place that loads it (a static import first). */
function stagedImports(contextDir: string, folders: string[]): Map<string, PackageImport> {
  const imports = new Map<string, PackageImport>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && isJavaScriptFile(entry.name)) {
        const file = posix.normalize(relative(contextDir, path).split(sep).join('/'));
        for (const [name, isStatic] of importedPackages(readFileSync(path, 'utf8'))) {
          if (!imports.has(name) || (isStatic && !imports.get(name)!.static)) imports.set(name, { file, static: isStatic });
        }
      }
    }
  };
  for (const folder of folders) if (existsSync(join(contextDir, folder))) visit(join(contextDir, folder));
  return imports;
}

/**
 * A package whose files an image holds and whose `build` target declares no outputs: Nx caches
 * nothing of that build, and docker-build cannot hash what it wrote, so a change outside the
 * package that changes the build (a shared tsconfig, a tool's version) would serve a stale image
 * from the cache. Refused, with the fix. (`"outputs": []` declares a build that writes nothing.)
 */
function refuseUnhashedBuild(app: string, node: ProjectGraphProjectNode): void {
  const build = node.data.targets?.build;
  if (!build || build.outputs !== undefined) return;
  throw new StagingError(
    `${app}: the "build" target of ${node.name} declares no outputs, so neither Nx nor docker-build can hash what it wrote, and a change outside ` +
      `${node.data.root} that changes the build would give a stale image from the cache; declare them, e.g. "outputs": ["{projectRoot}/dist"] ` +
      `in the target (in ${pathInDir(node.data.root, 'package.json')} under "nx", or in nx.json targetDefaults)`,
  );
}

/**
 * A library of the closure that has no package.json of the workspace's packages cannot be staged as
 * a package. Bundlers (esbuild, webpack, rspack: Nx's app builds) put its code into the app's output;
 * a build that bundles nothing, or a package app, would leave the import unresolved in the image.
 */
function refuseUnreachableLibrary(node: ProjectGraphProjectNode, nodeApp: NodeAppOption, library: string): void {
  const executor = nodeApp.buildTarget ? node.data.targets?.[nodeApp.buildTarget]?.executor : undefined;
  if (nodeApp.buildTarget && !NON_BUNDLING_EXECUTORS.has((executor ?? '').replace(/^@nrwl\//, '@nx/'))) return;
  const how = nodeApp.buildTarget ? `its "${nodeApp.buildTarget}" target (${executor}) does not put the library's code into the app's output` : 'a package app gets its libraries as packages';
  throw new StagingError(
    `${node.name}: it runs with ${library}, which is no package of the workspace (no package.json in the package manager's workspaces), so the image cannot hold it as a package, and ${how}; ` +
      `make ${library} a workspace package (the TS-solution layout), or build the app with a bundler (@nx/esbuild, @nx/webpack)`,
  );
}

/** Copies the build target's output folder into app/ and writes app/package.json; returns the entry. */
function stageBuildOutput(node: ProjectGraphProjectNode, nodeApp: NodeAppOption, workspaceRoot: string, appDir: string, project: NodeProject | undefined): string {
  const name = node.name;
  const targetName = nodeApp.buildTarget!;
  const target = node.data.targets?.[targetName];
  if (!target) {
    throw new StagingError(`${name}: has no "${targetName}" target to build the app; add it, or set the docker-build option nodeApp.buildTarget to the target that builds the app`);
  }
  const options = optionsForConfiguration(target);
  const outputs = getOutputsForTargetAndConfiguration({ project: name, target: targetName, configuration: target.defaultConfiguration }, {}, node);
  const outputDir = buildOutputDir(options, outputs);
  if (!outputDir) {
    throw new StagingError(`${name}: its "${targetName}" target declares no outputs and no outputPath, so the image cannot tell what the build wrote; add "outputs" to the target`);
  }
  if (outputDir === '.' || outputDir.startsWith('..') || isWithin(dockerOutputDir(name), outputDir)) {
    throw new StagingError(`${name}: its "${targetName}" target writes to ${outputDir}, which holds the whole workspace (or the image's own staging folder); give the build an output folder of its own (outputPath, or "outputs")`);
  }
  const from = join(workspaceRoot, outputDir);
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new StagingError(`${name}: its "${targetName}" target left no output in ${outputDir}; run "nx run ${name}:${targetName}" and check what it writes`);
  }
  cpSync(from, appDir, { recursive: true, filter: (source) => keepFile(posix.relative(from, source)) });
  const candidates = nodeApp.entry ? [nodeApp.entry] : entryCandidates(target.executor, options, node.data.root);
  const entry = candidates.find((file) => existsSync(join(appDir, file)));
  if (!entry) {
    throw new StagingError(
      `${name}: the output of its "${targetName}" target (${outputDir}) has no ${candidates.join(' or ')} to start the app; ` +
        'set the docker-build option nodeApp.entry to the file, relative to that folder, that starts it',
    );
  }
  // Node reads the module type of the entry from the nearest package.json above it, in the workspace as in the image.
  const type = nearestPackageType(workspaceRoot, posix.dirname(posix.join(outputDir, entry)));
  const manifest = { name, version: project?.manifest?.version ?? '0.0.0', private: true, main: entry, ...(type ? { type } : {}) };
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return entry;
}

/** The `type` of the nearest package.json from `dir` up to the workspace root (none: CommonJS). */
function nearestPackageType(workspaceRoot: string, dir: string): string | undefined {
  for (let folder = dir; ; folder = posix.dirname(folder)) {
    const file = join(workspaceRoot, folder, 'package.json');
    if (existsSync(file)) return readJson<PackageManifest>(file)?.type;
    if (folder === '.' || folder === '/' || folder === '') return undefined;
  }
}

/** Copies a package app's files as npm packs them, and checks that what its start command runs is among them. */
async function stagePackageApp(ws: NodeWorkspace, project: NodeProject, node: ProjectGraphProjectNode, workspaceRoot: string, appDir: string): Promise<void> {
  const file = pathInDir(project.root, 'package.json');
  if (project.root === '.' && !project.manifest!.files) {
    throw new StagingError(`${project.name}: a package app at the workspace root packs the whole workspace unless ${file} lists its files; add "files" (its build output and what it runs)`);
  }
  await copyPackage(workspaceRoot, project, project.manifest!.files ?? builtFiles(node), appDir);
  const start = packageAppStart(ws, project);
  if (!start || 'why' in start) {
    const refusal = start ?? { why: 'nothing to start (no "start" script, "main" or "bin")', fix: 'add a "start": "node <file>" script' };
    throw new StagingError(`${project.name}: ${file}: ${refusal.why}; ${refusal.fix}`);
  }
  const preloadedFiles = preloadedModules(start.start).filter((module) => /^\.\.?\//.test(module));
  requireFiles(project.name, project, appDir, [start.start.entry, ...preloadedFiles], 'the app');
}

/** A library's own entry files: `main` and the targets of `exports["."]` (a string, or by condition). */
function libraryEntryFiles(manifest: PackageManifest): string[] {
  const exports = manifest.exports;
  // `exports` is the "." entry itself, unless it maps subpaths ("." among them).
  const dot = exports && typeof exports === 'object' && '.' in exports ? (exports as Record<string, unknown>)['.'] : exports;
  const targets: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const [condition, v] of Object.entries(value)) if (['node', 'require', 'import', 'default'].includes(condition)) collect(v);
  };
  collect(dot);
  return [...(manifest.main ? [manifest.main] : []), ...targets];
}

/** Fails, naming the package.json and the fix, when a file the image runs is not among the staged files. */
function requireFiles(app: string, pkg: NodeProject, stagedDir: string, files: string[], what: string): void {
  const file = pathInDir(pkg.root, 'package.json');
  for (const wanted of files) {
    const path = posix.normalize(wanted);
    if (path.includes('*') || existsSync(join(stagedDir, path)) || existsSync(join(stagedDir, `${path}.js`)) || existsSync(join(stagedDir, path, 'index.js'))) continue;
    throw new StagingError(
      `${app}: ${what} ${pkg.manifest?.name ?? pkg.name} needs ${path}, which its package files, as npm packs them, do not hold; ` +
        `list the folder that holds it in "files" in ${file} (npm leaves gitignored build output out otherwise), and check that its build writes it`,
    );
  }
}

/** Whether a file of a build output belongs in the image (relative path; '' is the folder itself). */
function keepFile(relativePath: string): boolean {
  if (relativePath === '') return true;
  return !NOT_FOR_RUNTIME.test(relativePath) && !isCredentialFile(relativePath) && !relativePath.split('/').includes('node_modules');
}

/** The project a file depends on: Nx records `target`, `[target, type]` or `[source, target, type]`. */
function dependencyTarget(dep: NonNullable<FileData['deps']>[number]): string {
  if (typeof dep === 'string') return dep;
  return dep.length === 2 ? dep[0] : dep[1];
}

/**
 * Nx's file map with only what production code imports: no test or tooling file (by its path in
 * its project), and of a package.json only what it declares for production (dependencies,
 * optionalDependencies, peerDependencies). The closure and Nx's createPackageJson both read it, so
 * they agree on what production code is.
 */
function productionFileMap(fileMap: ProjectFileMap, graph: ProjectGraph, ws: NodeWorkspace): ProjectFileMap {
  const byRoot = new Map(ws.projects.map((p) => [p.root, p]));
  const npmName = (dep: string) => graph.externalNodes?.[dep]?.data.packageName ?? byRoot.get(graph.nodes[dep]?.data.root ?? '')?.manifest?.name;
  const production: ProjectFileMap = {};
  for (const [project, files] of Object.entries(fileMap)) {
    const root = graph.nodes[project]?.data.root ?? '.';
    const manifest = byRoot.get(root)?.manifest;
    const declared = new Set(Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies, ...manifest?.peerDependencies }));
    production[project] = files
      .filter((f) => !isTestOrToolingFile(relative(root, f.file)))
      .map((f) =>
        posix.basename(f.file) === 'package.json' && f.deps
          ? { ...f, deps: f.deps.filter((d) => declared.has(npmName(dependencyTarget(d)) ?? '')) }
          : f,
      );
  }
  return production;
}

/**
 * Whether production code of `source` makes its edge to `target`: a production file records it,
 * or no file does (an implicit dependency, another plugin's edge), which counts too. An edge only
 * tests, tooling or devDependencies make does not.
 */
function madeByProductionCode(recorded: ProjectFileMap, production: ProjectFileMap, source: string, target: string): boolean {
  const records = (map: ProjectFileMap) => (map[source] ?? []).some((f) => f.deps?.some((d) => dependencyTarget(d) === target));
  return records(production) || !records(recorded);
}

/**
 * A library's `files` when it declares none but Nx builds it: its build target's outputs inside
 * its folder. npm would take the workspace's .gitignore, which usually leaves the build output
 * out, and pack the sources instead: a package that cannot run.
 */
function builtFiles(node: ProjectGraphProjectNode): string[] | undefined {
  const target = node.data.targets?.build;
  if (!target) return undefined;
  const outputs = getOutputsForTargetAndConfiguration({ project: node.name, target: 'build', configuration: target.defaultConfiguration }, {}, node);
  const inside = outputs
    .map((o) => globBase(o))
    .filter((dir) => dir === node.data.root || dir.startsWith(`${node.data.root}/`))
    .map((dir) => posix.relative(node.data.root, dir))
    .filter((dir) => dir !== '');
  return inside.length ? [...new Set(inside)] : undefined;
}

/** Copies the files npm would pack from a package (with `files` in place of its own when given), credential files left out. */
async function copyPackage(workspaceRoot: string, project: NodeProject, files: string[] | undefined, to: string): Promise<void> {
  const from = join(workspaceRoot, project.root);
  const packed = await packFiles(from, { ...project.manifest!, files }, project.isWorkspacePackage ? workspaceRoot : undefined);
  mkdirSync(to, { recursive: true });
  for (const file of packed) {
    if (isCredentialFile(file)) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    // The package.json on disk, as npm packs it, whatever `files` the packing was given.
    cpSync(join(from, file), join(to, file));
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

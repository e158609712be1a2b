/**
 * Stages a Node app's build context, dist/docker/<project>/context, from what Nx built and knows:
 * - app/: the output of the app's Nx build target (without TypeScript's declaration and build-info
 *   files) with a package.json naming the entry file, or, for a package app, its package files as
 *   npm packs them;
 * - libraries/<name>/: each workspace library the app needs at run time (from the project graph),
 *   as a built package: the files npm would pack, where a library built by Nx without a `files`
 *   field packs its build target's outputs;
 * - deps/: the app's production manifest and the lockfile pruned to it, with Nx's own pruning.
 * Credential files never get in, whatever the packing rules say. Every failure names the project,
 * the file or target, and the fix; the folder is emptied first, so nothing of an earlier build stays.
 * An I/O edge: reads the graph and the workspace's files, writes the folder.
 */
import type { FileData, ProjectFileMap, ProjectGraph, ProjectGraphProjectNode } from '@nx/devkit';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import picomatch from 'picomatch';
import { buildOutputDir, entryCandidates, globBase, optionsForConfiguration } from '../node/built-entry';
import { NodeProject, NodeWorkspace, PackageManifest } from '../node/node-workspace';
import { isTestOrToolingFile, runtimeWorkspaceClosure } from '../node/runtime-closure';
import { getOutputsForTargetAndConfiguration } from '../nx-runtime';
import { CREDENTIAL_FILE_PATTERNS } from '../workspace/credential-files';
import { NODE_CONTEXT, nodeImageContextDir, pathInDir } from '../workspace/workspace-paths';
import { loadNxJsInternals, projectFileMap } from './nx-js-internals';
import { writePrunedDependencies } from './prune-lockfile';
import { packFiles } from './pack-files';
import { readNodeWorkspaceFromDisk } from './node-files-on-disk';

/** The executor's `nodeApp` option: which Nx target's output is the app, or its package files. */
export interface NodeAppOption {
  /** The target whose output the image runs; absent: the app's package files. */
  buildTarget?: string;
  /** The file that starts the app, relative to the build's output folder; default: found as Nx's serve executor finds it. */
  entry?: string;
}

export interface StagedNodeApp {
  /** Workspace-relative build context. */
  context: string;
  /** The entry the runtime stage starts, relative to /app (Nx-built apps). */
  entry?: string;
  /** The workspace libraries staged as packages. */
  libraries: string[];
}

/** Files a runtime never loads: TypeScript's declarations and incremental build state. */
const NOT_FOR_RUNTIME = /(\.d\.[cm]?ts(\.map)?|\.tsbuildinfo)$/;
const isCredentialFile = picomatch(CREDENTIAL_FILE_PATTERNS, { dot: true });

/** A failure of staging, for people: the executor prints it as it is. */
export class StagingError extends Error {}

export async function stageNodeImageContext(projectName: string, graph: ProjectGraph, workspaceRoot: string, nodeApp: NodeAppOption): Promise<StagedNodeApp> {
  const node = graph.nodes[projectName];
  if (!node) throw new StagingError(`${projectName}: not in the project graph`);
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
    await copyPackage(workspaceRoot, project, project.manifest.files, appDir);
  }

  // Which files import what: run-time dependencies are those production files make.
  const nx = loadNxJsInternals(workspaceRoot);
  let fileMap: ProjectFileMap;
  try {
    fileMap = projectFileMap(nx);
  } catch (e) {
    throw new StagingError(`${projectName}: ${(e as Error).message}`);
  }
  const libraries = runtimeLibraries(graph, projectName, ws, fileMap);
  for (const library of libraries) {
    const libNode = graph.nodes[library.name];
    await copyPackage(workspaceRoot, library, library.manifest!.files ?? builtFiles(libNode), join(contextDir, NODE_CONTEXT.libraries, library.manifest!.name!));
  }

  writePrunedDependencies(projectName, graph, workspaceRoot, ws, libraries, nx, fileMap, join(contextDir, NODE_CONTEXT.dependencies));
  return { context, entry, libraries: libraries.map((l) => l.manifest!.name!) };
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
  const built = readJson<PackageManifest>(join(appDir, 'package.json'));
  const type = built?.type ?? project?.manifest?.type;
  const manifest = { name, version: project?.manifest?.version ?? '0.0.0', private: true, main: entry, ...(type ? { type } : {}) };
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return entry;
}

/** Whether a file of a build output belongs in the image (relative path; '' is the folder itself). */
function keepFile(relativePath: string): boolean {
  if (relativePath === '') return true;
  return !NOT_FOR_RUNTIME.test(relativePath) && !isCredentialFile(relativePath) && !relativePath.split('/').includes('node_modules');
}

/** The workspace libraries the app needs at run time that Node loads as packages (workspace packages with a package.json). */
function runtimeLibraries(graph: ProjectGraph, projectName: string, ws: NodeWorkspace, fileMap: ProjectFileMap): NodeProject[] {
  const projectsByRoot = new Map(ws.projects.map((p) => [p.root, p]));
  const madeByProductionCode = (source: string, target: string) => {
    const sourceProject = projectsByRoot.get(graph.nodes[source]?.data.root ?? '');
    const targetName = projectsByRoot.get(graph.nodes[target]?.data.root ?? '')?.manifest?.name;
    const files = fileMap[source] ?? [];
    // Without file information (another tool made the edge), it counts.
    if (!files.some((f) => f.deps?.length)) return true;
    return files.some((f) => {
      if (isTestOrToolingFile(f.file) || !f.deps?.some((d) => dependencyTarget(d) === target)) return false;
      if (posix.basename(f.file) !== 'package.json') return true;
      // An edge package.json makes counts for production dependencies only.
      const m = sourceProject?.manifest;
      return targetName !== undefined && (m?.dependencies?.[targetName] !== undefined || m?.optionalDependencies?.[targetName] !== undefined);
    });
  };
  return runtimeWorkspaceClosure(graph, projectName, madeByProductionCode)
    .map((name) => projectsByRoot.get(graph.nodes[name].data.root))
    .filter((p): p is NodeProject => p !== undefined && p.isWorkspacePackage && p.manifest?.name !== undefined);
}

/** The project a file depends on: Nx records `target`, `[target, type]` or `[source, target, type]`. */
function dependencyTarget(dep: NonNullable<FileData['deps']>[number]): string {
  if (typeof dep === 'string') return dep;
  return dep.length === 2 ? dep[0] : dep[1];
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

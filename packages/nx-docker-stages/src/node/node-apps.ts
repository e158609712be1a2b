/**
 * Which workspace packages are Node apps, how each starts, and which
 * workspace libraries it needs to build and to run. Pure.
 */
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { NodePackage, NodeWorkspace } from './node-workspace';

export interface NodeAppPlan {
  projectName: string;
  pkg: NodePackage;
  /** The command that starts the app, relative to the app's folder: ["node", "dist/main.js", ...args]. */
  command: string[];
  /** Workspace packages needed to build it: the app and every workspace package it depends on, in build order (dependencies first). */
  buildClosure: NodePackage[];
  /** Workspace libraries needed at run time (production dependencies, transitively), in build order. */
  runtimeLibraries: NodePackage[];
}

const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~=%]/;

/**
 * How a package starts: a `start` script of the form `node [flags] <file> [args]`,
 * else its `main`, else its (first) `bin`. Null when it has none of these.
 */
export function startCommand(pkg: NodePackage): string[] | null {
  const start = pkg.manifest.scripts?.start?.trim();
  if (start && !SHELL_SYNTAX.test(start)) {
    const words = start.split(/\s+/);
    if (words[0] === 'node' && words.slice(1).some((w) => !w.startsWith('-'))) return words;
  }
  if (pkg.manifest.main) return ['node', pkg.manifest.main];
  const bin = pkg.manifest.bin;
  const binFile = typeof bin === 'string' ? bin : bin ? Object.values(bin)[0] : undefined;
  return binFile ? ['node', binFile] : null;
}

function workspaceDependencyNames(pkg: NodePackage, production: boolean): string[] {
  const m = pkg.manifest;
  const groups = production ? [m.dependencies, m.optionalDependencies] : [m.dependencies, m.optionalDependencies, m.devDependencies];
  return groups.flatMap((g) => Object.keys(g ?? {}));
}

const byNameOf = new WeakMap<NodeWorkspace, Map<string, NodePackage>>();

/** The workspace's packages by name, built once per workspace (closures are asked for per app). */
function packagesByName(ws: NodeWorkspace): Map<string, NodePackage> {
  let byName = byNameOf.get(ws);
  if (!byName) byNameOf.set(ws, (byName = new Map(ws.packages.map((p) => [p.name, p]))));
  return byName;
}

/** The workspace packages `pkg` depends on, transitively, dependencies before dependents (pkg itself last). */
export function workspaceClosure(ws: NodeWorkspace, pkg: NodePackage, production: boolean): NodePackage[] {
  const byName = packagesByName(ws);
  const ordered: NodePackage[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (p: NodePackage) => {
    if (done.has(p.name) || visiting.has(p.name)) return; // a cycle is npm's problem, not ours; visit each once
    visiting.add(p.name);
    for (const name of workspaceDependencyNames(p, production).sort()) {
      const dep = byName.get(name);
      if (dep) visit(dep);
    }
    visiting.delete(p.name);
    done.add(p.name);
    ordered.push(p);
  };
  visit(pkg);
  return ordered;
}

/**
 * The order a build stage copies and builds an app's closure in: each package with a build script
 * right after its own dependencies, as early as the dependency order allows, and the packages
 * nothing built needs after them. A layer is rebuilt when anything copied before it changes, so
 * an edit to a library without a build step (or the app itself) never re-runs another library's
 * build. `closure` is in dependency order (workspaceClosure); the result is too.
 */
export function buildStepOrder(ws: NodeWorkspace, closure: NodePackage[]): NodePackage[] {
  // A built package's own closure lies inside the app's (both follow devDependencies too).
  const builtFirst = closure.filter((p) => p.manifest.scripts?.build).flatMap((built) => workspaceClosure(ws, built, false));
  return [...new Set([...builtFirst, ...closure])];
}

/**
 * A package is an app when it has something to run (start script, main or bin)
 * and is not a library: Nx does not call it a library, and no other workspace
 * package depends on it. An explicit `nx.projectType` in package.json decides.
 */
export function isNodeApp(ws: NodeWorkspace, pkg: NodePackage): boolean {
  const declared = pkg.manifest.nx?.projectType;
  if (declared === 'library') return false;
  if (!startCommand(pkg) && !pkg.manifest.scripts?.start) return false;
  if (declared === 'application') return true;
  return !dependedOnNames(ws).has(pkg.name);
}

const dependedOnOf = new WeakMap<NodeWorkspace, Set<string>>();

/** The names other workspace packages depend on (devDependencies included), computed once per workspace. */
function dependedOnNames(ws: NodeWorkspace): Set<string> {
  let names = dependedOnOf.get(ws);
  if (!names) {
    dependedOnOf.set(ws, (names = new Set()));
    for (const p of ws.packages) for (const name of workspaceDependencyNames(p, false)) if (name !== p.name) names.add(name);
  }
  return names;
}

/** Plans every Node app of the workspace. Throws, naming the app and the fix, when one cannot be started. */
export function planNodeApps(ws: NodeWorkspace): NodeAppPlan[] {
  return ws.packages
    .filter((pkg) => isNodeApp(ws, pkg))
    .map((pkg) => {
      const command = startCommand(pkg);
      if (!command) {
        throw new WorkspaceFileError(
          `${pkg.dir}/package.json`,
          `${pkg.dir}/package.json: cannot tell how to start ${pkg.name} (its start script "${pkg.manifest.scripts?.start}" is not "node <file>"); ` +
            'set "main" to its entry file, or make the start script "node <file>"',
        );
      }
      const runtime = workspaceClosure(ws, pkg, true);
      return {
        projectName: pkg.name,
        pkg,
        command,
        buildClosure: workspaceClosure(ws, pkg, false),
        runtimeLibraries: runtime.filter((p) => p !== pkg),
      };
    });
}

/**
 * The manifest of an app's production install: its own external production
 * dependencies and those of the workspace libraries it runs with (which the
 * build stage copies into node_modules, so they are not installed). Throws,
 * naming both packages, when a library needs another range of a dependency
 * than the app: one flat install cannot serve both.
 */
export function productionManifest(ws: NodeWorkspace, pkg: NodePackage): { name: string; version: string; private: true; dependencies: Record<string, string> } {
  const workspaceNames = new Set(ws.packages.map((p) => p.name));
  const dependencies: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const p of [pkg, ...workspaceClosure(ws, pkg, true).filter((q) => q !== pkg)]) {
    for (const [name, range] of Object.entries({ ...p.manifest.optionalDependencies, ...p.manifest.dependencies })) {
      if (workspaceNames.has(name)) continue;
      if (dependencies[name] !== undefined && dependencies[name] !== range) {
        throw new WorkspaceFileError(
          `${p.dir}/package.json`,
          `${pkg.name}: ${owner[name]} wants ${name}@${dependencies[name]} and ${p.name} wants ${name}@${range}; ` +
            'one production install cannot hold both. Align the two ranges in their package.json files.',
        );
      }
      dependencies[name] = range;
      owner[name] = owner[name] ?? p.name;
    }
  }
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  return { name: pkg.name, version: pkg.manifest.version ?? '0.0.0', private: true, dependencies: sorted };
}

/** For each external production dependency of an app's image, the workspace folder that declares it (the app first). */
export function productionDependencySources(ws: NodeWorkspace, pkg: NodePackage): Record<string, string> {
  const workspaceNames = new Set(ws.packages.map((p) => p.name));
  const sources: Record<string, string> = {};
  for (const p of [pkg, ...workspaceClosure(ws, pkg, true).filter((q) => q !== pkg)]) {
    for (const name of Object.keys({ ...p.manifest.optionalDependencies, ...p.manifest.dependencies })) {
      if (!workspaceNames.has(name) && sources[name] === undefined) sources[name] = p.dir;
    }
  }
  return sources;
}

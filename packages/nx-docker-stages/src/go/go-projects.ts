/**
 * Which Nx projects the Go code forms: apps (a `package main`) and libraries,
 * with roots that agree with projects declared in project.json/package.json
 * and with those @nx-go/nx-go infers (one per go.mod below the workspace root),
 * so that registering both plugins never creates two projects for one folder.
 */
import { posix } from 'node:path';
import { DeclaredProject } from '../workspace/declared-projects';
import { slugify } from '../workspace/slug';
import { deepestContaining, selfAndAncestors } from '../workspace/workspace-paths';
import { GoWorkspace } from './go-workspace';

export interface GoProject {
  root: string;
  name: string;
  type: 'app' | 'library';
  /** For apps: the directory of the main package the image runs. */
  mainPackageDir?: string;
  /** Whether the name comes from a project.json/package.json (then the plugin must not rename it). */
  declared: boolean;
}

/**
 * Lays out the Go projects of a workspace.
 * - A folder declared as a project, or holding a go.mod below the workspace
 *   root, is a project root (a candidate).
 * - A main package is an app: its candidate root when that root holds no other
 *   main package, else its own folder.
 * - Library packages outside every project get a project at their topmost folder.
 */
export function goProjects(ws: GoWorkspace, declared: DeclaredProject[]): GoProject[] {
  const declaredNames = new Map(declared.filter((d) => d.root !== '.').map((d) => [d.root, d.name]));
  const candidates = new Set<string>(declaredNames.keys());
  for (const dir of ws.modules.keys()) if (dir !== '.') candidates.add(dir);

  const mains = [...ws.packages.values()].filter((p) => p.name === 'main').map((p) => p.dir).sort();
  const projects = new Map<string, Omit<GoProject, 'name'> & { name?: string }>();
  // How many main packages each folder holds, counted once up every main package's folder chain.
  const mainsWithin = countWithin(mains);
  for (const mainDir of mains) {
    const candidate = deepestContaining(mainDir, candidates);
    const mainsInCandidate = candidate === undefined ? 0 : mainsWithin.get(candidate) ?? 0;
    const root = candidate !== undefined && mainsInCandidate === 1 ? candidate : mainDir;
    projects.set(root, { root, type: 'app', mainPackageDir: mainDir, declared: declaredNames.has(root), name: declaredNames.get(root) });
  }
  const foldersWithGo = countWithin([...ws.packages.keys()]);
  for (const candidate of candidates) {
    if (projects.has(candidate)) continue;
    const holdsGo = foldersWithGo.has(candidate);
    if (holdsGo) projects.set(candidate, { root: candidate, type: 'library', declared: declaredNames.has(candidate), name: declaredNames.get(candidate) });
  }
  const libraryDirs = [...ws.packages.values()].filter((p) => p.name !== 'main').map((p) => p.dir).sort();
  for (const dir of libraryDirs) {
    if (deepestContaining(dir, projects) !== undefined) continue;
    projects.set(dir, { root: dir, type: 'library', declared: false });
  }

  // Inferred names: the folder's name, or its whole path when two folders share a name or when a
  // declared project already has it (Nx refuses every command of a workspace where two projects share a name).
  const baseName = (root: string) =>
    root === '.' ? posix.basename(ws.packages.get('.')?.importPath ?? ws.modules.get('.')?.modulePath ?? 'root') : posix.basename(root);
  const inferred = [...projects.values()].filter((p) => !p.name);
  const counts = new Map<string, number>();
  for (const p of inferred) counts.set(baseName(p.root), (counts.get(baseName(p.root)) ?? 0) + 1);
  const declaredNamesAnywhere = new Set(declared.map((d) => d.name));
  const taken = (name: string) => counts.get(name)! > 1 || declaredNamesAnywhere.has(name);
  return [...projects.values()]
    .map((p) => ({
      ...p,
      name: p.name ?? (taken(baseName(p.root)) ? slugify(p.root) : baseName(p.root)),
    }))
    .sort((a, b) => a.root.localeCompare(b.root));
}

/** For each folder holding any of `dirs` (itself or below it): how many of them. */
function countWithin(dirs: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const dir of dirs) for (const folder of selfAndAncestors(dir)) counts.set(folder, (counts.get(folder) ?? 0) + 1);
  return counts;
}

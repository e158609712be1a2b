/**
 * The model through the inference cache: createNodes' workspace plan and createDependencies' Go
 * project dependencies are computed only when their inputs changed; otherwise they come from
 * memory (the same plugin worker) or from the cache file (an earlier Nx command).
 */
import type { RawProjectGraphDependency } from '@nx/devkit';
import { GoImportEdge, goImportGraph } from '../go/go-import-graph';
import { goProjectDependencies } from '../go/go-project-dependencies';
import { isGoWorkspaceFile } from '../go/go-workspace';
import { DependencyType } from '../nx-runtime';
import { WorkspacePlan, planWorkspace } from '../plan/workspace-plan';
import { WorkspacePlanJson, workspacePlanFromJson, workspacePlanToJson } from '../plan/workspace-plan-json';
import { declaredProjects } from '../workspace/declared-projects';
import { readGoWorkspaceFromDisk } from './go-files-on-disk';
import { InferenceCache, cacheKey, fileHash } from './inference-cache-file';

/** A workspace-relative file and Nx's hash of it; null when it could not be read. */
type HashedFile = readonly [file: string, hash: string | null];

const byPath = (a: HashedFile, b: HashedFile) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The key of the Go model: the Go files and their hashes, in path order, as both createNodes and createDependencies see them. */
function goModelKey(files: HashedFile[]): string {
  return cacheKey('go-model', files.filter(([file]) => isGoWorkspaceFile(file)).sort(byPath));
}

/**
 * The workspace plan of createNodes' files. Its key hashes the contents of every file it is given
 * (in the order given), so any change that could change the plan computes it again; each file is
 * read once, for the key and the model both.
 */
export function cachedWorkspacePlan(files: readonly string[], read: (file: string) => string, cache: InferenceCache): WorkspacePlan {
  const texts = new Map<string, string>();
  const readOnce = (file: string) => {
    let text = texts.get(file);
    if (text === undefined) texts.set(file, (text = read(file)));
    return text;
  };
  const hashed: HashedFile[] = files.map((file) => {
    try {
      return [file, fileHash(readOnce(file))];
    } catch {
      // Unreadable: the model reports it, naming the file, if it needs the file at all.
      return [file, null];
    }
  });
  const key = cacheKey('workspace-plan', hashed);
  const cached = cache.get<WorkspacePlanJson>('workspace-plan', key);
  if (cached) return workspacePlanFromJson(cached);
  const plan = planWorkspace(files, readOnce, declaredProjects(files, readOnce));
  const json = workspacePlanToJson(plan);
  cache.set('workspace-plan', key, json);
  // createDependencies runs next on the same files: it finds the import graph under their hashes.
  cache.set('go-import-edges', goModelKey(hashed), plan.go.importEdges);
  cache.save();
  return plan;
}

/**
 * The Go import edges as static dependencies between the given projects, each checked by
 * `validate` (Nx's validateDependency). Keyed by the Go files' hashes (from Nx's file map) and the
 * project roots; the import graph comes from createNodes' plan when the Go files are the same,
 * else from reading them.
 */
export function cachedGoProjectDependencies(
  workspaceRoot: string,
  goFiles: Array<{ file: string; hash: string }>,
  projectNamesByRoot: ReadonlyMap<string, string>,
  cache: InferenceCache,
  validate: (dependency: RawProjectGraphDependency) => void,
): RawProjectGraphDependency[] {
  const hashed: HashedFile[] = goFiles.map((f) => [f.file, f.hash]);
  const key = cacheKey('go-project-dependencies', [...hashed].sort(byPath), [...projectNamesByRoot].sort(byPath));
  let dependencies = cache.get<RawProjectGraphDependency[]>('go-project-dependencies', key);
  if (dependencies) {
    dependencies.forEach(validate);
    return dependencies;
  }
  const edges =
    cache.get<GoImportEdge[]>('go-import-edges', goModelKey(hashed)) ??
    goImportGraph(readGoWorkspaceFromDisk(workspaceRoot, goFiles.map((f) => f.file)));
  dependencies = goProjectDependencies(edges, projectNamesByRoot).map((d) => ({ ...d, type: DependencyType.static }));
  dependencies.forEach(validate);
  cache.set('go-project-dependencies', key, dependencies);
  cache.save();
  return dependencies;
}

/**
 * Short lists of Nx file inputs. A go.work unit's apps depend on the go.mod (and go.sum) of every
 * module of the unit; listed one by one, a workspace of 500 modules gives each app target 500+
 * inputs, which Nx then carries, hashes and matches for every app. A folder whose children that
 * hold such a file all belong to the list becomes one `<folder>/*\/<file>` glob: the same files,
 * no more. Pure.
 */
import { posix } from 'node:path';
import { pathInDir } from '../workspace/workspace-paths';

/**
 * Workspace-relative paths and globs that match exactly `listed` among `all` (paths of files with
 * the same base name, e.g. every go.mod of the workspace). `listed` must be a subset of `all`.
 */
export function compactFileGlobs(listed: readonly string[], all: readonly string[]): string[] {
  const wanted = new Set(listed);
  const byFolder = new Map<string, { name: string; files: string[] }>();
  for (const file of all) {
    const dir = posix.dirname(file);
    if (dir === '.') continue; // a top-level file has no folder above it to stand for
    const folder = posix.dirname(dir);
    const key = `${folder}\u0000${posix.basename(file)}`;
    const group = byFolder.get(key) ?? { name: posix.basename(file), files: [] };
    group.files.push(file);
    byFolder.set(key, group);
  }
  const result = new Set<string>();
  const covered = new Set<string>();
  for (const [key, { name, files }] of byFolder) {
    if (files.length < 2 || !files.every((f) => wanted.has(f))) continue;
    const folder = key.slice(0, key.indexOf('\u0000'));
    result.add(pathInDir(folder, `*/${name}`));
    for (const f of files) covered.add(f);
  }
  for (const file of listed) if (!covered.has(file)) result.add(file);
  return [...result].sort();
}

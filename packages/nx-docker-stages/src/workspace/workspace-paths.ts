/**
 * Workspace-relative paths, and where the plugin writes its results. The one home of two facts
 * that every layer needs: how a folder and a path inside it join (`.` is the workspace root), and
 * the output locations of docker-build under `dist/docker/<project>`. Pure.
 */
import { posix } from 'node:path';

/** `path` inside `dir`: `dir` `.` (or empty) is the workspace root, `path` `.` is `dir` itself. */
export function pathInDir(dir: string, path: string): string {
  if (dir === '.' || dir === '') return path;
  return path === '.' ? dir : `${dir}/${path}`;
}

/** The folder of a workspace-relative path, `.` for a file at the root. */
export function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '' ? '.' : dir;
}

/**
 * Whether a path given in an option may leave the folder it is relative to: absolute, or with a
 * `..` segment. The one rule for every path option (the plugin's and the executor's).
 */
export function mayLeaveFolder(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.split(/[\\/]/).includes('..');
}

/** Whether `dir` is `ancestor` or inside it. */
export function isWithin(dir: string, ancestor: string): boolean {
  return ancestor === '.' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

/**
 * `dir` and every folder above it, deepest first, ending with `.`: exactly the
 * folders `a` for which `isWithin(dir, a)` holds.
 */
export function selfAndAncestors(dir: string): string[] {
  const folders = [dir];
  for (let folder = dir, slash = folder.lastIndexOf('/'); slash >= 0; slash = folder.lastIndexOf('/')) {
    folder = folder.slice(0, slash);
    folders.push(folder);
  }
  if (folders[folders.length - 1] !== '.') folders.push('.');
  return folders;
}

/**
 * The deepest of `roots` that is `dir` or one of its ancestors (`.` being the shallowest).
 * Takes the roots as a set (or a map keyed by root), so a lookup costs the depth of `dir`,
 * not the number of roots: workspaces hold thousands of packages and project roots.
 */
export function deepestContaining(dir: string, roots: { has(root: string): boolean }): string | undefined {
  return selfAndAncestors(dir).find((folder) => roots.has(folder));
}

/** Where docker-build keeps everything it writes for one project: the target's only output. */
export function dockerOutputDir(projectName: string): string {
  return `dist/docker/${projectName}`;
}

/** The docker-build target's `outputs` entry, in Nx's interpolation syntax. */
export const DOCKER_OUTPUT_TARGET_PATH = `{workspaceRoot}/${dockerOutputDir('{projectName}')}`;

/** What the build produced: image id, tags, how it was built (engine/image-metadata.ts). */
export function imageMetadataFile(projectName: string): string {
  return `${dockerOutputDir(projectName)}/metadata.json`;
}

/** The saved image, part of the cached result where the Nx cache is shared (engine/image-archive.ts). */
export function imageArchiveFile(projectName: string): string {
  return `${dockerOutputDir(projectName)}/image.tar.gz`;
}

/** A Node app's own build context, which docker-build stages before the engine runs (see NODE_CONTEXT). */
export function nodeImageContextDir(projectName: string): string {
  return `${dockerOutputDir(projectName)}/context`;
}

/** The folders of a Node app's build context: what the Dockerfile copies, and where docker-build stages it. */
export const NODE_CONTEXT = {
  /** The app's runtime files: its Nx build's output, or its package files. */
  app: 'app',
  /** Its workspace libraries as built packages, one folder per package name (copied into node_modules). */
  libraries: 'libraries',
  /** Its production manifest and the lockfile pruned to it (and the package manager's settings files). */
  dependencies: 'deps',
} as const;

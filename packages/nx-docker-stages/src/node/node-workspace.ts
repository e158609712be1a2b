/**
 * The Node side of a workspace as plain data: its package manager and
 * lockfile, and its workspace packages with their manifests. npm workspaces
 * (package-lock.json) and pnpm workspaces (pnpm-lock.yaml) are read.
 * Pure: takes file paths and a reader.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { WorkspaceFileError } from '../workspace/workspace-file-error';

export type PackageManager = 'npm' | 'pnpm';

/** The lockfile each package manager writes at the workspace root. */
export const LOCKFILES: Record<PackageManager, string> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml' };
/** Root files the Node model reads besides package.json: the lockfiles and pnpm's workspace file. */
export const NODE_ROOT_FILES = [...Object.values(LOCKFILES), 'pnpm-workspace.yaml'];

export interface PackageManifest {
  name?: string;
  version?: string;
  private?: boolean;
  main?: string;
  bin?: string | Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  packageManager?: string;
  nx?: { name?: string; projectType?: string };
}

export interface NodePackage {
  /** Workspace-relative folder of the package. */
  dir: string;
  name: string;
  manifest: PackageManifest;
}

export interface NodeWorkspace {
  packageManager: PackageManager;
  /** `pnpm@9.15.9` style, from the root manifest's packageManager field, if any. */
  packageManagerVersion?: string;
  lockfile: string;
  /** Root files the install needs besides the manifests (pnpm-workspace.yaml, .npmrc is never among them: it is a secret). */
  installFiles: string[];
  packages: NodePackage[];
}

export type ReadFile = (path: string) => string;

function parseManifest(text: string, file: string): PackageManifest {
  try {
    return JSON.parse(text) as PackageManifest;
  } catch (e) {
    throw new WorkspaceFileError(file, `${file}: not valid JSON (${(e as Error).message}); fix the file`);
  }
}

function workspacePatterns(root: PackageManifest, pnpmWorkspace: string | undefined): string[] {
  if (pnpmWorkspace !== undefined) {
    const parsed = (parseYaml(pnpmWorkspace) ?? {}) as { packages?: string[] };
    return parsed.packages ?? [];
  }
  const ws = root.workspaces;
  return Array.isArray(ws) ? ws : ws?.packages ?? [];
}

/** A test of whether a folder is a workspace package by the `workspaces` patterns; the patterns are compiled once. */
export function workspaceMatcher(patterns: string[]): (dir: string) => boolean {
  const clean = (p: string) => p.replace(/^\.\//, '').replace(/\/$/, '');
  const include = picomatch(patterns.filter((p) => !p.startsWith('!')).map(clean));
  const excludePatterns = patterns.filter((p) => p.startsWith('!')).map((p) => clean(p.slice(1)));
  const exclude = excludePatterns.length ? picomatch(excludePatterns) : () => false;
  return (dir) => include(dir) && !exclude(dir);
}

/**
 * Reads the Node workspace at the workspace root, or returns null when there
 * is none (no lockfile of a supported package manager next to package.json).
 */
export function readNodeWorkspace(files: string[], readFile: ReadFile): NodeWorkspace | null {
  const fileSet = new Set(files);
  if (!fileSet.has('package.json')) return null;
  const packageManager: PackageManager | null = fileSet.has(LOCKFILES.pnpm) ? 'pnpm' : fileSet.has(LOCKFILES.npm) ? 'npm' : null;
  if (!packageManager) return null;
  const root = parseManifest(readFile('package.json'), 'package.json');
  const pnpmWorkspace = packageManager === 'pnpm' && fileSet.has('pnpm-workspace.yaml') ? readFile('pnpm-workspace.yaml') : undefined;
  const isWorkspacePackage = workspaceMatcher(workspacePatterns(root, pnpmWorkspace));
  const packages: NodePackage[] = [];
  for (const file of [...files].sort()) {
    if (posix.basename(file) !== 'package.json' || file === 'package.json' || file.split('/').includes('node_modules')) continue;
    const dir = posix.dirname(file);
    if (!isWorkspacePackage(dir)) continue;
    const manifest = parseManifest(readFile(file), file);
    packages.push({ dir, name: manifest.nx?.name ?? manifest.name ?? dir, manifest });
  }
  return {
    packageManager,
    packageManagerVersion: root.packageManager?.startsWith(`${packageManager}@`) ? root.packageManager.split('+')[0] : undefined,
    lockfile: LOCKFILES[packageManager],
    installFiles: pnpmWorkspace !== undefined ? ['pnpm-workspace.yaml'] : [],
    packages,
  };
}

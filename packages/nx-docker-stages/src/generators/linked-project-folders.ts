/**
 * Project folders the workspace holds only as a symbolic link. Nx does not follow links when it
 * looks for projects (nor does a generator's tree), so such a folder is no project and gets no
 * image; setup says so instead of leaving it out without a word. I/O: walks the workspace's folders
 * (never into node_modules, VCS data, Nx's own folders or build output) and reads the links.
 */
import { Dirent, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GO_MODULE_FILE_NAMES } from '../go/go-workspace';
import { PROJECT_FILE_NAMES } from '../workspace/declared-projects';

/** Folders never walked: what they hold is not a project of the workspace. */
const NOT_WALKED = new Set(['node_modules', '.git', '.hg', '.svn', '.nx', 'dist', 'tmp', 'vendor', 'testdata']);

/** Files whose presence makes a linked folder one the plugin would have made a project of. */
const PROJECT_MARKERS: readonly string[] = [...PROJECT_FILE_NAMES, ...GO_MODULE_FILE_NAMES];

export interface LinkedProjectFolder {
  /** The link, workspace-relative. */
  path: string;
  /** Where it points, as the file system resolves it. */
  target: string;
}

/** Links below `root` to folders outside it that hold a project.json, package.json, go.mod or Go files. */
export function linkedProjectFolders(root: string): LinkedProjectFolder[] {
  if (!existsSync(root)) return [];
  const realRoot = realpathSync(root);
  const found: LinkedProjectFolder[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder holds nothing Nx would see either
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_WALKED.has(entry.name)) walk(path);
      } else if (entry.isSymbolicLink()) {
        const target = linkedFolder(path);
        if (target && !isInside(target, realRoot) && holdsProject(target)) found.push({ path: relative(root, path).split('\\').join('/'), target });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** The folder a link resolves to, or null for a link to a file or to nothing. */
function linkedFolder(link: string): string | null {
  try {
    return statSync(link).isDirectory() ? realpathSync(link) : null;
  } catch {
    return null;
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

function holdsProject(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => PROJECT_MARKERS.includes(name) || name.endsWith('.go'));
  } catch {
    return false;
  }
}

/** What setup prints for one such link. */
export function linkedProjectFolderMessage(link: LinkedProjectFolder): string {
  return (
    `${link.path} is a symbolic link to ${link.target}, outside the workspace; Nx does not follow links when it looks for projects, ` +
    'so what it holds is no project and gets no image. Move the folder into the workspace in place of the link (or add it as a git submodule) and run setup again'
  );
}

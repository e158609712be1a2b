/**
 * Which version a lockfile gives a package as seen from a workspace folder,
 * so the pruned lockfile can be checked against the workspace's own: npm may
 * nest a dependency under the app's folder (apps/x/node_modules/ms) when
 * another version is hoisted, and a pruned lockfile must keep the one the app
 * really runs with. Pure: lockfile text in, versions out.
 */
import { ownValue } from '../workspace/own-property';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { pathInDir } from '../workspace/workspace-paths';
import { LOCKFILES, PackageManager } from './node-workspace';
import { parseUserYaml } from './user-yaml';

type NpmLock = { packages?: Record<string, { version?: string; link?: boolean }> };
type PnpmSpec = { version?: string } | string;
type PnpmImporter = { dependencies?: Record<string, PnpmSpec>; optionalDependencies?: Record<string, PnpmSpec>; devDependencies?: Record<string, PnpmSpec> };
/** pnpm lockfiles list each workspace folder under `importers`; a single-project lockfile of format 6 (pnpm 8) has its dependencies at the top. */
type PnpmLock = PnpmImporter & { importers?: Record<string, PnpmImporter> };
type Lock = NpmLock & PnpmLock;


/** What a version field holds, when it is a version (the lockfile is the workspace's, edited by hand at times). */
const versionIn = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A lockfile's data; a WorkspaceFileError naming `file` when its text is not JSON (npm) or YAML (pnpm). */
function lockData(pm: PackageManager, text: string, file: string): Lock {
  let data: unknown;
  try {
    data = pm === 'pnpm' ? parseUserYaml(text) : JSON.parse(text);
  } catch (e) {
    const format = pm === 'pnpm' ? 'YAML' : 'JSON';
    throw new WorkspaceFileError(file, `${file}: not valid ${format} (${(e as Error).message.split('\n')[0]}); run "${pm} install" to write it again`);
  }
  return typeof data === 'object' && data !== null ? (data as Lock) : {};
}

/** The version node's resolution from `fromDir` finds for `name` in an npm lockfile (v2/v3), or undefined. */
function npmVersion(lock: NpmLock, fromDir: string, name: string): string | undefined {
  const parts = fromDir === '.' ? [] : fromDir.split('/');
  for (let depth = parts.length; depth >= 0; depth--) {
    const prefix = parts.slice(0, depth).join('/');
    const entry = ownValue(ownValue(lock, 'packages'), pathInDir(prefix || '.', `node_modules/${name}`));
    const version = versionIn(ownValue(entry, 'version'));
    if (version) return version;
  }
  return undefined;
}

function pnpmVersion(lock: PnpmLock, importer: string, name: string): string | undefined {
  const ownImporter = lock.importers ? ownValue(lock.importers, importer) : importer === '.' ? lock : undefined;
  // A devDependency counts too: a build's helper package the image needs is often declared as one.
  const spec = ownValue(ownValue(ownImporter, 'dependencies'), name) ?? ownValue(ownValue(ownImporter, 'optionalDependencies'), name) ?? ownValue(ownValue(ownImporter, 'devDependencies'), name);
  const version = versionIn(spec) ?? versionIn(ownValue(spec, 'version'));
  // `1.2.3(peer@4)` carries peer resolutions; the version is what comes before.
  return version?.split('(')[0];
}

function versionInLock(pm: PackageManager, lock: Lock, fromDir: string, name: string): string | undefined {
  return pm === 'pnpm' ? pnpmVersion(lock, fromDir, name) : npmVersion(lock, fromDir, name);
}

/** The version a lockfile's text gives `name` from `fromDir`. Throws a WorkspaceFileError naming `file` when the text is not a lockfile's format. */
export function lockedVersion(pm: PackageManager, lockText: string, fromDir: string, name: string, file: string = LOCKFILES[pm]): string | undefined {
  return versionInLock(pm, lockData(pm, lockText, file), fromDir, name);
}

/**
 * Compares, for each production dependency and the workspace folder that
 * declares it, the version the workspace lockfile gives there with the version
 * the pruned lockfile installs. Returns one message per difference. Each
 * lockfile is read once, however many dependencies there are.
 */
export function prunedVersionMismatches(
  pm: PackageManager,
  lockfile: string,
  workspaceLock: string,
  prunedLock: string,
  declaredIn: Record<string, string>,
): string[] {
  const workspace = lockData(pm, workspaceLock, lockfile);
  const pruned = lockData(pm, prunedLock, lockfile);
  const problems: string[] = [];
  for (const [name, dir] of Object.entries(declaredIn)) {
    const wanted = versionInLock(pm, workspace, dir, name);
    const prunedVersion = versionInLock(pm, pruned, '.', name);
    if (wanted !== prunedVersion) {
      problems.push(`${name}: ${lockfile} gives ${dir} version ${wanted ?? '(none)'}, the pruned lockfile ${prunedVersion ?? 'has none'}`);
    }
  }
  return problems;
}

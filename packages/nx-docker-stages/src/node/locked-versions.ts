/**
 * Which version a lockfile gives a package as seen from a workspace folder,
 * so the pruned lockfile can be checked against the workspace's own: npm may
 * nest a dependency under the app's folder (apps/x/node_modules/ms) when
 * another version is hoisted, and a pruned lockfile must keep the one the app
 * really runs with. Pure: lockfile text in, versions out.
 */
import { parse as parseYaml } from 'yaml';
import { pathInDir } from '../workspace/workspace-paths';
import { PackageManager } from './node-workspace';

type NpmLock = { packages?: Record<string, { version?: string; link?: boolean }> };
type PnpmSpec = { version?: string } | string;
type PnpmImporter = { dependencies?: Record<string, PnpmSpec>; optionalDependencies?: Record<string, PnpmSpec>; devDependencies?: Record<string, PnpmSpec> };
/** pnpm lockfiles list each workspace folder under `importers`; a single-project lockfile of format 6 (pnpm 8) has its dependencies at the top. */
type PnpmLock = PnpmImporter & { importers?: Record<string, PnpmImporter> };

/** The version node's resolution from `fromDir` finds for `name` in an npm lockfile (v2/v3), or undefined. */
function npmVersion(lock: NpmLock, fromDir: string, name: string): string | undefined {
  const parts = fromDir === '.' ? [] : fromDir.split('/');
  for (let depth = parts.length; depth >= 0; depth--) {
    const prefix = parts.slice(0, depth).join('/');
    const entry = lock.packages?.[pathInDir(prefix || '.', `node_modules/${name}`)];
    if (entry?.version) return entry.version;
  }
  return undefined;
}

function pnpmVersion(lock: PnpmLock, importer: string, name: string): string | undefined {
  const own = lock.importers ? lock.importers[importer] : importer === '.' ? lock : undefined;
  // A devDependency counts too: a build's helper package the image needs is often declared as one.
  const spec = own?.dependencies?.[name] ?? own?.optionalDependencies?.[name] ?? own?.devDependencies?.[name];
  const version = typeof spec === 'string' ? spec : spec?.version;
  // `1.2.3(peer@4)` carries peer resolutions; the version is what comes before.
  return version?.split('(')[0];
}

export function lockedVersion(pm: PackageManager, lockText: string, fromDir: string, name: string): string | undefined {
  return pm === 'pnpm'
    ? pnpmVersion((parseYaml(lockText) ?? {}) as PnpmLock, fromDir, name)
    : npmVersion(JSON.parse(lockText) as NpmLock, fromDir, name);
}

/**
 * Compares, for each production dependency and the workspace folder that
 * declares it, the version the workspace lockfile gives there with the version
 * the pruned lockfile installs. Returns one message per difference.
 */
export function prunedVersionMismatches(
  pm: PackageManager,
  lockfile: string,
  workspaceLock: string,
  prunedLock: string,
  declaredIn: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const [name, dir] of Object.entries(declaredIn)) {
    const wanted = lockedVersion(pm, workspaceLock, dir, name);
    const pruned = lockedVersion(pm, prunedLock, '.', name);
    if (wanted !== pruned) {
      problems.push(`${name}: ${lockfile} gives ${dir} version ${wanted ?? '(none)'}, the pruned lockfile ${pruned ?? 'has none'}`);
    }
  }
  return problems;
}

/**
 * Whether a build saves its image into the cached result. The archive is what
 * lets another machine's cache hit load the image; on the machine that built
 * it, the engine already holds the image (and a hit whose image is gone is
 * rebuilt from BuildKit's cache). So by default the image is archived only
 * when the workspace's Nx cache is shared. Pure: configuration in, answer out.
 */
import type { NxJsonConfiguration } from '@nx/devkit';

/** Nx's own adapters of a self-hosted remote cache (and their Powerpack names). */
const REMOTE_CACHE_PACKAGES = ['s3', 'gcs', 'azure', 'shared-fs'].flatMap((store) => [`@nx/${store}-cache`, `@nx/powerpack-${store}-cache`]);

/** Task runners that only run tasks here; any other (nx-cloud, nx-remotecache-*, …) may share results. */
const LOCAL_RUNNERS = new Set(['nx/tasks-runners/default', '@nrwl/workspace/tasks-runners/default']);

/**
 * What makes this workspace's Nx cache travel between machines, in words, or null when nothing
 * does: a self-hosted cache server, Nx Cloud (unless turned off), a remote-cache package, or a
 * custom task runner.
 */
export function sharedCacheSource(
  nxJson: NxJsonConfiguration | undefined,
  env: Record<string, string | undefined>,
  rootDependencies: readonly string[],
): string | null {
  if (env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER) return 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER is set';
  const cloudOff = env.NX_NO_CLOUD === 'true' || nxJson?.neverConnectToCloud === true;
  const runners = Object.values(nxJson?.tasksRunnerOptions ?? {}) as Array<{ runner?: string; options?: { accessToken?: string } }>;
  if (!cloudOff) {
    if (env.NX_CLOUD_ACCESS_TOKEN) return 'NX_CLOUD_ACCESS_TOKEN is set';
    if (nxJson?.nxCloudId || nxJson?.nxCloudAccessToken || runners.some((r) => r.options?.accessToken)) return 'Nx Cloud is configured in nx.json';
  }
  const remotePackage = rootDependencies.find((name) => REMOTE_CACHE_PACKAGES.includes(name));
  if (remotePackage) return `${remotePackage} is installed`;
  const runner = runners.find((r) => r.runner && !LOCAL_RUNNERS.has(r.runner) && !(cloudOff && /nx-cloud$/.test(r.runner)));
  if (runner) return `nx.json's tasksRunnerOptions use ${runner.runner}`;
  return null;
}

/** Whether the image is archived, and why: the option says so, it is pushed, or the cache is (not) shared. */
export type ArchiveDecision =
  | { save: boolean; why: 'option' }
  | { save: false; why: 'pushed' }
  | { save: true; why: 'shared'; sharedCache: string }
  | { save: false; why: 'not-shared' };

/**
 * The archive decision: `saveImage` when set; otherwise not for a pushed image (its registry holds
 * it) and, for the rest, only when the cache is shared. `sharedCache` is asked only then.
 */
export function archiveDecision(options: { saveImage?: boolean; push?: boolean }, sharedCache: () => string | null): ArchiveDecision {
  if (options.saveImage !== undefined) return { save: options.saveImage, why: 'option' };
  if (options.push) return { save: false, why: 'pushed' };
  const source = sharedCache();
  return source === null ? { save: false, why: 'not-shared' } : { save: true, why: 'shared', sharedCache: source };
}

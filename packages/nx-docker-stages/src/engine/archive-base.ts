/**
 * The runtime base image's layers, left out of the image archive. A `docker save` tar holds
 * every layer of the image, and a Node runtime base alone is ~200 MB; every machine that builds
 * or restores the app has that base anyway. So the archive keeps only the layers the app adds.
 * `docker load` (Docker 20.10, classic layer store) skips a layer whose chain is already in the
 * engine without opening its file, so such an archive loads wherever the base is present; where
 * it is not, the load fails on the first missing file, and the restore explains. Pure.
 */

/** One entry of the manifest.json that `docker save` writes (one per saved image). */
export interface SavedImageEntry {
  Config: string;
  RepoTags?: string[] | null;
  /** Paths, inside the tar, of the layer files, in the order of the config's rootfs.diff_ids. */
  Layers: string[];
}

/**
 * The layer files an archive can leave out: those of the leading layers each saved image shares
 * with the base image (same diff IDs, in the same order). A file that a layer outside that
 * prefix also names is kept, and an entry whose config cannot be read, or whose layer list does
 * not match its diff IDs, keeps all its files.
 */
export function baseLayerFiles(
  manifest: SavedImageEntry[],
  diffIdsOf: (config: string) => string[] | undefined,
  baseDiffIds: string[],
): string[] {
  const omit = new Set<string>();
  const keep = new Set<string>();
  for (const entry of manifest) {
    const diffIds = diffIdsOf(entry.Config);
    const shared = diffIds && diffIds.length === entry.Layers.length ? sharedPrefix(diffIds, baseDiffIds) : 0;
    entry.Layers.forEach((file, i) => (i < shared ? omit : keep).add(file));
  }
  return [...omit].filter((file) => !keep.has(file)).sort();
}

function sharedPrefix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Whether `docker load` failed because a layer file the manifest names is not in the archive. */
export function isMissingLayerFile(loadError: string): boolean {
  return /open \S+: no such file or directory/.test(loadError);
}

/** Why the engine could not supply the base layers an archive left out. */
export type MissingBase =
  /** The engine has an image under the base's name, but not the one the app was built on. */
  | { kind: 'differs' }
  /** The engine has no such image, and pulling it failed. */
  | { kind: 'pull-failed'; pullError: string }
  /** The pull worked, but brought another version than the one the app was built on. */
  | { kind: 'pulled-differs' };

export interface MissingBaseContext {
  project: string;
  targetName: string;
  /** Workspace-relative path of the archive. */
  archive: string;
  baseImage: string;
}

/** The message for a cached image that cannot be loaded because the engine lacks its base layers. */
export function missingBaseMessage(context: MissingBaseContext, why: MissingBase): string {
  const { project, targetName, archive, baseImage } = context;
  const reason =
    why.kind === 'differs'
      ? `the engine has ${baseImage}, but not the version ${project} was built on (it was rebuilt or pulled again since)`
      : why.kind === 'pulled-differs'
        ? `"docker pull ${baseImage}" brought another version than the one ${project} was built on`
        : `the engine does not have ${baseImage}, and "docker pull ${baseImage}" failed: ${why.pullError}`;
  return (
    `${project}: the Nx cache restored ${targetName}, but its image archive (${archive}) holds only the layers ` +
    `${project} adds to its base image ${baseImage}, and this engine lacks the base layers: ${reason}. ` +
    `Fix: pull or build ${baseImage} (the version the build used) and run again, ` +
    `or rebuild the image with: nx run ${project}:${targetName} --skip-nx-cache`
  );
}

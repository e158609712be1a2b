/**
 * The image as part of the cached result: `docker save` into
 * dist/docker/<project>/image.tar.gz after a build, `docker load` from it when
 * a cache hit names an image the engine does not have. An I/O edge.
 */
import execa from 'execa';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { imageArchiveFile } from '../workspace/workspace-paths';
import { SavedImageEntry, baseLayerFiles } from './archive-base';
import { BuildClient } from './docker-client';
import { EngineError } from './engine-error';
import { fileWriteFailure } from './file-write-failure';

/** Absolute path of a project's image archive. */
export function archivePath(workspaceRoot: string, projectName: string): string {
  return join(workspaceRoot, imageArchiveFile(projectName));
}

export interface SaveImageOptions {
  /**
   * The image the runtime stage is built FROM (an image reference, not a stage name). The archive
   * leaves out the layers the saved image shares with it, as the engine has them. Without it, or
   * when the engine does not have that image, the archive holds every layer.
   */
  baseImage?: string;
}

export interface SavedArchive {
  /** The base image whose layers the archive leaves out: record it, the restore needs its layers. */
  archiveBase?: string;
  /** How many layer files the archive leaves out. */
  omittedLayers: number;
}

/**
 * Saves the tagged image, gzipped, through a temporary file: a reader never sees half an archive.
 * With a base image, the archive holds only the layers the app adds to it (see archive-base.ts).
 */
export async function saveImage(
  client: Pick<BuildClient, 'path'>,
  refs: string[],
  path: string,
  options: SaveImageOptions = {},
): Promise<SavedArchive> {
  mkdirSync(dirname(path), { recursive: true });
  const base = options.baseImage && options.baseImage !== 'scratch' ? options.baseImage : undefined;
  const baseDiffIds = base && !(await usesContainerdImageStore(client)) ? await imageDiffIds(client, base) : null;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    if (!baseDiffIds?.length) {
      await saveWhole(client, refs, temporary);
      renameSync(temporary, path);
      return { omittedLayers: 0 };
    }
    const omitted = await saveWithoutBase(client, refs, temporary, baseDiffIds);
    renameSync(temporary, path);
    return omitted > 0 ? { archiveBase: base, omittedLayers: omitted } : { omittedLayers: 0 };
  } catch (e) {
    rmSync(temporary, { force: true });
    // The engine's own failure says what it said; a file-system failure (a full disk) is said as ours.
    if (e instanceof EngineError) throw e;
    throw fileWriteFailure(path, e);
  }
}

async function saveWhole(client: Pick<BuildClient, 'path'>, refs: string[], temporary: string): Promise<void> {
  const child = execa(client.path, ['save', ...refs], { stdout: 'pipe', stderr: 'pipe', buffer: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await Promise.all([pipeline(child.stdout!, createGzip({ level: 1 }), createWriteStream(temporary)), child]);
  } catch (e) {
    child.kill();
    // Writing the archive failed (a full disk): that is the cause, not the engine, which then sees its pipe closed.
    if ((e as NodeJS.ErrnoException).code && !('exitCode' in (e as object))) throw e;
    throw new EngineError(`docker save ${refs.join(' ')} failed: ${stderr.trim() || (e as Error).message}`);
  }
}

/**
 * `docker save` names the layer files in manifest.json, which comes after them in the tar, so the
 * whole tar goes to a scratch file first; then a second pass copies it without the base's layer
 * files. Only the layer files go: their directories (VERSION, json) stay, and manifest.json still
 * lists every layer, as the loader expects.
 */
async function saveWithoutBase(client: Pick<BuildClient, 'path'>, refs: string[], temporary: string, baseDiffIds: string[]): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'nx-docker-stages-save-'));
  try {
    const saved = join(scratch, 'image.tar');
    const result = await execa(client.path, ['save', '--output', saved, ...refs], { reject: false });
    if (result.exitCode !== 0) throw new EngineError(`docker save ${refs.join(' ')} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
    const { manifest, configs } = await readSaveManifest(saved);
    const diffIdsOf = (config: string) => configs.get(config)?.rootfs?.diff_ids;
    const omit = new Set(baseLayerFiles(manifest, diffIdsOf, baseDiffIds));
    await gzipTarWithout(saved, omit, temporary);
    return omit.size;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

interface ImageConfig {
  rootfs?: { diff_ids?: string[] };
}

/** Reads manifest.json and the image configs of a `docker save` tar; no manifest means no layer is left out. */
async function readSaveManifest(path: string): Promise<{ manifest: SavedImageEntry[]; configs: Map<string, ImageConfig> }> {
  const small = new Map<string, Buffer>();
  await eachEntry(path, async (entry) => {
    // Configs are <config>.json in Docker 20.10's layout and blobs/sha256/<digest> from Docker 25 on;
    // either way a few kB. A layer file (20.10: <dir>/layer.tar) is not read into memory.
    const { type, name, size } = entry.header;
    if (type === 'file' && size <= MAX_CONFIG_BYTES && (name.endsWith('.json') || name.startsWith('blobs/'))) {
      small.set(name, await readAll(entry));
    } else {
      entry.resume();
    }
  });
  const manifestText = small.get('manifest.json');
  const manifest = manifestText ? (JSON.parse(manifestText.toString('utf8')) as SavedImageEntry[]) : [];
  const configs = new Map<string, ImageConfig>();
  for (const entry of manifest) {
    const text = small.get(entry.Config);
    if (!text) continue;
    try {
      configs.set(entry.Config, JSON.parse(text.toString('utf8')) as ImageConfig);
    } catch {
      // Not a config this code understands: its image keeps every layer.
    }
  }
  return { manifest, configs };
}

/** Copies the tar at `path` to a gzipped tar at `to`, entry by entry and headers unchanged, without the files named in `omit`. */
async function gzipTarWithout(path: string, omit: Set<string>, to: string): Promise<void> {
  const pack = tar.pack();
  const written = pipeline(pack as unknown as Readable, createGzip({ level: 1 }), createWriteStream(to));
  try {
    await eachEntry(path, async (entry) => {
      if (omit.has(entry.header.name)) {
        entry.resume();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(entry.header, (err) => (err ? reject(err) : resolve()));
        // A failed write (a full disk) destroys the pack and this entry's sink: a rejection, never an unhandled error event.
        sink.on('error', reject);
        entry.on('error', reject);
        entry.pipe(sink);
      });
    });
    pack.finalize();
  } catch (e) {
    pack.destroy(e as Error);
    // The write's own failure is the cause; the entry only saw its stream closed.
    const writeFailure = await written.then(
      () => undefined,
      (w: unknown) => w,
    );
    throw writeFailure ?? e;
  }
  await written;
}

async function eachEntry(path: string, onEntry: (entry: tar.Extract extends AsyncIterable<infer S> ? S : never) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const input = createReadStream(path);
  input.on('error', (e) => extract.destroy(e));
  input.pipe(extract as unknown as Writable);
  for await (const entry of extract) await onEntry(entry);
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The diff IDs of an image's layers, or null when the engine does not have it. */
async function imageDiffIds(client: Pick<BuildClient, 'path'>, ref: string): Promise<string[] | null> {
  const result = await execa(client.path, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref], { reject: false });
  if (result.exitCode !== 0) return null;
  try {
    return (JSON.parse(result.stdout) as string[] | null) ?? [];
  } catch {
    return null;
  }
}

/**
 * Engines with the containerd image store (Docker 24+ opt-in, default on fresh Docker 29 installs)
 * load through containerd, which wants every blob in the archive: keep the whole image there.
 */
async function usesContainerdImageStore(client: Pick<BuildClient, 'path'>): Promise<boolean> {
  const result = await execa(client.path, ['info', '--format', '{{json .DriverStatus}}'], { reject: false });
  return result.stdout.includes('io.containerd.snapshotter');
}

/** `docker load` failed; `engineMessage` is what the engine said. */
export class ImageLoadError extends EngineError {
  constructor(
    readonly archive: string,
    readonly engineMessage: string,
  ) {
    super(`docker load < ${archive} failed: ${engineMessage}`);
    this.name = 'ImageLoadError';
  }
}

/** Loads an archive written by saveImage into the engine (tags included); throws ImageLoadError. */
export async function loadImage(client: Pick<BuildClient, 'path'>, path: string): Promise<void> {
  const child = execa(client.path, ['load', '--quiet'], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false });
  // The engine may stop reading once it has failed: what it says matters, not the broken pipe.
  const fed = pipeline(createReadStream(path), createGunzip(), child.stdin!).catch((e: Error) => e);
  const [feedError, result] = await Promise.all([fed, child]);
  if (result.exitCode !== 0) throw new ImageLoadError(path, result.stderr.trim() || `exit code ${result.exitCode}`);
  if (feedError) throw new ImageLoadError(path, feedError.message);
}

/**
 * Which of the images (ids or references) the engine holds, each with its tags, in one engine call:
 * the no-op path of a run with many cached images should not pay one process per image.
 */
export async function imagesHeld(client: Pick<BuildClient, 'path'>, refs: string[]): Promise<Map<string, string[]>> {
  const held = new Map<string, string[]>();
  if (refs.length === 0) return held;
  // Exits non-zero when any is missing, but still prints the ones it found.
  const result = await execa(client.path, ['image', 'inspect', '--format', '{{.Id}} {{json .RepoTags}}', ...refs], { reject: false });
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space === -1) continue;
    try {
      held.set(line.slice(0, space), (JSON.parse(line.slice(space + 1)) as string[] | null) ?? []);
    } catch {
      // not a line of ours
    }
  }
  return held;
}

/** Whether the engine holds an image id (or reference). */
export async function imageExists(client: Pick<BuildClient, 'path'>, ref: string): Promise<boolean> {
  const result = await execa(client.path, ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false });
  return result.exitCode === 0;
}

/** The registry digests (`name@sha256:…`) the engine knows for an image after a push. */
export async function repoDigests(client: Pick<BuildClient, 'path'>, imageId: string): Promise<string[]> {
  const result = await execa(client.path, ['image', 'inspect', '--format', '{{json .RepoDigests}}', imageId]);
  return JSON.parse(result.stdout) as string[];
}

/** Removes an image from the engine's image list, if there; its layers stay in the build cache. */
export async function removeImage(client: Pick<BuildClient, 'path' | 'env'>, imageId: string): Promise<void> {
  await execa(client.path, ['image', 'rm', imageId], { env: { ...process.env, ...client.env }, reject: false });
}

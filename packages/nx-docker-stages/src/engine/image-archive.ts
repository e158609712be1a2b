/**
 * The image as part of the cached result: `docker save` into
 * dist/docker/<project>/image.tar.gz after a build, `docker load` from it when
 * a cache hit names an image the engine does not have. An I/O edge.
 */
import execa from 'execa';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { BuildClient } from './docker-client';

export function archivePath(workspaceRoot: string, projectName: string): string {
  return join(workspaceRoot, 'dist', 'docker', projectName, 'image.tar.gz');
}

/** Saves the tagged image, gzipped, through a temporary file: a reader never sees half an archive. */
export async function saveImage(client: Pick<BuildClient, 'path'>, refs: string[], path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const child = execa(client.path, ['save', ...refs], { stdout: 'pipe', stderr: 'pipe', buffer: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await Promise.all([pipeline(child.stdout!, createGzip({ level: 1 }), createWriteStream(temporary)), child]);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw new Error(`docker save ${refs.join(' ')} failed: ${stderr.trim() || (e as Error).message}`);
  }
  renameSync(temporary, path);
}

/** Loads an archive written by saveImage into the engine (tags included). */
export async function loadImage(client: Pick<BuildClient, 'path'>, path: string): Promise<void> {
  const child = execa(client.path, ['load', '--quiet'], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
  await Promise.all([pipeline(createReadStream(path), createGunzip(), child.stdin!), child]);
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

/** dist/docker/<project>/metadata.json: what the build produced, written whole or not at all. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileWriteFailure } from './file-write-failure';
import { imageArchiveFile, imageMetadataFile } from '../workspace/workspace-paths';
import { ResolvedImageBuildOptions } from './image-build-options';

export interface ImageMetadata {
  project: string;
  /** The engine's image id (sha256:…). */
  imageId: string;
  /** Full references the image was tagged with. */
  tags: string[];
  /** Registry digests (`registry/name@sha256:…`) when the build pushed the image. */
  repoDigests?: string[];
  /** Workspace-relative path of the saved image archive, when the build saved one. */
  archive?: string;
  /**
   * The base image whose layers the archive leaves out (the runtime stage's FROM image). Loading
   * the archive needs those layers in the engine; absent when the archive holds every layer.
   */
  archiveBase?: string;
  /**
   * The options the image was built with (the Dockerfile and its target stage among them). A
   * cache hit whose image the engine lacks and whose entry has no archive is built again from them.
   */
  build?: ResolvedImageBuildOptions;
}

/** Absolute path of a project's metadata.json. */
export function metadataPath(workspaceRoot: string, projectName: string): string {
  return join(workspaceRoot, imageMetadataFile(projectName));
}

/**
 * Removes a project's build result, metadata.json and the image archive, so a build that fails or
 * never runs leaves no older image's result behind.
 */
export function clearBuildResult(workspaceRoot: string, projectName: string): void {
  for (const file of [imageMetadataFile(projectName), imageArchiveFile(projectName)]) rmSync(join(workspaceRoot, file), { force: true });
}

/**
 * Writes through a temporary file and a rename, so readers never see half a file. On a failure
 * (a full disk) removes the temporary file and throws an EngineError that names the file and the fix.
 */
export function writeMetadata(path: string, metadata: ImageMetadata): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(metadata, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw fileWriteFailure(path, e);
  }
}

/** Reads a metadata.json, or null when there is none or it is not readable. */
export function readMetadata(path: string): ImageMetadata | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ImageMetadata;
  } catch {
    return null;
  }
}

/** dist/docker/<project>/metadata.json: what the build produced, written whole or not at all. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ImageMetadata {
  project: string;
  /** The engine's image id (sha256:…). */
  imageId: string;
  /** Full references the image was tagged with. */
  tags: string[];
  target: string;
  dockerfile: string;
}

export function metadataPath(workspaceRoot: string, projectName: string): string {
  return join(workspaceRoot, 'dist', 'docker', projectName, 'metadata.json');
}

/** Removes the previous result, so a failed build never leaves an older image's metadata behind. */
export function clearMetadata(path: string): void {
  rmSync(path, { force: true });
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export function writeMetadata(path: string, metadata: ImageMetadata): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(metadata, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * The file-system edge of the Go model: reading the workspace's Go files.
 * Everything past this point works on plain data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoWorkspace, isGoWorkspaceFile, readGoWorkspace } from '../go/go-workspace';

/** Reads the Go model of the workspace from the given workspace-relative paths. */
export function readGoWorkspaceFromDisk(workspaceRoot: string, files: string[]): GoWorkspace {
  return readGoWorkspace(files.filter(isGoWorkspaceFile), (file) => readFileSync(join(workspaceRoot, file), 'utf8'));
}

/**
 * The file-system edge of the Go model: which workspace files matter and
 * reading them. Everything past this point works on plain data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoWorkspace, readGoWorkspace } from '../go/go-workspace';

const GO_FILE = /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum|[^/]+\.go)$/;

export function isGoWorkspaceFile(path: string): boolean {
  return GO_FILE.test(path);
}

/** Reads the Go model of the workspace from the given workspace-relative paths. */
export function readGoWorkspaceFromDisk(workspaceRoot: string, files: string[]): GoWorkspace {
  return readGoWorkspace(files.filter(isGoWorkspaceFile), (file) => readFileSync(join(workspaceRoot, file), 'utf8'));
}

/**
 * The whole model in one call: the Go plan and the Node apps of a workspace, from its file list
 * and a reader. Shared by inference (nx/) and the generators. Pure.
 */
import { EMPTY_GO_PLAN, GoPlan, planGo } from '../go/go-plan';
import { GO_MODULE_FILE_NAMES, GO_FILES_GLOB, isGoWorkspaceFile, readGoWorkspace } from '../go/go-workspace';
import { NodeAppPlan, planNodeApps } from '../node/node-apps';
import { NODE_ROOT_FILES, NodeWorkspace, readNodeWorkspace } from '../node/node-workspace';
import { DeclaredProject, PROJECT_FILE_NAMES, PROJECT_FILES_GLOB } from '../workspace/declared-projects';
import { WorkspaceFileError } from '../workspace/workspace-file-error';

export interface WorkspacePlan {
  go: GoPlan;
  /** Go inputs the graph left out (see GoWorkspace.problems). */
  goProblems: WorkspaceFileError[];
  node: { ws: NodeWorkspace; apps: NodeAppPlan[] } | null;
}

/** Every file the model may read, as one glob (createNodes' pattern). */
export const MODEL_FILES_GLOB = `**/{${[...GO_MODULE_FILE_NAMES, '*.go', ...PROJECT_FILE_NAMES, ...NODE_ROOT_FILES].join(',')}}`;

/** The same files as globs from the workspace root (for a generator's tree): the Node workspace's files are read at the root only. */
export const MODEL_FILE_GLOBS = [GO_FILES_GLOB, PROJECT_FILES_GLOB, ...NODE_ROOT_FILES];

export function planWorkspace(files: readonly string[], readFile: (path: string) => string, declared: DeclaredProject[]): WorkspacePlan {
  const goFiles = files.filter(isGoWorkspaceFile);
  const goWs = goFiles.some((f) => f.endsWith('go.mod')) ? readGoWorkspace(goFiles, readFile) : null;
  const nodeWs = readNodeWorkspace([...files], readFile);
  return {
    go: goWs ? planGo(goWs, declared) : EMPTY_GO_PLAN,
    goProblems: goWs?.problems ?? [],
    node: nodeWs ? { ws: nodeWs, apps: planNodeApps(nodeWs) } : null,
  };
}

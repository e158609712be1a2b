/**
 * The whole model in one call: the Go plan and the Node side of a workspace (the verdict on each
 * Node project, and the apps among them), from its file list and a reader. Shared by inference
 * (nx/) and the generators. Pure.
 */
import { EMPTY_GO_PLAN, GoPlan, planGo } from '../go/go-plan';
import { goImportProblems } from '../go/go-import-problems';
import { GO_MODULE_FILE_NAMES, GO_FILES_GLOB, isGoWorkspaceFile, readGoWorkspace } from '../go/go-workspace';
import { NodeAppPlan, NodeProjectVerdict, nodeAppsOf, nodeProjectVerdict } from '../node/node-apps';
import { NODE_ROOT_FILES, NodeWorkspace, readNodeWorkspace } from '../node/node-workspace';
import { DeclaredProject, PROJECT_FILE_NAMES, PROJECT_FILES_GLOB } from '../workspace/declared-projects';
import { WorkspaceFileError } from '../workspace/workspace-file-error';

/** The Node workspace, the verdict on each of its projects that is not a Go project, and the apps among them. */
export interface NodeSide {
  ws: NodeWorkspace;
  verdicts: NodeProjectVerdict[];
  apps: NodeAppPlan[];
}

export interface WorkspacePlan {
  go: GoPlan;
  /** Go inputs the graph left out (see GoWorkspace.problems), and, when asked, imports Go would refuse to build (goImportProblems). */
  goProblems: WorkspaceFileError[];
  node: NodeSide | null;
}

/** Every file the model may read, as one glob (createNodes' pattern). */
export const MODEL_FILES_GLOB = `**/{${[...GO_MODULE_FILE_NAMES, 'modules.txt', '*.go', ...PROJECT_FILE_NAMES, ...NODE_ROOT_FILES].join(',')}}`;

/** The same files as globs from the workspace root (for a generator's tree): the Node workspace's files are read at the root only. */
export const MODEL_FILE_GLOBS = [GO_FILES_GLOB, PROJECT_FILES_GLOB, ...NODE_ROOT_FILES];

/** The Node side of a workspace; projects that are Go projects are left to the Go plan. */
export function nodeSideOf(ws: NodeWorkspace, goRoots: ReadonlySet<string>): NodeSide {
  const verdicts = ws.projects.filter((p) => !goRoots.has(p.root)).map((p) => nodeProjectVerdict(ws, p));
  return { ws, verdicts, apps: nodeAppsOf(verdicts) };
}

/**
 * `checkImports`: also name the imports Go would refuse to build (goImportProblems). Only setup and
 * sync ask: the graph does not need them, and it is computed on every nx command.
 */
export function planWorkspace(
  files: readonly string[],
  readFile: (path: string) => string,
  declared: DeclaredProject[],
  { checkImports = false }: { checkImports?: boolean } = {},
): WorkspacePlan {
  const goFiles = files.filter(isGoWorkspaceFile);
  const goWs = goFiles.some((f) => f.endsWith('go.mod')) ? readGoWorkspace(goFiles, readFile) : null;
  const go = goWs ? planGo(goWs, declared) : EMPTY_GO_PLAN;
  const nodeWs = readNodeWorkspace([...files], readFile);
  return {
    go,
    goProblems: goWs ? [...goWs.problems, ...(checkImports ? goImportProblems(goWs, go.importEdges) : [])] : [],
    node: nodeWs ? nodeSideOf(nodeWs, new Set(go.projects.map((p) => p.root))) : null,
  };
}

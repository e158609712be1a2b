/**
 * The whole model in one call: the Go plan and the Node apps of a workspace,
 * from its file list and a reader. Shared by inference and the generator.
 */
import { GoPlan, planGo } from './go/go-plan';
import { DeclaredProject } from './go/go-projects';
import { readGoWorkspace } from './go/go-workspace';
import { NodeAppPlan, planNodeApps } from './node/node-apps';
import { NodeWorkspace, readNodeWorkspace } from './node/node-workspace';

export interface WorkspacePlan {
  go: GoPlan;
  /** Go inputs the graph left out (see GoWorkspace.problems). */
  goProblems: string[];
  node: { ws: NodeWorkspace; apps: NodeAppPlan[] } | null;
}

const GO_FILE = /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum|[^/]+\.go)$/;

export function isGoWorkspaceFile(path: string): boolean {
  return GO_FILE.test(path);
}

export function planWorkspace(files: readonly string[], readFile: (path: string) => string, declared: DeclaredProject[]): WorkspacePlan {
  const goFiles = files.filter(isGoWorkspaceFile);
  const goWs = goFiles.some((f) => f.endsWith('go.mod')) ? readGoWorkspace(goFiles, readFile) : null;
  const nodeWs = readNodeWorkspace([...files], readFile);
  return {
    go: goWs ? planGo(goWs, declared) : { projects: [], apps: [], dependencies: [], importEdges: [] },
    goProblems: goWs?.problems ?? [],
    node: nodeWs ? { ws: nodeWs, apps: planNodeApps(nodeWs) } : null,
  };
}

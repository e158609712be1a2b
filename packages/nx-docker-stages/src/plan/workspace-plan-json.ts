/**
 * A workspace plan as JSON for the inference cache, and back. Apps share objects: every Go app of
 * a go.work points at the one unit that lists all its modules. Written out plainly, each app would
 * repeat it (megabytes for a thousand projects, and as long to parse), so apps refer to units by
 * index instead, and reading restores one shared object each, as the model built them. The Node
 * apps are not stored: they are the verdicts' apps. Pure.
 */
import { GoAppPlan } from '../go/go-plan';
import { GoUnit } from '../go/go-workspace';
import { nodeAppsOf } from '../node/node-apps';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { NodeSide, WorkspacePlan } from './workspace-plan';

type GoAppJson = Omit<GoAppPlan, 'unit'> & { unit: number };

export interface WorkspacePlanJson {
  /** The units the Go apps build in, each once. */
  goUnits: GoUnit[];
  plan: Omit<WorkspacePlan, 'go' | 'node' | 'goProblems'> & {
    /** Errors as their file and message (an Error's message is not an enumerable property). */
    goProblems: Array<{ file: string; message: string }>;
    go: Omit<WorkspacePlan['go'], 'apps'> & { apps: GoAppJson[] };
    node: Omit<NodeSide, 'apps'> | null;
  };
}

/** The plan as JSON-ready data. */
export function workspacePlanToJson(plan: WorkspacePlan): WorkspacePlanJson {
  const goUnits: GoUnit[] = [];
  const unitIndex = new Map<GoUnit, number>();
  const apps = plan.go.apps.map((app) => {
    let unit = unitIndex.get(app.unit);
    if (unit === undefined) unitIndex.set(app.unit, (unit = goUnits.push(app.unit) - 1));
    return { ...app, unit };
  });
  const goProblems = plan.goProblems.map((p) => ({ file: p.file, message: p.message }));
  const node = plan.node && { ws: plan.node.ws, verdicts: plan.node.verdicts };
  return { goUnits, plan: { ...plan, goProblems, go: { ...plan.go, apps }, node } };
}

/** The plan back from `workspacePlanToJson`'s data (which it takes over: pass a copy). */
export function workspacePlanFromJson({ goUnits, plan }: WorkspacePlanJson): WorkspacePlan {
  return {
    ...plan,
    goProblems: plan.goProblems.map((p) => new WorkspaceFileError(p.file, p.message)),
    go: { ...plan.go, apps: plan.go.apps.map((app) => ({ ...app, unit: goUnits[app.unit] })) },
    node: plan.node && { ...plan.node, apps: nodeAppsOf(plan.node.verdicts) },
  };
}

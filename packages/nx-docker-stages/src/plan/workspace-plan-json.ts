/**
 * A workspace plan as JSON for the inference cache, and back. Apps share objects: every Go app of
 * a go.work points at the one unit that lists all its modules, and every Node app's closures hold
 * the workspace's own package objects. Written out plainly, each app would repeat them (megabytes
 * for a thousand projects, and as long to parse), so apps refer to them by index instead, and
 * reading restores one shared object each, as the model built them. Pure.
 */
import { GoAppPlan } from '../go/go-plan';
import { GoUnit } from '../go/go-workspace';
import { NodeAppPlan } from '../node/node-apps';
import { NodePackage } from '../node/node-workspace';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { WorkspacePlan } from './workspace-plan';

type GoAppJson = Omit<GoAppPlan, 'unit'> & { unit: number };
type NodeAppJson = Omit<NodeAppPlan, 'pkg' | 'buildClosure' | 'runtimeLibraries'> & { pkg: number; buildClosure: number[]; runtimeLibraries: number[] };

export interface WorkspacePlanJson {
  /** The units the Go apps build in, each once. */
  goUnits: GoUnit[];
  plan: Omit<WorkspacePlan, 'go' | 'node' | 'goProblems'> & {
    /** Errors as their file and message (an Error's message is not an enumerable property). */
    goProblems: Array<{ file: string; message: string }>;
    go: Omit<WorkspacePlan['go'], 'apps'> & { apps: GoAppJson[] };
    /** Node apps name packages by their index in `ws.packages`. */
    node: { ws: NonNullable<WorkspacePlan['node']>['ws']; apps: NodeAppJson[] } | null;
  };
}

/**
 * The plan as JSON-ready data, or null when a Node app holds a package that is not one of the
 * workspace's (the model never builds such a plan; the cache then just keeps nothing).
 */
export function workspacePlanToJson(plan: WorkspacePlan): WorkspacePlanJson | null {
  const goUnits: GoUnit[] = [];
  const unitIndex = new Map<GoUnit, number>();
  const apps = plan.go.apps.map((app) => {
    let unit = unitIndex.get(app.unit);
    if (unit === undefined) unitIndex.set(app.unit, (unit = goUnits.push(app.unit) - 1));
    return { ...app, unit };
  });
  let node: WorkspacePlanJson['plan']['node'] = null;
  if (plan.node) {
    const packageIndex = new Map(plan.node.ws.packages.map((p, i) => [p, i]));
    const indexOf = (p: NodePackage) => packageIndex.get(p) ?? -1;
    const nodeApps = plan.node.apps.map((app) => ({
      ...app,
      pkg: indexOf(app.pkg),
      buildClosure: app.buildClosure.map(indexOf),
      runtimeLibraries: app.runtimeLibraries.map(indexOf),
    }));
    if (nodeApps.some((a) => a.pkg < 0 || a.buildClosure.includes(-1) || a.runtimeLibraries.includes(-1))) return null;
    node = { ws: plan.node.ws, apps: nodeApps };
  }
  const goProblems = plan.goProblems.map((p) => ({ file: p.file, message: p.message }));
  return { goUnits, plan: { ...plan, goProblems, go: { ...plan.go, apps }, node } };
}

/** The plan back from `workspacePlanToJson`'s data (which it takes over: pass a copy). */
export function workspacePlanFromJson({ goUnits, plan }: WorkspacePlanJson): WorkspacePlan {
  const packages = plan.node?.ws.packages ?? [];
  return {
    ...plan,
    goProblems: plan.goProblems.map((p) => new WorkspaceFileError(p.file, p.message)),
    go: { ...plan.go, apps: plan.go.apps.map((app) => ({ ...app, unit: goUnits[app.unit] })) },
    node: plan.node && {
      ws: plan.node.ws,
      apps: plan.node.apps.map((app) => ({
        ...app,
        pkg: packages[app.pkg],
        buildClosure: app.buildClosure.map((i) => packages[i]),
        runtimeLibraries: app.runtimeLibraries.map((i) => packages[i]),
      })),
    },
  };
}

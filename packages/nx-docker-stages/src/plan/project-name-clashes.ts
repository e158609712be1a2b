/**
 * Folders the workspace would give one project name: Nx refuses every command of such a workspace,
 * so setup and sync name them before writing anything for a graph Nx would then refuse. Pure: the
 * plan in, the clashes out.
 */
import { WorkspacePlan } from './workspace-plan';

export interface NamedProject {
  name: string;
  root: string;
  /** Where the name comes from: the declaring file, or how the plugin inferred it. */
  source: string;
}

export interface ProjectNameClash {
  name: string;
  projects: NamedProject[];
}

/** Every project of the plan, once per folder: the Node projects, then the Go projects not declared as one. */
export function projectsOfPlan(plan: WorkspacePlan): NamedProject[] {
  const byRoot = new Map<string, NamedProject>();
  for (const p of plan.node?.ws.projects ?? []) byRoot.set(p.root, { name: p.name, root: p.root, source: p.file });
  for (const p of plan.go.projects) {
    if (!byRoot.has(p.root)) byRoot.set(p.root, { name: p.name, root: p.root, source: p.declared ? `${p.root} (declared)` : `${p.root} (a Go ${p.type}, named by nx-docker-stages)` });
  }
  return [...byRoot.values()];
}

/** The names that more than one folder would get, each with those folders (sorted by root). */
export function projectNameClashes(projects: NamedProject[]): ProjectNameClash[] {
  const byName = new Map<string, NamedProject[]>();
  for (const p of projects) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  return [...byName.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([name, list]) => ({ name, projects: [...list].sort((a, b) => a.root.localeCompare(b.root)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The message for one clash: both folders, and the fix. */
export function projectNameClashMessage(clash: ProjectNameClash): string {
  return (
    `${clash.projects.map((p) => p.source).join(' and ')} are ${clash.projects.length === 2 ? 'both' : 'all'} named "${clash.name}", and Nx refuses a workspace where two projects share a name; ` +
    'give each its own "name" (in its project.json, or package.json "name" or "nx.name")'
  );
}

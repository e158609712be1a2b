/**
 * The Go plan of a workspace: its projects, the image each app needs, and the
 * project dependencies its imports make. Pure: the model in one call.
 */
import { GoAppPlan } from '../docker/render-go-stages';
import { GoImportEdge, closureCopyDirs, goImportGraph, goPackageClosure } from './go-import-graph';
import { DeclaredProject, GoProject, goProjects, projectOfPackage, projectsByRoot } from './go-projects';
import { GoWorkspace, unitOfModule } from './go-workspace';

export interface GoProjectDependency {
  source: string;
  target: string;
  sourceFile: string;
}

export interface GoPlan {
  projects: GoProject[];
  apps: GoAppPlan[];
  dependencies: GoProjectDependency[];
  /** Every import edge between workspace packages; createDependencies maps them onto Nx's projects. */
  importEdges: GoImportEdge[];
}

export function planGo(ws: GoWorkspace, declared: DeclaredProject[]): GoPlan {
  const projects = goProjects(ws, declared);
  const apps: GoAppPlan[] = projects
    .filter((p) => p.type === 'app')
    .map((p) => {
      const main = ws.packages.get(p.mainPackageDir!)!;
      return {
        projectName: p.name,
        projectRoot: p.root,
        unit: unitOfModule(ws, main.moduleDir),
        mainPackageDir: main.dir,
        copyDirs: closureCopyDirs(goPackageClosure(ws, main.dir)),
      };
    });
  const dependencies: GoProjectDependency[] = [];
  const seen = new Set<string>();
  const byRoot = projectsByRoot(projects);
  const importEdges = goImportGraph(ws);
  for (const edge of importEdges) {
    const source = projectOfPackage(byRoot, edge.fromPackage);
    const target = projectOfPackage(byRoot, edge.toPackage);
    if (!source || !target || source === target) continue;
    const key = `${source.name}\u0000${target.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    dependencies.push({ source: source.name, target: target.name, sourceFile: edge.sourceFile });
  }
  return { projects, apps, dependencies, importEdges };
}

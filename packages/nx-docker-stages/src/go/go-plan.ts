/**
 * The Go plan of a workspace: its projects, the image each app needs, and every import edge
 * between its packages (createDependencies maps them onto Nx's projects, see
 * go-project-dependencies.ts). Pure: the model in one call.
 */
import { DeclaredProject } from '../workspace/declared-projects';
import { GoImportEdge, closureCopyDirs, goImportGraph, goPackageClosure } from './go-import-graph';
import { GoProject, goProjects } from './go-projects';
import { GoUnit, GoWorkspace, unitOfModule } from './go-workspace';

/** What a Go app's image is built from. */
export interface GoAppPlan {
  projectName: string;
  /** The project's root, workspace-relative: where its Dockerfile goes. */
  projectRoot: string;
  /** The go.work or module it builds in: its base stage. */
  unit: GoUnit;
  /** Directory of the main package, workspace-relative. */
  mainPackageDir: string;
  /** Directories to copy: the app's package closure. */
  copyDirs: string[];
  /**
   * Whether it is built with cgo, linked with the C library: a package of its closure uses cgo, or the
   * person said so (goEnv CGO_ENABLED, applied by the generators: generators/stage-files.ts).
   */
  cgo: boolean;
  /**
   * Set when a person decided cgo for the app (goEnv CGO_ENABLED): a static build then skips the check
   * that no imported package uses cgo (render-go-stages.ts), as building their pure-Go stand-in is asked for.
   */
  cgoSetByPerson?: boolean;
}

export interface GoPlan {
  projects: GoProject[];
  apps: GoAppPlan[];
  /** Every import edge between workspace packages. */
  importEdges: GoImportEdge[];
}

export const EMPTY_GO_PLAN: GoPlan = { projects: [], apps: [], importEdges: [] };

export function planGo(ws: GoWorkspace, declared: DeclaredProject[]): GoPlan {
  const projects = goProjects(ws, declared);
  const apps: GoAppPlan[] = projects
    .filter((p) => p.type === 'app')
    .map((p) => {
      const main = ws.packages.get(p.mainPackageDir!)!;
      const closure = goPackageClosure(ws, main.dir);
      return {
        projectName: p.name,
        projectRoot: p.root,
        unit: unitOfModule(ws, main.moduleDir),
        mainPackageDir: main.dir,
        copyDirs: closureCopyDirs(closure),
        cgo: closure.some((pkg) => pkg.usesCgo),
      };
    });
  return { projects, apps, importEdges: goImportGraph(ws) };
}

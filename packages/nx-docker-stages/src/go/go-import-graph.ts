/**
 * Which workspace packages a Go package imports, resolved the way the go
 * command resolves them in module or workspace mode, without a toolchain.
 */
import { GoPackage, GoWorkspace, unitOfModule } from './go-workspace';

type VisibleModules = Array<{ modulePath: string; dir: string }>;

/** Per workspace model and module: resolution runs once per import, and the answer only depends on the module. */
const visibleModulesCache = new WeakMap<GoWorkspace, Map<string, VisibleModules>>();

/** Module paths visible from a module: its unit's modules (go.work), itself and its local replace targets. */
function visibleModules(ws: GoWorkspace, moduleDir: string): VisibleModules {
  let perModule = visibleModulesCache.get(ws);
  if (!perModule) visibleModulesCache.set(ws, (perModule = new Map()));
  let visible = perModule.get(moduleDir);
  if (!visible) perModule.set(moduleDir, (visible = computeVisibleModules(ws, moduleDir)));
  return visible;
}

function computeVisibleModules(ws: GoWorkspace, moduleDir: string): VisibleModules {
  const seen = new Map<string, string>();
  const unit = unitOfModule(ws, moduleDir);
  for (const dir of unit.moduleDirs) {
    const m = ws.modules.get(dir)!;
    seen.set(m.modulePath, m.dir);
    for (const r of m.localReplaces) if (!seen.has(r.modulePath) && ws.modules.has(r.dir)) seen.set(r.modulePath, r.dir);
  }
  const own = ws.modules.get(moduleDir)!;
  seen.set(own.modulePath, own.dir);
  // Longest module path first, so nested modules win over their parents.
  return [...seen].map(([modulePath, dir]) => ({ modulePath, dir })).sort((a, b) => b.modulePath.length - a.modulePath.length);
}

/**
 * Resolves an import path to a workspace package directory, or undefined when
 * it is a standard-library or external package.
 */
export function resolveGoImport(ws: GoWorkspace, fromModuleDir: string, importPath: string): string | undefined {
  for (const { modulePath, dir } of visibleModules(ws, fromModuleDir)) {
    if (importPath !== modulePath && !importPath.startsWith(`${modulePath}/`)) continue;
    const rest = importPath.slice(modulePath.length + 1);
    const pkgDir = rest ? (dir === '.' ? rest : `${dir}/${rest}`) : dir;
    return ws.packages.has(pkgDir) ? pkgDir : undefined;
  }
  return undefined;
}

export interface GoImportEdge {
  fromPackage: string;
  toPackage: string;
  /** The file whose import makes the edge (for Nx's static dependencies). */
  sourceFile: string;
}

/** Every direct import edge between workspace packages, one per (package, imported package), from built files only. */
export function goImportGraph(ws: GoWorkspace): GoImportEdge[] {
  const edges: GoImportEdge[] = [];
  for (const pkg of ws.packages.values()) {
    const seen = new Set<string>();
    for (const source of pkg.sources) {
      for (const importPath of source.imports) {
        const target = resolveGoImport(ws, pkg.moduleDir, importPath);
        if (!target || target === pkg.dir || seen.has(target)) continue;
        seen.add(target);
        edges.push({ fromPackage: pkg.dir, toPackage: target, sourceFile: source.file });
      }
    }
  }
  return edges;
}

/**
 * The package closure of an app: its main package and every workspace package
 * it imports, directly or transitively, resolved from the app's module (whose
 * replace directives apply to the whole build). Sorted, main package first.
 */
export function goPackageClosure(ws: GoWorkspace, mainPackageDir: string): GoPackage[] {
  const main = ws.packages.get(mainPackageDir);
  if (!main) throw new Error(`${mainPackageDir}: no buildable Go package here`);
  const visited = new Set<string>([main.dir]);
  const queue = [main];
  while (queue.length) {
    const pkg = queue.shift()!;
    for (const source of pkg.sources) {
      for (const importPath of source.imports) {
        const target = resolveGoImport(ws, main.moduleDir, importPath) ?? resolveGoImport(ws, pkg.moduleDir, importPath);
        if (target && !visited.has(target)) {
          visited.add(target);
          queue.push(ws.packages.get(target)!);
        }
      }
    }
  }
  const rest = [...visited].filter((d) => d !== main.dir).sort();
  return [main, ...rest.map((d) => ws.packages.get(d)!)];
}

/** Package directories to copy into a build stage: the closure, without directories already inside another copied one. */
export function closureCopyDirs(closure: GoPackage[]): string[] {
  const dirs = [...new Set(closure.map((p) => p.dir))].sort();
  return dirs.filter((d) => !dirs.some((other) => other !== d && (other === '.' || d.startsWith(`${other}/`))));
}

/**
 * Which workspace packages a Go package imports, resolved the way the go
 * command resolves them in module or workspace mode, without a toolchain.
 */
import { pathInDir, selfAndAncestors } from '../workspace/workspace-paths';
import { GoPackage, GoUnit, GoWorkspace, unitOfModule } from './go-workspace';

/** Module path → module directory, for the module paths an import can resolve to. */
type VisibleModules = ReadonlyMap<string, string>;

/**
 * Per workspace model: the visible modules of each unit, and of each module whose own path the
 * unit maps elsewhere. Every module of a go.work sees the same modules, so one map serves them all.
 */
const visibleModulesCache = new WeakMap<GoWorkspace, { perUnit: Map<GoUnit, VisibleModules>; perModule: Map<string, VisibleModules> }>();

/** Module paths visible from a module: its unit's modules (go.work), itself and its local replace targets. */
function visibleModules(ws: GoWorkspace, moduleDir: string): VisibleModules {
  let cached = visibleModulesCache.get(ws);
  if (!cached) visibleModulesCache.set(ws, (cached = { perUnit: new Map(), perModule: new Map() }));
  let visible = cached.perModule.get(moduleDir);
  if (visible) return visible;
  const unit = unitOfModule(ws, moduleDir);
  let ofUnit = cached.perUnit.get(unit);
  if (!ofUnit) cached.perUnit.set(unit, (ofUnit = unitModules(ws, unit)));
  const own = ws.modules.get(moduleDir)!;
  // The module's own path always resolves to itself, even where the unit maps it elsewhere.
  visible = ofUnit.get(own.modulePath) === own.dir ? ofUnit : new Map(ofUnit).set(own.modulePath, own.dir);
  cached.perModule.set(moduleDir, visible);
  return visible;
}

function unitModules(ws: GoWorkspace, unit: GoUnit): Map<string, string> {
  const seen = new Map<string, string>();
  for (const dir of unit.moduleDirs) {
    const m = ws.modules.get(dir)!;
    seen.set(m.modulePath, m.dir);
    for (const r of m.localReplaces) if (!seen.has(r.modulePath) && ws.modules.has(r.dir)) seen.set(r.modulePath, r.dir);
  }
  return seen;
}

/**
 * Resolves an import path to a workspace package directory, or undefined when
 * it is a standard-library or external package. The longest visible module path
 * that is the import path or a prefix of it wins, so nested modules win over their
 * parents: the lookup tries the import path, then each parent path.
 */
export function resolveGoImport(ws: GoWorkspace, fromModuleDir: string, importPath: string): string | undefined {
  const pkgDir = workspaceDirOfImport(ws, fromModuleDir, importPath)?.packageDir;
  return pkgDir !== undefined && ws.packages.has(pkgDir) ? pkgDir : undefined;
}

/**
 * The workspace module an import path falls in, seen from a module, and the folder its package would
 * be in (which may hold no package); undefined for a path outside every visible workspace module.
 */
export function workspaceDirOfImport(ws: GoWorkspace, fromModuleDir: string, importPath: string): { modulePath: string; packageDir: string } | undefined {
  const visible = visibleModules(ws, fromModuleDir);
  for (let modulePath = importPath; ; modulePath = modulePath.slice(0, modulePath.lastIndexOf('/'))) {
    const dir = visible.get(modulePath);
    if (dir !== undefined) {
      const rest = importPath.slice(modulePath.length + 1);
      return { modulePath, packageDir: rest ? pathInDir(dir, rest) : dir };
    }
    if (!modulePath.includes('/')) return undefined;
  }
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
  const copied = new Set(dirs);
  return dirs.filter((d) => !selfAndAncestors(d).some((folder) => folder !== d && copied.has(folder)));
}

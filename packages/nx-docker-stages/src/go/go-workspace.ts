/**
 * The Go side of a workspace as plain data: modules, the units that share a
 * base stage (a go.work, or a module with its local replace targets), and
 * packages with the imports of the files that are built into images.
 * Pure: takes file paths and a reader, never touches the file system itself.
 */
import { posix } from 'node:path';
import { slugify } from '../workspace/slug';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { deepestContaining, dirOf, pathInDir } from '../workspace/workspace-paths';
import { compactFileGlobs } from './compact-file-globs';
import { GoModFile, GoVersionDirectives, normaliseRelativeDir, parseGoMod, parseGoWork } from './go-mod';
import { isBuiltForImage, parseGoSourceHeader } from './go-source';

export interface GoModule {
  /** Workspace-relative directory holding go.mod (`.` for the root). */
  dir: string;
  modulePath: string;
  hasGoSum: boolean;
  /** Local `replace` targets as workspace-relative directories. */
  localReplaces: Array<{ modulePath: string; dir: string }>;
  /** The module paths its go.mod `require`s. */
  requires: string[];
  /** The Go its go.mod asks for. */
  goVersion: GoVersionDirectives;
}

/** Modules that build together and so share one base stage. */
export interface GoUnit {
  /** Stable id, used in stage names: `go` for the root, else the slugged directory. */
  id: string;
  kind: 'work' | 'module';
  /** Directory of the go.work, or of the module. */
  dir: string;
  /** Directories of the modules whose go.mod the base stage copies. */
  moduleDirs: string[];
  /** The module directories among moduleDirs that have a go.sum (a module without requirements has none). */
  goSumDirs: string[];
  hasGoWorkSum: boolean;
  /** The Go the unit asks for: the directives of its go.work, or of its module's go.mod. */
  goVersion: GoVersionDirectives;
  /**
   * The unit's vendor tree (`<dir>/vendor`, with its modules.txt), when it has one: Go then builds
   * from it (-mod=vendor) and downloads nothing.
   */
  vendorDir?: string;
  /**
   * The unit's go.work, go.work.sum and its modules' go.mod and go.sum files as workspace-relative
   * paths and globs matching exactly those (see compactFileGlobs), and its vendor tree: the inputs
   * of its apps' targets.
   */
  inputFiles: string[];
}

export interface GoPackage {
  dir: string;
  importPath: string;
  moduleDir: string;
  name: string;
  /** Built (non-test, constraint-satisfying) files with their imports. */
  sources: Array<{ file: string; imports: string[] }>;
  /** Whether one of them is a cgo file (`import "C"`): an app that imports the package is built with cgo. */
  usesCgo: boolean;
}

export interface GoWorkspace {
  modules: Map<string, GoModule>;
  units: GoUnit[];
  packages: Map<string, GoPackage>;
  /**
   * What the model had to leave out, each as a message naming the file and the fix
   * (a go.mod Go would refuse, with its module; a file whose build constraint Go would
   * refuse; a go.work `use` or a `replace` without a go.mod in the workspace). The graph
   * goes on without them; the generators (setup, `nx sync`, `nx sync:check`) refuse to
   * write stages that cannot build, naming each.
   */
  problems: WorkspaceFileError[];
}

/** The files of a Go workspace besides its sources. */
export const GO_MODULE_FILE_NAMES = ['go.mod', 'go.sum', 'go.work', 'go.work.sum'] as const;
/** The manifest of a vendor tree (`go mod vendor`, `go work vendor`): a module or go.work with it builds from `vendor/`. */
export const VENDOR_MANIFEST = 'vendor/modules.txt';
/** Every file the Go model reads, wherever it is. */
export const GO_FILES_GLOB = `**/{${[...GO_MODULE_FILE_NAMES, 'modules.txt', '*.go'].join(',')}}`;
const GO_FILE = /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum|vendor\/modules\.txt|[^/]+\.go)$/;

/** Whether the Go model reads this workspace-relative file (GO_FILES_GLOB as a test). */
export function isGoWorkspaceFile(path: string): boolean {
  return GO_FILE.test(path);
}

export type ReadFile = (path: string) => string;

/** Go ignores directories named `testdata` or starting with `.` or `_`; `vendor` and `node_modules` hold no workspace code. */
export function isIgnoredGoPath(path: string): boolean {
  return path
    .split('/')
    .slice(0, -1)
    .some((part) => part === 'testdata' || part === 'vendor' || part === 'node_modules' || part.startsWith('.') || part.startsWith('_'));
}

/** A relative folder (from go.mod, go.work) resolved against `dir`, `..` folded. */
export function joinDir(dir: string, rel: string): string {
  return normaliseRelativeDir(pathInDir(dir, rel));
}

/**
 * Builds the Go workspace model from workspace-relative file paths (go.mod,
 * go.sum, go.work, go.work.sum, *.go) and a reader for their contents.
 * Errors name the file and the fix.
 */
export function readGoWorkspace(files: string[], readFile: ReadFile): GoWorkspace {
  const modules = new Map<string, GoModule>();
  const fileSet = new Set(files);
  const problems: WorkspaceFileError[] = [];
  // A go.mod Go itself would refuse: that module is left out (with its packages), the others go on.
  const broken = new Set<string>();
  for (const file of files) {
    if (posix.basename(file) !== 'go.mod' || isIgnoredGoPath(file)) continue;
    const dir = dirOf(file);
    let parsed: GoModFile;
    try {
      parsed = parseGoMod(readFile(file), file);
    } catch (e) {
      if (!(e instanceof WorkspaceFileError)) throw e;
      problems.push(e);
      broken.add(dir);
      continue;
    }
    modules.set(dir, {
      dir,
      modulePath: parsed.modulePath,
      hasGoSum: fileSet.has(pathInDir(dir, 'go.sum')),
      requires: parsed.requires,
      goVersion: parsed.goVersion,
      localReplaces: parsed.localReplaces.map((r) => ({
        modulePath: r.modulePath,
        dir: r.directory.startsWith('/') ? r.directory : joinDir(dir, r.directory),
      })),
    });
  }

  const units = goUnits(files, readFile, modules, broken, fileSet, problems);
  const moduleDirs = { has: (dir: string) => modules.has(dir) || broken.has(dir) };

  const packages = new Map<string, GoPackage>();
  for (const file of [...files].sort()) {
    if (!file.endsWith('.go') || isIgnoredGoPath(file)) continue;
    const dir = dirOf(file);
    const moduleDir = deepestContaining(dir, moduleDirs);
    // Go code outside any module is not buildable; code of a module whose go.mod is broken is left out with it.
    if (moduleDir === undefined || broken.has(moduleDir)) continue;
    const header = parseGoSourceHeader(readFile(file));
    if (!header) continue;
    let built: boolean;
    try {
      built = isBuiltForImage(file, header);
    } catch (e) {
      // Go refuses the file too: the graph goes on without it, setup and sync name it.
      problems.push(new WorkspaceFileError(file, `${file}: ${(e as Error).message}; fix the constraint so "go vet" accepts it`));
      continue;
    }
    if (!built) continue;
    const module = modules.get(moduleDir)!;
    const rel = moduleDir === '.' ? dir : dir === moduleDir ? '.' : dir.slice(moduleDir.length + 1);
    let pkg = packages.get(dir);
    if (!pkg) {
      pkg = {
        dir,
        moduleDir,
        importPath: pathInDir(module.modulePath, rel),
        name: header.packageName,
        sources: [],
        usesCgo: false,
      };
      packages.set(dir, pkg);
    }
    pkg.sources.push({ file, imports: [...new Set(header.imports)] });
    if (header.imports.includes('C')) pkg.usesCgo = true;
  }
  return { modules, units, packages, problems };
}

/** A unit's id in stage names: `go` for the workspace root, else from its folder. */
function goUnitId(dir: string): string {
  return dir === '.' ? 'go' : `go-${slugify(dir)}`;
}

function goUnits(
  files: string[],
  readFile: ReadFile,
  modules: Map<string, GoModule>,
  broken: ReadonlySet<string>,
  fileSet: Set<string>,
  problems: WorkspaceFileError[],
): GoUnit[] {
  const units: GoUnit[] = [];
  const claimed = new Set<string>();
  // Go reads a vendor tree of the main module, or of the go.work (Go 1.22+), only there.
  const vendorDirOf = (dir: string): Pick<GoUnit, 'vendorDir'> =>
    fileSet.has(pathInDir(dir, VENDOR_MANIFEST)) ? { vendorDir: pathInDir(dir, 'vendor') } : {};
  for (const file of files.filter((f) => posix.basename(f) === 'go.work' && !isIgnoredGoPath(f)).sort()) {
    const dir = dirOf(file);
    const moduleDirs: string[] = [];
    const goWork = parseGoWork(readFile(file));
    for (const use of goWork.use) {
      const moduleDir = use.startsWith('/') ? use : joinDir(dir, use);
      // A module whose go.mod is broken has its own problem already.
      if (broken.has(moduleDir)) continue;
      if (moduleDir.startsWith('/') || moduleDir === '..' || moduleDir.startsWith('../')) {
        problems.push(new WorkspaceFileError(file, `${file}: "use ${use}" names ${moduleDir}, outside the workspace, where an image build cannot see it; move the module into the workspace`));
        continue;
      }
      if (!modules.has(moduleDir)) {
        problems.push(new WorkspaceFileError(file, `${file}: "use ${use}" names ${moduleDir}, which has no go.mod; create it with "go mod init" or remove the line`));
        continue;
      }
      moduleDirs.push(moduleDir);
      claimed.add(moduleDir);
    }
    units.push({
      id: goUnitId(dir),
      kind: 'work',
      dir,
      moduleDirs: moduleDirs.sort(),
      goSumDirs: moduleDirs.filter((d) => modules.get(d)!.hasGoSum),
      hasGoWorkSum: fileSet.has(pathInDir(dir, 'go.work.sum')),
      goVersion: goWork.goVersion,
      ...vendorDirOf(dir),
      inputFiles: [],
    });
  }
  for (const module of [...modules.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
    if (claimed.has(module.dir)) continue;
    const moduleDirs = new Set([module.dir]);
    for (const r of module.localReplaces) {
      if (broken.has(r.dir)) continue;
      if (!modules.has(r.dir)) {
        const goMod = pathInDir(module.dir, 'go.mod');
        const outside = r.dir.startsWith('/') || r.dir.startsWith('..');
        problems.push(
          new WorkspaceFileError(goMod, outside
            ? `${goMod}: "replace ${r.modulePath}" points at ${r.dir}, outside the workspace, where an image build cannot see it; move the module into the workspace`
            : `${goMod}: "replace ${r.modulePath}" points at ${r.dir}, which has no go.mod; fix the path or add the module`),
        );
        continue;
      }
      moduleDirs.add(r.dir);
    }
    units.push({
      id: goUnitId(module.dir),
      kind: 'module',
      dir: module.dir,
      moduleDirs: [...moduleDirs].sort(),
      goSumDirs: [...moduleDirs].filter((d) => modules.get(d)!.hasGoSum).sort(),
      hasGoWorkSum: false,
      goVersion: module.goVersion,
      ...vendorDirOf(module.dir),
      inputFiles: [],
    });
  }
  const ofName = (name: string) => [...fileSet].filter((f) => posix.basename(f) === name);
  const allGoMods = ofName('go.mod');
  const allGoSums = ofName('go.sum');
  for (const unit of units) {
    unit.inputFiles = [
      ...(unit.kind === 'work' ? [pathInDir(unit.dir, 'go.work'), ...(unit.hasGoWorkSum ? [pathInDir(unit.dir, 'go.work.sum')] : [])] : []),
      ...compactFileGlobs(unit.moduleDirs.map((d) => pathInDir(d, 'go.mod')), allGoMods),
      ...compactFileGlobs(unit.goSumDirs.map((d) => pathInDir(d, 'go.sum')), allGoSums),
      ...(unit.vendorDir ? [`${unit.vendorDir}/**/*`] : []),
    ];
  }
  return units;
}

/** Per workspace model: the unit of each module, looked up once per module instead of scanning every unit. */
const unitsByModule = new WeakMap<GoWorkspace, Map<string, GoUnit>>();

/** The unit (base stage) a module builds in: the first go.work that uses it, else its own. */
export function unitOfModule(ws: GoWorkspace, moduleDir: string): GoUnit {
  let units = unitsByModule.get(ws);
  if (!units) {
    units = new Map();
    for (const unit of ws.units) if (unit.kind === 'work') for (const dir of unit.moduleDirs) if (!units.has(dir)) units.set(dir, unit);
    for (const unit of ws.units) if (unit.kind === 'module' && !units.has(unit.dir)) units.set(unit.dir, unit);
    unitsByModule.set(ws, units);
  }
  return units.get(moduleDir)!;
}

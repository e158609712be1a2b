/**
 * The Go side of a workspace as plain data: modules, the units that share a
 * base stage (a go.work, or a module with its local replace targets), and
 * packages with the imports of the files that are built into images.
 * Pure: takes file paths and a reader, never touches the file system itself.
 */
import { posix } from 'node:path';
import { compactFileGlobs } from './compact-file-globs';
import { GoModFile, normaliseRelativeDir, parseGoMod, parseGoWork } from './go-mod';
import { isBuiltForImage, parseGoSourceHeader } from './go-source';

export interface GoModule {
  /** Workspace-relative directory holding go.mod (`.` for the root). */
  dir: string;
  modulePath: string;
  hasGoSum: boolean;
  /** Local `replace` targets as workspace-relative directories. */
  localReplaces: Array<{ modulePath: string; dir: string }>;
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
  /**
   * The unit's go.work, go.work.sum and its modules' go.mod and go.sum files as workspace-relative
   * paths and globs matching exactly those (see compactFileGlobs): the inputs of its apps' targets.
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
}

export interface GoWorkspace {
  modules: Map<string, GoModule>;
  units: GoUnit[];
  packages: Map<string, GoPackage>;
  /**
   * What the model had to leave out, each as a message naming the file and the fix
   * (a go.work `use` or a `replace` without a go.mod in the workspace). The graph
   * goes on without them; the generator refuses to write stages that cannot build.
   */
  problems: string[];
}

export type ReadFile = (path: string) => string;

/** Go ignores directories named `testdata` or starting with `.` or `_`; `vendor` and `node_modules` hold no workspace code. */
export function isIgnoredGoPath(path: string): boolean {
  return path
    .split('/')
    .slice(0, -1)
    .some((part) => part === 'testdata' || part === 'vendor' || part === 'node_modules' || part.startsWith('.') || part.startsWith('_'));
}

function dirOf(path: string): string {
  const d = posix.dirname(path);
  return d === '' ? '.' : d;
}

export function joinDir(dir: string, rel: string): string {
  return normaliseRelativeDir(dir === '.' ? rel : `${dir}/${rel}`);
}

/** Whether `dir` is `ancestor` or inside it. */
export function isWithin(dir: string, ancestor: string): boolean {
  return ancestor === '.' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/^@/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'root'
  );
}

/**
 * `dir` and every folder above it, deepest first, ending with `.`: exactly the
 * folders `a` for which `isWithin(dir, a)` holds.
 */
export function selfAndAncestors(dir: string): string[] {
  const folders = [dir];
  for (let folder = dir, slash = folder.lastIndexOf('/'); slash >= 0; slash = folder.lastIndexOf('/')) {
    folder = folder.slice(0, slash);
    folders.push(folder);
  }
  if (folders[folders.length - 1] !== '.') folders.push('.');
  return folders;
}

/**
 * The deepest of `roots` that is `dir` or one of its ancestors (`.` being the shallowest).
 * Takes the roots as a set (or a map keyed by root), so a lookup costs the depth of `dir`,
 * not the number of roots: workspaces hold thousands of packages and project roots.
 */
export function deepestContaining(dir: string, roots: { has(root: string): boolean }): string | undefined {
  return selfAndAncestors(dir).find((folder) => roots.has(folder));
}

/**
 * Builds the Go workspace model from workspace-relative file paths (go.mod,
 * go.sum, go.work, go.work.sum, *.go) and a reader for their contents.
 * Errors name the file and the fix.
 */
export function readGoWorkspace(files: string[], readFile: ReadFile): GoWorkspace {
  const modules = new Map<string, GoModule>();
  const fileSet = new Set(files);
  for (const file of files) {
    if (posix.basename(file) !== 'go.mod' || isIgnoredGoPath(file)) continue;
    const dir = dirOf(file);
    const parsed: GoModFile = parseGoMod(readFile(file), file);
    modules.set(dir, {
      dir,
      modulePath: parsed.modulePath,
      hasGoSum: fileSet.has(dir === '.' ? 'go.sum' : `${dir}/go.sum`),
      localReplaces: parsed.localReplaces.map((r) => ({
        modulePath: r.modulePath,
        dir: r.directory.startsWith('/') ? r.directory : joinDir(dir, r.directory),
      })),
    });
  }

  const problems: string[] = [];
  const units = goUnits(files, readFile, modules, fileSet, problems);

  const packages = new Map<string, GoPackage>();
  for (const file of [...files].sort()) {
    if (!file.endsWith('.go') || isIgnoredGoPath(file)) continue;
    const dir = dirOf(file);
    const moduleDir = deepestContaining(dir, modules);
    if (moduleDir === undefined) continue; // Go code outside any module is not buildable; ignore it.
    const header = parseGoSourceHeader(readFile(file));
    if (!header) continue;
    let built: boolean;
    try {
      built = isBuiltForImage(file, header);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}; fix the constraint so "go vet" accepts it`);
    }
    if (!built) continue;
    const module = modules.get(moduleDir)!;
    const rel = moduleDir === '.' ? dir : dir === moduleDir ? '.' : dir.slice(moduleDir.length + 1);
    let pkg = packages.get(dir);
    if (!pkg) {
      pkg = {
        dir,
        moduleDir,
        importPath: rel === '.' ? module.modulePath : `${module.modulePath}/${rel}`,
        name: header.packageName,
        sources: [],
      };
      packages.set(dir, pkg);
    }
    pkg.sources.push({ file, imports: [...new Set(header.imports)] });
  }
  return { modules, units, packages, problems };
}

function goUnits(
  files: string[],
  readFile: ReadFile,
  modules: Map<string, GoModule>,
  fileSet: Set<string>,
  problems: string[],
): GoUnit[] {
  const units: GoUnit[] = [];
  const claimed = new Set<string>();
  for (const file of files.filter((f) => posix.basename(f) === 'go.work' && !isIgnoredGoPath(f)).sort()) {
    const dir = dirOf(file);
    const moduleDirs: string[] = [];
    for (const use of parseGoWork(readFile(file)).use) {
      const moduleDir = joinDir(dir, use);
      if (!modules.has(moduleDir)) {
        problems.push(`${file}: "use ${use}" names ${moduleDir}, which has no go.mod; create it with "go mod init" or remove the line`);
        continue;
      }
      moduleDirs.push(moduleDir);
      claimed.add(moduleDir);
    }
    units.push({
      id: dir === '.' ? 'go' : `go-${slugify(dir)}`,
      kind: 'work',
      dir,
      moduleDirs: moduleDirs.sort(),
      goSumDirs: moduleDirs.filter((d) => modules.get(d)!.hasGoSum),
      hasGoWorkSum: fileSet.has(dir === '.' ? 'go.work.sum' : `${dir}/go.work.sum`),
      inputFiles: [],
    });
  }
  for (const module of [...modules.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
    if (claimed.has(module.dir)) continue;
    const moduleDirs = new Set([module.dir]);
    for (const r of module.localReplaces) {
      if (!modules.has(r.dir)) {
        const goMod = module.dir === '.' ? 'go.mod' : `${module.dir}/go.mod`;
        const outside = r.dir.startsWith('/') || r.dir.startsWith('..');
        problems.push(
          outside
            ? `${goMod}: "replace ${r.modulePath}" points at ${r.dir}, outside the workspace, where an image build cannot see it; move the module into the workspace`
            : `${goMod}: "replace ${r.modulePath}" points at ${r.dir}, which has no go.mod; fix the path or add the module`,
        );
        continue;
      }
      moduleDirs.add(r.dir);
    }
    units.push({
      id: module.dir === '.' ? 'go' : `go-${slugify(module.dir)}`,
      kind: 'module',
      dir: module.dir,
      moduleDirs: [...moduleDirs].sort(),
      goSumDirs: [...moduleDirs].filter((d) => modules.get(d)!.hasGoSum).sort(),
      hasGoWorkSum: false,
      inputFiles: [],
    });
  }
  const ofName = (name: string) => [...fileSet].filter((f) => posix.basename(f) === name);
  const allGoMods = ofName('go.mod');
  const allGoSums = ofName('go.sum');
  for (const unit of units) {
    const inDir = (dir: string, name: string) => (dir === '.' ? name : `${dir}/${name}`);
    unit.inputFiles = [
      ...(unit.kind === 'work' ? [inDir(unit.dir, 'go.work'), ...(unit.hasGoWorkSum ? [inDir(unit.dir, 'go.work.sum')] : [])] : []),
      ...compactFileGlobs(unit.moduleDirs.map((d) => inDir(d, 'go.mod')), allGoMods),
      ...compactFileGlobs(unit.goSumDirs.map((d) => inDir(d, 'go.sum')), allGoSums),
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

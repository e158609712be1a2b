/**
 * The Node side of a workspace as plain data: its package manager and lockfile, the Node version
 * it asks for, and its projects: the packages of an npm, pnpm or yarn workspace (Nx's TS-solution
 * layout) and the folders with a project.json (Nx's integrated layout, a standalone app at the
 * root), each with the targets it declares. Pure: takes file paths and a reader.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { dirOf, pathInDir } from '../workspace/workspace-paths';
import { parseUserYaml } from './user-yaml';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/**
 * The lockfile each package manager writes at the workspace root, in the order one is chosen when
 * several exist: Nx's own order (its detectPackageManager), so the lockfile pruned is the one Nx
 * read the graph's npm packages from. Setup warns when there is more than one.
 */
export const LOCKFILES: Record<PackageManager, string> = { yarn: 'yarn.lock', pnpm: 'pnpm-lock.yaml', npm: 'package-lock.json' };

/** Files that pin the Node version of a workspace, in the order they are read (see node-version.ts). */
export const NODE_VERSION_FILES = ['.nvmrc', '.node-version'];

/** Root files the Node model reads besides package.json. */
export const NODE_ROOT_FILES = [...Object.values(LOCKFILES), 'pnpm-workspace.yaml', '.yarnrc.yml', ...NODE_VERSION_FILES];

/** The files a Node project is declared by. */
export const NODE_PROJECT_FILES = ['package.json', 'project.json'];

export interface PackageManifest {
  name?: string;
  version?: string;
  private?: boolean;
  type?: string;
  main?: string | false;
  module?: string;
  exports?: unknown;
  bin?: string | Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  packageManager?: string;
  engines?: { node?: string };
  volta?: { node?: string };
  nx?: { name?: string; projectType?: string; targets?: Record<string, NodeTarget> };
}

/** A target as a project.json or a package.json "nx" block declares it (targets other plugins infer are not seen here). */
export interface NodeTarget {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
  configurations?: Record<string, Record<string, unknown>>;
  defaultConfiguration?: string;
  outputs?: string[];
}

interface ProjectJson {
  name?: string;
  projectType?: string;
  targets?: Record<string, NodeTarget>;
}

export interface NodeProject {
  /** Workspace-relative folder; `.` for a standalone project at the workspace root. */
  root: string;
  /** The project's Nx name: project.json `name`, else package.json `nx.name`, else `name`, else the folder. */
  name: string;
  /** Its package.json, when it has one. */
  manifest?: PackageManifest;
  /** The file that declares it: its project.json if it has one, else its package.json. */
  file: string;
  /** What project.json or package.json `nx` declares it to be. */
  declaredType?: 'application' | 'library';
  /** Targets declared in package.json `nx` and project.json (project.json wins); npm scripts are in `manifest.scripts`. */
  targets: Record<string, NodeTarget>;
  /** Whether the package manager's workspace patterns name it, so its package is linked into node_modules. */
  isWorkspacePackage: boolean;
}

export interface NodeWorkspace {
  packageManager: PackageManager;
  /** yarn 1 writes a `# yarn lockfile v1` lockfile; yarn 2+ (berry) a YAML one with `__metadata`. */
  yarnFlavor?: 'classic' | 'berry';
  lockfile: string;
  /** The lockfile's format version (`lockfileVersion`, or berry's `__metadata.version`), when it says. */
  lockfileVersion?: string;
  /** yarn 2+'s `nodeLinker` from .yarnrc.yml (`pnp` when it sets none, as yarn does). */
  yarnNodeLinker?: string;
  /** The root manifest's `packageManager` (`pnpm@9.15.9`, without a `+sha…` suffix), when it names this package manager. */
  packageManagerField?: string;
  /** Lockfiles of other package managers found next to the chosen one (a leftover of a migration, usually). */
  otherLockfiles: string[];
  /** Root files every install needs besides the manifest and the lockfile (never .npmrc: it may hold a token). */
  installFiles: string[];
  /** The root package.json. */
  rootManifest: PackageManifest;
  /** The text of each Node version file at the root that exists (NODE_VERSION_FILES). */
  versionFiles: Record<string, string>;
  /** Every Node project, by folder. */
  projects: NodeProject[];
  /**
   * Project files (a package.json or project.json below the root) the model had to leave out, each
   * naming the file, the field and the fix: their projects are not in `projects`. The graph goes on
   * without them (Nx 23 fails every command on any inference error); setup and `nx sync` refuse to
   * write stages, and an image build refuses to stage a context, while there are any.
   */
  problems: Array<{ file: string; message: string }>;
}

export type ReadFile = (path: string) => string;

const packageNamesOf = new WeakMap<NodeWorkspace, ReadonlySet<string>>();

/** The names of the workspace's own packages, once per workspace (verdicts ask for every app). */
export function workspacePackageNames(ws: NodeWorkspace): ReadonlySet<string> {
  let names = packageNamesOf.get(ws);
  if (!names) packageNamesOf.set(ws, (names = new Set(ws.projects.flatMap((p) => (p.manifest?.name ? [p.manifest.name] : [])))));
  return names;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WorkspaceFileError(file, `${file}: not valid JSON (${(e as Error).message}); fix the file`);
  }
}

function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseUserYaml(text);
  } catch (e) {
    // The YAML library's own errors (syntax, too many aliases) span several lines: its first says what is wrong.
    throw new WorkspaceFileError(file, `${file}: not valid YAML (${(e as Error).message.split('\n')[0]}); fix the file`);
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isStringMap = (value: unknown): boolean => isObject(value) && Object.values(value).every(isString);
/** null, as some tools write for a field they leave empty, counts as absent. */
const absent = (value: unknown): boolean => value === undefined || value === null;

/**
 * What each field the plugin reads must hold, for the message: a test and its words, or the rules
 * of the fields it reads inside an object (checked when it is one: in anything else they are
 * absent). Any other field may hold anything.
 */
type FieldRules = { [field: string]: [test: (value: unknown) => boolean, expected: string] | FieldRules };
const A_STRING: [(value: unknown) => boolean, string] = [isString, 'a string'];
const VERSION_RANGES: [(value: unknown) => boolean, string] = [isStringMap, 'an object of version ranges (strings)'];
const TARGETS: [(value: unknown) => boolean, string] = [
  (value) => isObject(value) && Object.values(value).every((t) => isObject(t) && (absent(t.executor) || isString(t.executor)) && (absent(t.options) || isObject(t.options))),
  'an object of targets, each an object whose "executor" is a string and "options" an object',
];
// projectType is not checked: any value but "application" and "library" declares nothing (see declaredType).
const PROJECT_JSON_RULES: FieldRules = { name: A_STRING, targets: TARGETS };
const MANIFEST_RULES: FieldRules = {
  name: A_STRING,
  version: A_STRING,
  // `"main": false` says a package has no main (published packages do it).
  main: [(value) => isString(value) || value === false, 'a string'],
  packageManager: A_STRING,
  bin: [(value) => isString(value) || isStringMap(value), 'a string or an object of strings'],
  files: [isStringArray, 'an array of strings'],
  scripts: [isStringMap, 'an object of strings'],
  dependencies: VERSION_RANGES,
  devDependencies: VERSION_RANGES,
  optionalDependencies: VERSION_RANGES,
  peerDependencies: VERSION_RANGES,
  workspaces: [(value) => isStringArray(value) || (isObject(value) && (absent(value.packages) || isStringArray(value.packages))), 'an array of folder patterns, or an object with them in "packages"'],
  engines: { node: A_STRING },
  volta: { node: A_STRING },
  nx: PROJECT_JSON_RULES,
};

function jsonTypeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Throws a WorkspaceFileError naming the file and the first field that breaks its rule. */
function checkFields(value: Record<string, unknown>, rules: FieldRules, file: string, prefix = ''): void {
  for (const [field, rule] of Object.entries(rules)) {
    const fieldValue = value[field];
    if (absent(fieldValue)) continue;
    if (!Array.isArray(rule)) {
      if (isObject(fieldValue)) checkFields(fieldValue, rule, file, `${prefix}${field}.`);
      continue;
    }
    const [test, expected] = rule;
    if (!test(fieldValue)) {
      throw new WorkspaceFileError(file, `${file}: "${prefix}${field}" must be ${expected}, not ${jsonTypeOf(fieldValue)}; fix the field`);
    }
  }
}

/** A package.json or project.json: JSON holding an object whose fields the model reads have the types it reads them as. */
function readJsonFile<T>(text: string, file: string, rules: FieldRules): T {
  const value = parseJson(text, file);
  if (!isObject(value)) throw new WorkspaceFileError(file, `${file}: must hold a JSON object, not ${jsonTypeOf(value)}; fix the file`);
  checkFields(value, rules, file);
  return value as T;
}

function workspacePatterns(root: PackageManifest, pnpmWorkspace: string | undefined): string[] {
  if (pnpmWorkspace !== undefined) {
    const parsed = parseYamlFile(pnpmWorkspace, 'pnpm-workspace.yaml');
    if (isObject(parsed)) checkFields(parsed, { packages: [isStringArray, 'a list of folder patterns'] }, 'pnpm-workspace.yaml');
    return isObject(parsed) && isStringArray(parsed.packages) ? parsed.packages : [];
  }
  const ws = root.workspaces;
  return Array.isArray(ws) ? ws : (ws?.packages ?? []);
}

/** A test of whether a folder is a workspace package by the `workspaces` patterns; the patterns are compiled once. */
export function workspaceMatcher(patterns: string[]): (dir: string) => boolean {
  const clean = (p: string) => p.replace(/^\.\//, '').replace(/\/$/, '');
  // An empty pattern ("", "./") names the root, which is never a workspace package; picomatch refuses it.
  const include = picomatch(patterns.filter((p) => !p.startsWith('!')).map(clean).filter(Boolean));
  const excludePatterns = patterns.filter((p) => p.startsWith('!')).map((p) => clean(p.slice(1))).filter(Boolean);
  const exclude = excludePatterns.length ? picomatch(excludePatterns) : () => false;
  return (dir) => include(dir) && !exclude(dir);
}

function chooseLockfile(fileSet: Set<string>): PackageManager | null {
  for (const pm of Object.keys(LOCKFILES) as PackageManager[]) if (fileSet.has(LOCKFILES[pm])) return pm;
  return null;
}

/** The format version of a lockfile, read from its first lines (lockfiles can be megabytes; nothing else is needed). */
function lockfileFormat(pm: PackageManager, text: string): { version?: string; yarnFlavor?: 'classic' | 'berry' } {
  const head = text.slice(0, 4096);
  if (pm === 'pnpm') return { version: /^lockfileVersion:\s*['"]?([\d.]+)/m.exec(head)?.[1] };
  if (pm === 'yarn') {
    if (/^__metadata:/m.test(head)) return { yarnFlavor: 'berry', version: /^\s+version:\s*(\d+)/m.exec(head.slice(head.indexOf('__metadata:')))?.[1] };
    return { yarnFlavor: 'classic', version: '1' };
  }
  return { version: /"lockfileVersion":\s*(\d+)/.exec(head)?.[1] };
}

function declaredType(...values: Array<string | undefined>): NodeProject['declaredType'] {
  const value = values.find((v) => v !== undefined);
  return value === 'application' || value === 'library' ? value : undefined;
}

/**
 * Reads the Node workspace at the workspace root, or returns null when there is none (no lockfile
 * of a supported package manager next to package.json). A project's package.json or project.json
 * that is not valid JSON, or whose field holds another type than the one the plugin reads, is left
 * out and named in `problems`. Throws a WorkspaceFileError for the root's own files (package.json,
 * pnpm-workspace.yaml, .yarnrc.yml), without which there is no workspace to read.
 */
export function readNodeWorkspace(files: string[], readFile: ReadFile): NodeWorkspace | null {
  const fileSet = new Set(files);
  if (!fileSet.has('package.json')) return null;
  const packageManager = chooseLockfile(fileSet);
  if (!packageManager) return null;
  const lockfile = LOCKFILES[packageManager];
  const rootManifest = readJsonFile<PackageManifest>(readFile('package.json'), 'package.json', MANIFEST_RULES);
  const pnpmWorkspace = packageManager === 'pnpm' && fileSet.has('pnpm-workspace.yaml') ? readFile('pnpm-workspace.yaml') : undefined;
  const isWorkspacePackage = workspaceMatcher(workspacePatterns(rootManifest, pnpmWorkspace));
  const format = lockfileFormat(packageManager, readFile(lockfile));

  // Every folder with a project.json, and every workspace package, is a candidate.
  const byRoot = new Map<string, { manifestFile?: string; projectFile?: string }>();
  for (const file of [...files].sort()) {
    const base = posix.basename(file);
    if (!NODE_PROJECT_FILES.includes(base) || file.split('/').includes('node_modules')) continue;
    const root = dirOf(file);
    if (base === 'package.json' && root !== '.' && !isWorkspacePackage(root) && !fileSet.has(pathInDir(root, 'project.json'))) continue;
    const entry = byRoot.get(root) ?? {};
    if (base === 'package.json') entry.manifestFile = file;
    else entry.projectFile = file;
    byRoot.set(root, entry);
  }
  const projects: NodeProject[] = [];
  const problems: NodeWorkspace['problems'] = [];
  for (const [root, { manifestFile, projectFile }] of byRoot) {
    // The root package.json is the workspace's manifest; the root is a project only with a project.json.
    if (root === '.' && !projectFile) continue;
    let manifest: PackageManifest | undefined;
    let projectJson: ProjectJson | undefined;
    try {
      manifest = manifestFile ? (root === '.' ? rootManifest : readJsonFile<PackageManifest>(readFile(manifestFile), manifestFile, MANIFEST_RULES)) : undefined;
      projectJson = projectFile ? readJsonFile<ProjectJson>(readFile(projectFile), projectFile, PROJECT_JSON_RULES) : undefined;
    } catch (e) {
      // One project's file takes out that project, not the workspace's graph.
      if (!(e instanceof WorkspaceFileError)) throw e;
      problems.push({ file: e.file, message: e.message });
      continue;
    }
    projects.push({
      root,
      name: projectJson?.name ?? manifest?.nx?.name ?? manifest?.name ?? (root === '.' ? 'root' : posix.basename(root)),
      manifest,
      file: projectFile ?? manifestFile!,
      declaredType: declaredType(projectJson?.projectType, manifest?.nx?.projectType),
      targets: { ...manifest?.nx?.targets, ...projectJson?.targets },
      isWorkspacePackage: root !== '.' && manifestFile !== undefined && isWorkspacePackage(root),
    });
  }
  const versionFiles: Record<string, string> = {};
  for (const file of NODE_VERSION_FILES) if (fileSet.has(file)) versionFiles[file] = readFile(file);
  const yarnrcValue = fileSet.has('.yarnrc.yml') ? parseYamlFile(readFile('.yarnrc.yml'), '.yarnrc.yml') : undefined;
  if (isObject(yarnrcValue)) checkFields(yarnrcValue, { nodeLinker: A_STRING }, '.yarnrc.yml');
  const yarnrc = (isObject(yarnrcValue) ? yarnrcValue : {}) as { nodeLinker?: string };
  return {
    packageManager,
    yarnFlavor: format.yarnFlavor,
    ...(format.yarnFlavor === 'berry' ? { yarnNodeLinker: yarnrc.nodeLinker ?? 'pnp' } : {}),
    lockfile,
    lockfileVersion: format.version,
    packageManagerField: rootManifest.packageManager?.startsWith(`${packageManager}@`) ? rootManifest.packageManager.split('+')[0] : undefined,
    otherLockfiles: Object.values(LOCKFILES).filter((f) => f !== lockfile && fileSet.has(f)),
    installFiles: [...(pnpmWorkspace !== undefined ? ['pnpm-workspace.yaml'] : []), ...(fileSet.has('.yarnrc.yml') ? ['.yarnrc.yml'] : [])],
    rootManifest,
    versionFiles,
    projects: projects.sort((a, b) => a.root.localeCompare(b.root)),
    problems,
  };
}

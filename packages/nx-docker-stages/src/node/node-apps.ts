/**
 * Which Node projects are apps the plugin builds images of, and how each is built and started;
 * every other project gets a verdict that says why it has no image (a library, or skipped with the
 * reason and the fix). An app is what Nx says it is: a project served by `@nx/js:node` or built by
 * a Node build executor (its Nx build writes what the image runs), or a package with something to
 * run (a `start` script, `main` or `bin`) that nothing else depends on (its package files are what
 * the image runs). Pure.
 */
import { NodeProject, NodeTarget, NodeWorkspace, workspacePackageNames } from './node-workspace';
import { localPathDependencies } from './production-manifest';
import { StartCommand, parseStartScript } from './start-command';

/** How an app's runtime files come about. */
export type NodeAppBuild =
  /** An Nx build target writes them: the image holds that target's output. */
  | { kind: 'nx'; target: string }
  /** They are the package's own files (npm's packing rules), after its `build` script when it has one. */
  | { kind: 'package'; start: StartCommand };

export interface NodeAppPlan {
  projectName: string;
  /** Workspace-relative; where its Dockerfile goes. */
  projectRoot: string;
  build: NodeAppBuild;
}

export type NodeProjectVerdict =
  | { project: string; root: string; file: string; verdict: 'app'; why: string; app: NodeAppPlan }
  | { project: string; root: string; file: string; verdict: 'library'; why: string }
  | { project: string; root: string; file: string; verdict: 'skipped'; why: string; fix: string };

/** The executor Nx's Node and Nest app generators give the `serve` target: it runs the build target's output with Node. */
export const NODE_SERVE_EXECUTOR = '@nx/js:node';

/** Build executors whose output Node runs, with the option value that makes them build for Node (if any). */
const NODE_BUILD_EXECUTORS: Record<string, (options: Record<string, unknown>) => boolean> = {
  '@nx/esbuild:esbuild': (o) => o.platform === undefined || o.platform === 'node',
  '@nx/webpack:webpack': (o) => o.target === 'node',
  '@nx/rspack:rspack': (o) => o.target === 'node',
  '@nx/js:tsc': () => true,
  '@nx/js:swc': () => true,
  '@nx/node:webpack': () => true,
};

/** Build executors of web front ends, named when an application is skipped. */
const WEB_BUILD_EXECUTOR = /^@nx\/(vite|next|angular|react|web|remix|nuxt|expo|react-native|storybook)[:]|^@nx\/(webpack|rspack):/;

/** `proj:build:production` → `build`; `build` → `build`. */
export function targetNameOf(buildTarget: string, projectName: string): string {
  if (buildTarget.startsWith(`${projectName}:`)) return buildTarget.slice(projectName.length + 1).split(':')[0];
  const parts = buildTarget.split(':');
  return parts.length >= 2 ? parts[parts.length - 2] : parts[0];
}

/** The target that builds an app served by @nx/js:node (its `buildTarget`, `build` by default), or null. */
function servedBuildTarget(project: NodeProject): string | null {
  for (const target of Object.values(project.targets)) {
    if (target.executor !== NODE_SERVE_EXECUTOR) continue;
    const buildTarget = target.options?.buildTarget;
    return typeof buildTarget === 'string' && buildTarget ? targetNameOf(buildTarget, project.name) : 'build';
  }
  return null;
}

function nodeBuildTarget(target: NodeTarget | undefined): boolean {
  if (!target?.executor) return false;
  const executor = target.executor.replace(/^@nrwl\//, '@nx/');
  // Own entries only: an executor named like an inherited property ("constructor") is no build executor.
  return Object.hasOwn(NODE_BUILD_EXECUTORS, executor) && NODE_BUILD_EXECUTORS[executor](target.options ?? {});
}

/** The names other workspace packages depend on in their package.json (devDependencies included), once per workspace. */
const dependedOnOf = new WeakMap<NodeWorkspace, Set<string>>();
function dependedOnNames(ws: NodeWorkspace): Set<string> {
  let names = dependedOnOf.get(ws);
  if (!names) {
    dependedOnOf.set(ws, (names = new Set()));
    for (const p of ws.projects) {
      const m = p.manifest;
      for (const group of [m?.dependencies, m?.optionalDependencies, m?.devDependencies]) {
        for (const name of Object.keys(group ?? {})) if (name !== m?.name) names.add(name);
      }
    }
  }
  return names;
}

/** A manifest shaped like a library's: it names what importers load (exports, module, types). */
function looksLikeLibrary(project: NodeProject): boolean {
  const m = project.manifest;
  return m?.exports !== undefined || m?.module !== undefined || (m as { types?: string } | undefined)?.types !== undefined;
}

function devDependencyNames(ws: NodeWorkspace, project: NodeProject): Set<string> {
  return new Set([...Object.keys(project.manifest?.devDependencies ?? {}), ...Object.keys(ws.rootManifest.devDependencies ?? {})]);
}

/** How a package app starts: its start script, else `main`, else its first `bin`; or why it cannot be started. */
export function packageAppStart(ws: NodeWorkspace, project: NodeProject): { start: StartCommand } | { why: string; fix: string } | null {
  const m = project.manifest!;
  const script = m.scripts?.start;
  if (script) {
    const dependencies = new Set(Object.keys({ ...m.optionalDependencies, ...m.dependencies }));
    const parsed = parseStartScript(script, devDependencyNames(ws, project), dependencies, project.root === '.' ? 'package.json' : `${project.root}/package.json`);
    if (parsed.kind === 'node') return { start: parsed.command };
    if (parsed.kind === 'refused') return { why: parsed.why, fix: parsed.fix };
  }
  const bin = typeof m.bin === 'string' ? m.bin : m.bin ? Object.values(m.bin)[0] : undefined;
  const file = m.main ?? bin;
  if (file) return { start: { flags: [], entry: file, args: [] } };
  if (script) {
    return {
      why: `its start script "${script}" is not "node <file>", and it has no "main" or "bin"`,
      fix: 'make the start script "node <file>" (or set "main" to the entry file); apps started by other programs are not supported yet',
    };
  }
  return null;
}

/** Production dependencies of a package that point at the file system (not at a workspace package): no image's build context holds them. */
function outsideDependencies(ws: NodeWorkspace, project: NodeProject): Array<[string, string]> {
  const m = project.manifest;
  return localPathDependencies({ ...m?.optionalDependencies, ...m?.dependencies }).filter(([name]) => !workspacePackageNames(ws).has(name));
}

/** Why no app of the workspace can have an image, whatever the app: yarn's Plug'n'Play installs no node_modules to copy. */
function workspaceRefusal(ws: NodeWorkspace): { why: string; fix: string } | null {
  if (ws.yarnFlavor !== 'berry' || ws.yarnNodeLinker === 'node-modules') return null;
  return {
    why: `the workspace installs with yarn Plug'n'Play (.yarnrc.yml nodeLinker: ${ws.yarnNodeLinker}), which leaves no node_modules for an image to hold`,
    fix: 'set "nodeLinker: node-modules" in .yarnrc.yml and run yarn install',
  };
}

/** The verdict on one Node project. */
export function nodeProjectVerdict(ws: NodeWorkspace, project: NodeProject): NodeProjectVerdict {
  const base = { project: project.name, root: project.root, file: project.file };
  const app = (why: string, build: NodeAppBuild): NodeProjectVerdict => {
    const refusal = workspaceRefusal(ws);
    if (refusal) return { ...base, verdict: 'skipped', ...refusal };
    const outside = outsideDependencies(ws, project);
    if (outside.length) {
      return {
        ...base,
        file: project.manifest ? (project.root === '.' ? 'package.json' : `${project.root}/package.json`) : project.file,
        verdict: 'skipped',
        why: `its production dependencies ${outside.map(([name, spec]) => `${name} (${spec})`).join(', ')} point at the file system, outside what an image's build context holds`,
        fix: 'publish them to a registry, or make them packages of the workspace',
      };
    }
    return { ...base, verdict: 'app', why, app: { projectName: project.name, projectRoot: project.root, build } };
  };
  if (project.declaredType === 'library') return { ...base, verdict: 'library', why: `${project.file} declares it a library` };
  if (project.name.endsWith('-e2e')) {
    return { ...base, verdict: 'skipped', why: 'an end-to-end test project', fix: 'nothing to do: it tests an app and is not deployed' };
  }
  const served = servedBuildTarget(project);
  if (served) return app(`served by ${NODE_SERVE_EXECUTOR}; its image runs the output of its "${served}" target`, { kind: 'nx', target: served });
  const build = project.targets.build;
  if (nodeBuildTarget(build) && (project.declaredType === 'application' || (!looksLikeLibrary(project) && !project.manifest?.main))) {
    return app(`built for Node by ${build!.executor}; its image runs the output of its "build" target`, { kind: 'nx', target: 'build' });
  }
  if (project.manifest && !looksLikeLibrary(project) && (project.declaredType === 'application' || !dependedOnNames(ws).has(project.manifest.name ?? ''))) {
    const start = packageAppStart(ws, project);
    if (start && 'start' in start) return app(`a package that starts with "node ${[...start.start.flags, start.start.entry].join(' ')}"; its image holds its package files`, { kind: 'package', start: start.start });
    if (start) return { ...base, verdict: 'skipped', why: start.why, fix: start.fix };
  }
  if (project.declaredType === 'application') {
    const web = build?.executor && WEB_BUILD_EXECUTOR.test(build.executor) ? ` (its build target uses ${build.executor}: a web front end)` : '';
    return {
      ...base,
      verdict: 'skipped',
      why: `an application with nothing Node can run${web}: no ${NODE_SERVE_EXECUTOR} serve target, no Node build target, no start script`,
      fix: `give it a serve target with ${NODE_SERVE_EXECUTOR} (as \`nx g @nx/node:app\` does) or a "start": "node <file>" script; web front ends are not supported yet`,
    };
  }
  const dependedOn = project.manifest?.name !== undefined && dependedOnNames(ws).has(project.manifest.name);
  return { ...base, verdict: 'library', why: dependedOn ? 'other packages depend on it' : 'nothing to run' };
}

/** The verdict on every Node project, in folder order. */
export function nodeProjectVerdicts(ws: NodeWorkspace): NodeProjectVerdict[] {
  return ws.projects.map((project) => nodeProjectVerdict(ws, project));
}

/** The apps among the verdicts. */
export function nodeAppsOf(verdicts: NodeProjectVerdict[]): NodeAppPlan[] {
  return verdicts.flatMap((v) => (v.verdict === 'app' ? [v.app] : []));
}

/**
 * Writing the managed parts of each app's Dockerfile and the .dockerignore from the
 * workspace as it is: shared by `setup` (which also registers the plugin) and
 * the `sync` generator (which keeps the files current as the graph changes).
 */
import { NxJsonConfiguration, Tree, glob, readNxJson } from '@nx/devkit';
import { dockerignoreBlock } from '../dockerfile/dockerignore';
import { imageReferences } from '../engine/build-argv';
import { sharedImageReferences } from '../engine/shared-image-references';
import { ManagedBlock, MergeResult, hasBlockMarkers, mergeManagedBlocks } from '../dockerfile/managed-blocks';
import { StagePlan, appDockerfiles } from '../dockerfile/render-dockerfile';
import { stageNames } from '../dockerfile/stage-names';
import { NormalizedPluginOptions } from '../nx/plugin-options';
import { DOCKER_BUILD_EXECUTOR } from '../nx/plugin-package';
import { projectNameClashMessage, projectNameClashes, projectsOfPlan } from '../plan/project-name-clashes';
import { cgoSetting } from '../go/go-build-settings';
import { MODEL_FILE_GLOBS, WorkspacePlan, planWorkspace } from '../plan/workspace-plan';
import { declaredProjects } from '../workspace/declared-projects';
import { pathInDir } from '../workspace/workspace-paths';

/**
 * The workspace plan of the tree, and what the Dockerfiles are made from. Throws, before anything is
 * written, on Go inputs whose stages would not build, on two projects of one name (Nx would refuse the
 * graph) and on two apps whose builds would tag one image.
 */
export function planStages(tree: Tree, options: NormalizedPluginOptions): { plan: WorkspacePlan; stages: StagePlan } {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const files = glob(tree, MODEL_FILE_GLOBS);
  const plan = planWorkspace(files, read, declaredProjects(files, read), { checkImports: true });
  const defaults = readNxJson(tree)?.targetDefaults ?? {};
  // cgo as the person set it for the app (goEnv CGO_ENABLED), else as its packages need it.
  const goApps = plan.go.apps.map((app) => {
    const cgo = cgoSetting(declaredBuildOptions(tree, defaults, app.projectRoot, options).goEnv);
    return cgo === undefined ? app : { ...app, cgo, cgoSetByPerson: true };
  });
  const stages = { goApps, node: plan.node };
  const problems = [
    ...plan.goProblems.map((p) => p.message),
    ...(plan.node?.ws.problems ?? []).map((p) => p.message),
    ...projectNameClashes(projectsOfPlan(plan)).map(projectNameClashMessage),
    ...sharedImageProblems(tree, stages, options),
  ];
  if (problems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${problems.join('\n  - ')}`);
  }
  return { plan, stages };
}

/**
 * Apps whose docker-build targets would tag one image (`api` and `API` both get api:latest): the
 * executor refuses to build either, so setup and sync say so first. Reads the options a person gave
 * the target (nx.json targetDefaults, project.json, package.json "nx"); the inferred ones set no name.
 */
function sharedImageProblems(tree: Tree, plan: StagePlan, options: NormalizedPluginOptions): string[] {
  const defaults = readNxJson(tree)?.targetDefaults ?? {};
  const apps = [...plan.goApps, ...(plan.node?.apps ?? [])].map((app) => ({
    project: app.projectName,
    options: { target: stageNames.runtime(app.projectName), ...declaredBuildOptions(tree, defaults, app.projectRoot, options) },
  }));
  const problems: string[] = [];
  for (const [i, app] of apps.entries()) {
    let refs: string[];
    try {
      refs = imageReferences(app.project, app.options);
    } catch {
      continue; // an invalid name is the executor's to report
    }
    // Each pair once, from the first of the two.
    const shared = sharedImageReferences(app.project, refs, apps.slice(i + 1));
    for (const other of new Set(shared.map((s) => s.project))) {
      problems.push(
        `${app.project} and ${other} would both tag the image ${shared.find((s) => s.project === other)!.ref} (image names are lower-cased project names), and each build would replace the other's; ` +
          `set "imageName" (or "registry" or "tags") in the ${options.targetName} options of one of them (project.json "targets", or package.json "nx.targets")`,
      );
    }
  }
  return problems;
}

/**
 * The docker-build options a person gave an app's target where the generators can read them: nx.json
 * targetDefaults (by executor, then by target name), then the project's own file. The executor checks
 * what they cannot see (filtered targetDefaults, configurations, the command line).
 */
function declaredBuildOptions(
  tree: Tree,
  defaults: NonNullable<NxJsonConfiguration['targetDefaults']>,
  projectRoot: string,
  options: NormalizedPluginOptions,
): Record<string, unknown> {
  return {
    ...baselineOptions(defaults[DOCKER_BUILD_EXECUTOR]),
    ...baselineOptions(defaults[options.targetName]),
    ...declaredTargetOptions(tree, projectRoot, options.targetName),
  };
}

/** The options of a targetDefaults entry that apply to every project (an array's entries without a filter; the executor checks the rest). */
function baselineOptions(value: NonNullable<NxJsonConfiguration['targetDefaults']>[string] | undefined): Record<string, unknown> {
  const entries = Array.isArray(value) ? value.filter((e) => !e.filter) : value ? [value] : [];
  return Object.assign({}, ...entries.map((e) => e.options ?? {}));
}

/** The options a project's own file gives one of its targets: project.json wins over package.json "nx". */
function declaredTargetOptions(tree: Tree, root: string, targetName: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a user's JSON, read defensively
  const fromFile = (file: string, pick: (json: any) => unknown) => {
    const path = pathInDir(root, file);
    if (!tree.exists(path)) return {};
    try {
      return (pick(JSON.parse(tree.read(path, 'utf-8') ?? '')) ?? {}) as Record<string, unknown>;
    } catch {
      return {}; // Nx reports an unreadable project file itself
    }
  };
  return {
    ...fromFile('package.json', (json) => json?.nx?.targets?.[targetName]?.options),
    ...fromFile('project.json', (json) => json?.targets?.[targetName]?.options),
  };
}

export function appNamesOf(plan: StagePlan): string[] {
  return [...plan.goApps, ...(plan.node?.apps ?? [])].map((a) => a.projectName);
}

/** What writing the stage files did: the files it changed, and the apps it left alone because their Dockerfile is not ours. */
export interface StageFilesResult {
  changed: string[];
  /** One message per app whose Dockerfile path holds a file nx-docker-stages did not write (left as it is). */
  foreign: Array<{ project: string; message: string }>;
}

/**
 * Writes every app's Dockerfile and the .dockerignore for the plan. An app whose Dockerfile path
 * holds a person's own Dockerfile is left out (the file is kept) and reported; the others are
 * written. Throws, naming the file, before Nx writes anything when a managed block was edited.
 */
export function writeStageFiles(tree: Tree, plan: StagePlan, options: NormalizedPluginOptions, force: boolean): StageFilesResult {
  const foreign: StageFilesResult['foreign'] = [];
  const ours = appDockerfiles(plan, options).filter((file) => {
    const existing = tree.exists(file.path) ? (tree.read(file.path, 'utf-8') ?? '') : null;
    if (existing === null || existing.trim() === '' || hasBlockMarkers(existing)) return true;
    foreign.push({
      project: file.projectName,
      message:
        `${file.projectName}: ${file.path} exists and was not written by nx-docker-stages; it is left as it is, and ${file.projectName} gets no stages. ` +
        'Generate under another file name next to it (setup --dockerfile=Dockerfile.nx, stored in nx.json), or move it away and run setup again.',
    });
    return false;
  });
  const changed = [
    ...ours.map((file) => writeManagedFile(tree, file.path, file.blocks, force, file.projectName)),
    writeManagedFile(tree, '.dockerignore', [dockerignoreBlock(options.dockerfile)], force, null),
  ];
  return { changed: changed.filter((f): f is string => f !== null), foreign };
}

/** `owner`: the app whose Dockerfile this is, for the message. */
function writeManagedFile(tree: Tree, file: string, blocks: ManagedBlock[], force: boolean, owner: string | null): string | null {
  const existing = tree.exists(file) ? tree.read(file, 'utf-8') : null;
  const merged = mergeManagedBlocks(existing, blocks, file, force);
  if (merged.editedBlocks.length) {
    throw new Error(
      `${owner ? `${owner}: ` : ''}${file}: the managed block(s) ${merged.editedBlocks.map((b) => `"${b}"`).join(', ')} were edited by hand since nx-docker-stages wrote them, ` +
        `and regenerating them would overwrite those edits. Nothing was changed. Move your changes outside the markers (text there is kept), ` +
        `or run \`nx g nx-docker-stages:setup --force\` to replace them.`,
    );
  }
  if (merged.staleKeptBlocks.length) throw new Error(staleKeptMessage(owner, file, merged.staleKeptBlocks));
  if (merged.text === existing) return null;
  tree.write(file, merged.text);
  return file;
}

/** Blocks a person took over whose generated body changed since: what nx-docker-stages would write now, and how to follow it. */
function staleKeptMessage(owner: string | null, file: string, stale: MergeResult['staleKeptBlocks']): string {
  const parts = stale.map(({ id, now }) =>
    now
      ? `the kept block "${id}" was taken over from what nx-docker-stages generated then, and it would now generate:\n${now.body.replace(/^/gm, '    ')}\n` +
        `  Bring that change into your block by hand, then write [${now.checksum}] in its first line in place of the old checksum (or replace "kept" with "managed" in both its marker lines and run \`nx g nx-docker-stages:setup --force\` to take the generated block back).`
      : `the kept block "${id}" belongs to no app or Go module any more; delete it (its marker lines and what is between them).`,
  );
  return `${owner ? `${owner}: ` : ''}${file}: ${parts.join('\n')}\nNothing was changed.`;
}

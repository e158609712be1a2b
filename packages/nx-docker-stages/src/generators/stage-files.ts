/**
 * Writing the managed parts of each app's Dockerfile and the .dockerignore from the
 * workspace as it is: shared by `setup` (which also registers the plugin) and
 * the `sync` generator (which keeps the files current as the graph changes).
 */
import { Tree, glob } from '@nx/devkit';
import { dockerignoreBlock } from '../dockerfile/dockerignore';
import { MANAGED_MARKER, ManagedBlock, mergeManagedBlocks } from '../dockerfile/managed-blocks';
import { StagePlan, appDockerfiles } from '../dockerfile/render-dockerfile';
import { NormalizedPluginOptions } from '../nx/plugin-options';
import { MODEL_FILE_GLOBS, WorkspacePlan, planWorkspace } from '../plan/workspace-plan';
import { declaredProjects } from '../workspace/declared-projects';

/** The workspace plan of the tree, and what the Dockerfiles are made from. Throws on Go inputs whose stages would not build. */
export function planStages(tree: Tree): { plan: WorkspacePlan; stages: StagePlan } {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const files = glob(tree, MODEL_FILE_GLOBS);
  const plan = planWorkspace(files, read, declaredProjects(files, read));
  if (plan.goProblems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${plan.goProblems.map((p) => p.message).join('\n  - ')}`);
  }
  return { plan, stages: { goApps: plan.go.apps, node: plan.node } };
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
    if (existing === null || existing.trim() === '' || existing.includes(MANAGED_MARKER)) return true;
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
  if (merged.text === existing) return null;
  tree.write(file, merged.text);
  return file;
}

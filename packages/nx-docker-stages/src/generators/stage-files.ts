/**
 * Writing the managed parts of each app's Dockerfile and the .dockerignore from the
 * workspace as it is: shared by `setup` (which also registers the plugin) and
 * the `sync` generator (which keeps the files current as the graph changes).
 */
import { Tree, glob } from '@nx/devkit';
import { dockerignoreBlock, prunedDependencyFiles } from '../dockerfile/dockerignore';
import { ManagedBlock, mergeManagedBlocks } from '../dockerfile/managed-blocks';
import { StagePlan, appDockerfiles } from '../dockerfile/render-dockerfile';
import { NormalizedPluginOptions } from '../nx/plugin-options';
import { MODEL_FILE_GLOBS, planWorkspace } from '../plan/workspace-plan';
import { declaredProjects } from '../workspace/declared-projects';

export function planStages(tree: Tree): StagePlan {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const files = glob(tree, MODEL_FILE_GLOBS);
  const plan = planWorkspace(files, read, declaredProjects(files, read));
  if (plan.goProblems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${plan.goProblems.map((p) => p.message).join('\n  - ')}`);
  }
  return { goApps: plan.go.apps, node: plan.node };
}

export function appNamesOf(plan: StagePlan): string[] {
  return [...plan.goApps, ...(plan.node?.apps ?? [])].map((a) => a.projectName);
}

/**
 * Writes every app's Dockerfile and the .dockerignore for the plan; returns the files it changed.
 * Throws, naming the file, before Nx writes anything when one of them cannot be written safely.
 */
export function writeStageFiles(tree: Tree, plan: StagePlan, options: NormalizedPluginOptions, force: boolean): string[] {
  const changed = [
    ...appDockerfiles(plan, options).map((file) => writeManagedFile(tree, file.path, file.blocks, force, file.projectName)),
    writeManagedFile(tree, '.dockerignore', [dockerignoreBlock(prunedDependencyFiles(plan.node), options.dockerfile)], force, null),
  ];
  return changed.filter((f): f is string => f !== null);
}

/** `owner`: the app whose Dockerfile this is; such a file must be ours (a person's own Dockerfile is never merged into). */
function writeManagedFile(tree: Tree, file: string, blocks: ManagedBlock[], force: boolean, owner: string | null): string | null {
  const existing = tree.exists(file) ? tree.read(file, 'utf-8') : null;
  if (owner !== null && existing !== null && existing.trim() !== '' && !existing.includes('# >>> nx-docker-stages managed')) {
    throw new Error(
      `${owner}: ${file} exists and was not written by nx-docker-stages; it is left as it is. ` +
        `Generate under another file name next to it (setup --dockerfile=Dockerfile.nx, stored in nx.json), or move it away and run setup again.`,
    );
  }
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

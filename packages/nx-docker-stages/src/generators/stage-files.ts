/**
 * Writing the managed parts of the Dockerfile and .dockerignore from the
 * workspace as it is: shared by `setup` (which also registers the plugin) and
 * the `sync` generator (which keeps the files current as the graph changes).
 */
import { Tree, glob } from '@nx/devkit';
import { StagePlan, dockerfileBlocks, dockerignoreBlock, prunedDependencyFiles } from '../docker/render-dockerfile';
import { ManagedBlock, mergeManagedBlocks } from '../docker/managed-blocks';
import { planWorkspace } from '../workspace-plan';
import { PROJECT_FILE_GLOB, declaredProjects } from '../plugins/declared-projects';
import { NormalizedPluginOptions } from '../plugins/options';

const GO_FILE_GLOB = '**/{go.mod,go.sum,go.work,go.work.sum,*.go}';
const NODE_ROOT_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];

export function planStages(tree: Tree): StagePlan {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const files = glob(tree, [GO_FILE_GLOB, PROJECT_FILE_GLOB, ...NODE_ROOT_FILES]);
  const plan = planWorkspace(files, read, declaredProjects(files, read));
  if (plan.goProblems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${plan.goProblems.join('\n  - ')}`);
  }
  return { goApps: plan.go.apps, node: plan.node };
}

export function appNamesOf(plan: StagePlan): string[] {
  return [...plan.goApps, ...(plan.node?.apps ?? [])].map((a) => a.projectName);
}

/** Writes the Dockerfile and .dockerignore blocks for the plan; returns the files it changed. */
export function writeStageFiles(tree: Tree, plan: StagePlan, options: NormalizedPluginOptions, force: boolean): string[] {
  const changed = [
    writeManagedFile(tree, options.dockerfile, dockerfileBlocks(plan, options), force, true),
    writeManagedFile(tree, '.dockerignore', [dockerignoreBlock(prunedDependencyFiles(plan.node))], force, false),
  ];
  return changed.filter((f): f is string => f !== null);
}

function writeManagedFile(tree: Tree, file: string, blocks: ManagedBlock[], force: boolean, mustBeOurs: boolean): string | null {
  const existing = tree.exists(file) ? tree.read(file, 'utf-8') : null;
  if (mustBeOurs && existing !== null && existing.trim() !== '' && !existing.includes('# >>> nx-docker-stages managed')) {
    throw new Error(
      `${file} exists and was not written by nx-docker-stages; it is left as it is. ` +
        `Pass --dockerfile=<another path> to generate next to it, or move it away and run setup again.`,
    );
  }
  const merged = mergeManagedBlocks(existing, blocks, file, force);
  if (merged.editedBlocks.length) {
    throw new Error(
      `${file}: the managed block(s) ${merged.editedBlocks.map((b) => `"${b}"`).join(', ')} were edited by hand since nx-docker-stages wrote them, ` +
        `and setup would overwrite those edits. Nothing was changed. Move your changes outside the markers (text there is kept), ` +
        `or run setup again with --force to replace them.`,
    );
  }
  if (merged.text === existing) return null;
  tree.write(file, merged.text);
  return file;
}

/**
 * Writing the managed parts of each app's Dockerfile and the .dockerignore from the
 * workspace as it is: shared by `setup` (which also registers the plugin) and
 * the `sync` generator (which keeps the files current as the graph changes).
 */
import { Tree, glob } from '@nx/devkit';
import { StagePlan, appDockerfiles, dockerignoreBlock, prunedDependencyFiles } from '../docker/render-dockerfile';
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

/**
 * `nx g nx-docker-stages:setup`: finds the Go and Node apps, writes the managed parts
 * of the Dockerfile and .dockerignore, and registers the plugin in nx.json
 * with the chosen images. Running it again changes nothing; a person's edits
 * outside the managed blocks are kept, edits inside them are never silently
 * overwritten.
 */
import { Tree, glob, logger, readNxJson, updateNxJson } from '@nx/devkit';
import { StagePlan, dockerfileBlocks, dockerignoreBlock, prunedDependencyFiles } from '../../docker/render-dockerfile';
import { ManagedBlock, mergeManagedBlocks } from '../../docker/managed-blocks';
import { planWorkspace } from '../../workspace-plan';
import { PROJECT_FILE_GLOB, declaredProjects } from '../../plugins/declared-projects';
import { DockerStagesPluginOptions, NormalizedPluginOptions, PLUGIN_NAME, normalizePluginOptions } from '../../plugins/options';
import { SetupGeneratorSchema } from './schema';

const GO_FILE_GLOB = '**/{go.mod,go.sum,go.work,go.work.sum,*.go}';
const NODE_ROOT_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];

export async function setupGenerator(tree: Tree, schema: SetupGeneratorSchema): Promise<void> {
  const options = registerPlugin(tree, schema);
  const plan = planStages(tree);
  const appNames = [...plan.goApps, ...(plan.node?.apps ?? [])].map((a) => a.projectName);
  if (appNames.length === 0) {
    logger.warn(
      'nx-docker-stages: no apps found (a Go app is a `package main` inside a module with a go.mod; a Node app is a workspace package ' +
        'with a start script, main or bin that no other package depends on); no Dockerfile written.',
    );
    return;
  }
  writeManagedFile(tree, options.dockerfile, dockerfileBlocks(plan, options), schema.force ?? false, true);
  writeManagedFile(tree, '.dockerignore', [dockerignoreBlock(prunedDependencyFiles(plan.node))], schema.force ?? false, false);
  logger.info(`nx-docker-stages: ${options.dockerfile} holds stages for ${appNames.join(', ')}.`);
}

export default setupGenerator;

function planStages(tree: Tree): StagePlan {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const files = glob(tree, [GO_FILE_GLOB, PROJECT_FILE_GLOB, ...NODE_ROOT_FILES]);
  const plan = planWorkspace(files, read, declaredProjects(files, read));
  if (plan.goProblems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${plan.goProblems.join('\n  - ')}`);
  }
  return { goApps: plan.go.apps, node: plan.node };
}

/** Adds the plugin to nx.json, or updates its options with the flags given; returns the options in force. */
function registerPlugin(tree: Tree, schema: SetupGeneratorSchema): NormalizedPluginOptions {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const index = plugins.findIndex((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  const current = index === -1 ? undefined : plugins[index];
  const currentOptions: DockerStagesPluginOptions = typeof current === 'object' ? ((current.options as DockerStagesPluginOptions) ?? {}) : {};
  const flags: DockerStagesPluginOptions = {
    goImage: schema.goImage,
    goRuntimeImage: schema.goRuntimeImage,
    dockerfile: schema.dockerfile,
    targetName: schema.targetName,
    nodeImage: schema.nodeImage,
    nodeRuntimeImage: schema.nodeRuntimeImage,
  };
  // Store every option explicitly, so nx.json shows what is in force and users can pin digests there.
  const stored = normalizePluginOptions({ ...currentOptions, ...stripUndefined(flags) });
  const entry = typeof current === 'object' ? { ...current, options: stored } : { plugin: PLUGIN_NAME, options: stored };
  if (JSON.stringify(entry) !== JSON.stringify(current)) {
    nxJson.plugins = index === -1 ? [...plugins, entry] : plugins.map((p, i) => (i === index ? entry : p));
    updateNxJson(tree, nxJson);
  }
  return stored;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

function writeManagedFile(tree: Tree, file: string, blocks: ManagedBlock[], force: boolean, mustBeOurs: boolean): void {
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
  if (merged.text !== existing) tree.write(file, merged.text);
}

/**
 * `nx g nx-docker-stages:setup`: finds the Go apps, writes the managed parts
 * of the Dockerfile and .dockerignore, and registers the plugin in nx.json
 * with the chosen images. Running it again changes nothing; a person's edits
 * outside the managed blocks are kept, edits inside them are never silently
 * overwritten.
 */
import { Tree, glob, logger, readNxJson, updateNxJson } from '@nx/devkit';
import { dockerfileBlocks, dockerignoreBlock } from '../../docker/render-dockerfile';
import { ManagedBlock, mergeManagedBlocks } from '../../docker/managed-blocks';
import { planGo } from '../../go/go-plan';
import { readGoWorkspace } from '../../go/go-workspace';
import { PROJECT_FILE_GLOB, declaredProjects } from '../../plugins/declared-projects';
import { DockerStagesPluginOptions, NormalizedPluginOptions, PLUGIN_NAME, normalizePluginOptions } from '../../plugins/options';
import { SetupGeneratorSchema } from './schema';

const GO_FILE_GLOB = '**/{go.mod,go.sum,go.work,go.work.sum,*.go}';

export async function setupGenerator(tree: Tree, schema: SetupGeneratorSchema): Promise<void> {
  const options = registerPlugin(tree, schema);
  const apps = planGoApps(tree);
  if (apps.length === 0) {
    logger.warn('nx-docker-stages: no Go apps found (a Go app is a `package main` inside a module with a go.mod); no Dockerfile written.');
    return;
  }
  writeManagedFile(tree, options.dockerfile, dockerfileBlocks(apps, options), schema.force ?? false, true);
  writeManagedFile(tree, '.dockerignore', [dockerignoreBlock()], schema.force ?? false, false);
  logger.info(`nx-docker-stages: ${options.dockerfile} holds stages for ${apps.map((a) => a.projectName).join(', ')}.`);
}

export default setupGenerator;

function planGoApps(tree: Tree) {
  const read = (file: string) => tree.read(file, 'utf-8') ?? '';
  const ws = readGoWorkspace(glob(tree, [GO_FILE_GLOB]), read);
  if (ws.problems.length) {
    throw new Error(`nx-docker-stages cannot generate stages that would not build:\n  - ${ws.problems.join('\n  - ')}`);
  }
  return planGo(ws, declaredProjects(glob(tree, [PROJECT_FILE_GLOB]), read)).apps;
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

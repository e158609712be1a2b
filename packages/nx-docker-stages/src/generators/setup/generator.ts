/**
 * `nx g nx-docker-stages:setup`: finds the Go and Node apps, writes the managed parts
 * of each app's Dockerfile (in its project root) and of the .dockerignore, and registers the plugin in nx.json
 * with the chosen images. Running it again changes nothing; a person's edits
 * outside the managed blocks are kept, edits inside them are never silently
 * overwritten.
 */
import { Tree, logger, readNxJson, updateNxJson } from '@nx/devkit';
import { NormalizedPluginOptions, normalizePluginOptions, pluginOptionsIn } from '../../nx/plugin-options';
import { PLUGIN_NAME } from '../../nx/plugin-package';
import { pluginRegistration } from '../plugin-registration';
import { appNamesOf, planStages, writeStageFiles } from '../stage-files';
import { SetupGeneratorSchema } from './schema';

export async function setupGenerator(tree: Tree, schema: SetupGeneratorSchema): Promise<void> {
  const options = registerPlugin(tree, schema);
  const plan = planStages(tree);
  const appNames = appNamesOf(plan);
  if (appNames.length === 0) {
    logger.warn(
      'nx-docker-stages: no apps found (a Go app is a `package main` inside a module with a go.mod; a Node app is a workspace package ' +
        'with a start script, main or bin that no other package depends on); no Dockerfile written.',
    );
    return;
  }
  writeStageFiles(tree, plan, options, schema.force ?? false);
  if (plan.node?.apps.length) preciseAffectedForLockfileChanges(tree);
  logger.info(`nx-docker-stages: a ${options.dockerfile} in the project root of each of ${appNames.join(', ')}.`);
}

export default setupGenerator;

/** Adds the plugin to nx.json, or updates its options with the flags given; returns the options in force. */
function registerPlugin(tree: Tree, schema: SetupGeneratorSchema): NormalizedPluginOptions {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const { index, entry: current, options: currentOptions } = pluginRegistration(nxJson);
  // Store every option explicitly, so nx.json shows what is in force and users can pin digests there.
  const stored = normalizePluginOptions({ ...currentOptions, ...pluginOptionsIn({ ...schema }) });
  const entry = typeof current === 'object' ? { ...current, options: stored } : { plugin: PLUGIN_NAME, options: stored };
  if (JSON.stringify(entry) !== JSON.stringify(current)) {
    nxJson.plugins = index === -1 ? [...plugins, entry] : plugins.map((p, i) => (i === index ? entry : p));
    updateNxJson(tree, nxJson);
  }
  return stored;
}


/**
 * By default Nx marks every project affected when the lockfile changes. With "auto" it marks only
 * the projects whose dependencies changed, which is what an image build wants. Set only when the
 * workspace has not chosen.
 */
function preciseAffectedForLockfileChanges(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const pluginsConfig = (nxJson.pluginsConfig ?? {}) as Record<string, Record<string, unknown>>;
  if (pluginsConfig['@nx/js']?.projectsAffectedByDependencyUpdates !== undefined) return;
  nxJson.pluginsConfig = { ...pluginsConfig, '@nx/js': { ...pluginsConfig['@nx/js'], projectsAffectedByDependencyUpdates: 'auto' } };
  updateNxJson(tree, nxJson);
  logger.info('nx-docker-stages: set pluginsConfig["@nx/js"].projectsAffectedByDependencyUpdates to "auto" in nx.json, so a lockfile change affects only the apps whose dependencies changed.');
}

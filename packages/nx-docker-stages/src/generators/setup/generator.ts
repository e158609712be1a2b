/**
 * `nx g nx-docker-stages:setup`: finds the Go and Node apps, writes the managed parts
 * of each app's Dockerfile (in its project root) and of the .dockerignore, and registers the plugin in nx.json
 * with the chosen images. Running it again changes nothing; a person's edits
 * outside the managed blocks are kept, edits inside them are never silently
 * overwritten.
 */
import { Tree, glob, logger, readNxJson, updateNxJson } from '@nx/devkit';
import { goImageOfUnit } from '../../go/go-image';
import { NormalizedPluginOptions, normalizePluginOptions, pluginOptionsIn } from '../../nx/plugin-options';
import { PLUGIN_NAME } from '../../nx/plugin-package';
import { LOCKFILES } from '../../node/node-workspace';
import { nodeImagesOf } from '../../node/node-version';
import { packageManagerChoice } from '../../node/package-manager';
import { projectVerdicts, verdictReport } from '../../plan/project-verdicts';
import { WorkspacePlan } from '../../plan/workspace-plan';
import { linkedProjectFolderMessage, linkedProjectFolders } from '../linked-project-folders';
import { pluginRegistration } from '../plugin-registration';
import { appNamesOf, planStages, writeStageFiles } from '../stage-files';
import { SetupGeneratorSchema } from './schema';

export async function setupGenerator(tree: Tree, schema: SetupGeneratorSchema): Promise<void> {
  const options = registerPlugin(tree, schema);
  const { plan, stages } = planStages(tree, options);
  const report = verdictReport(projectVerdicts(plan));
  if (report.length) logger.info(`nx-docker-stages: what each project gets:\n  ${report.join('\n  ')}`);
  for (const link of linkedProjectFolders(tree.root)) logger.warn(`nx-docker-stages: ${linkedProjectFolderMessage(link)}`);
  const unsupported = unsupportedPackageManager(tree, plan);
  if (unsupported) logger.warn(`nx-docker-stages: ${unsupported}`);
  const appNames = appNamesOf(stages);
  if (appNames.length === 0) {
    logger.warn(
      'nx-docker-stages: no apps found (a Go app is a `package main` inside a module with a go.mod; a Node app is a project served by ' +
        '@nx/js:node or built by a Node build target, or a workspace package with a start script, main or bin that no other package ' +
        'depends on); no Dockerfile written.',
    );
    return;
  }
  const { foreign } = writeStageFiles(tree, stages, options, schema.force ?? false);
  for (const { message } of foreign) logger.warn(`nx-docker-stages: ${message}`);
  for (const line of goImageReport(plan, options)) logger.info(`nx-docker-stages: ${line}`);
  if (plan.node?.apps.length) {
    const { ws } = plan.node;
    const images = nodeImagesOf(ws, options);
    logger.info(`nx-docker-stages: Node images ${images.nodeImage} and ${images.nodeRuntimeImage}, from ${images.reason}.`);
    const manager = packageManagerChoice(ws);
    if (manager.warning) logger.warn(`nx-docker-stages: ${manager.warning}`);
    if (ws.otherLockfiles.length) {
      logger.warn(
        `nx-docker-stages: ${ws.lockfile} is the lockfile the images install from (Nx reads the same one), but ${ws.otherLockfiles.join(' and ')} ` +
          `${ws.otherLockfiles.length === 1 ? 'is' : 'are'} there too; delete the one${ws.otherLockfiles.length === 1 ? '' : 's'} the workspace no longer uses.`,
      );
    }
    preciseAffectedForLockfileChanges(tree);
  }
  const written = appNames.filter((name) => !foreign.some((f) => f.project === name));
  if (written.length) logger.info(`nx-docker-stages: a ${options.dockerfile} in the project root of each of ${written.join(', ')}.`);
}

/** Which Go image each unit of the apps builds with, and why: the goImage option, or the Go the unit asks for. */
function goImageReport(plan: WorkspacePlan, options: NormalizedPluginOptions): string[] {
  const units = [...new Map(plan.go.apps.map((app) => [app.unit.id, app.unit])).values()];
  if (units.length === 0) return [];
  if (options.goImage) return [`Go image ${options.goImage} (the goImage option) for every Go app.`];
  return units.map((unit) => {
    const { image, reason } = goImageOfUnit(unit);
    return `Go image ${image} for the apps of ${unit.kind === 'work' ? 'the go.work' : 'the module'} in ${unit.dir}, from ${reason}.`;
  });
}

/** Lockfiles of package managers the plugin does not build with, and their names. */
const UNSUPPORTED_LOCKFILES: Record<string, string> = { 'bun.lockb': 'bun', 'bun.lock': 'bun', 'deno.lock': 'deno' };

/** Why the workspace's Node packages get no images although it has a package.json, or null. */
function unsupportedPackageManager(tree: Tree, plan: WorkspacePlan): string | null {
  if (plan.node || !tree.exists('package.json')) return null;
  // A root package.json alone (Nx's own, in a Go workspace) holds no Node projects.
  if (!glob(tree, ['**/package.json']).some((f) => f !== 'package.json')) return null;
  const other = Object.keys(UNSUPPORTED_LOCKFILES).find((f) => tree.exists(f));
  if (other) return `${other}: ${UNSUPPORTED_LOCKFILES[other]} is not a supported package manager (npm, pnpm and yarn are); its Node projects get no image.`;
  return `package.json has no lockfile next to it (${Object.values(LOCKFILES).join(', ')}), so its Node projects get no image; run the install of your package manager and run setup again.`;
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

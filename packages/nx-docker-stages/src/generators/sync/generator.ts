/**
 * `nx-docker-stages:sync`, the sync generator of every docker-build target:
 * keeps the managed parts of the apps' Dockerfiles and the .dockerignore in step
 * with the workspace (an app that starts importing another package, a new app
 * gets its Dockerfile), so nobody has to remember to re-run setup. `nx sync:check` fails
 * while they are stale; `nx sync` (or running a task outside CI) updates them.
 * A person's edits outside the managed blocks are kept; an edit inside one
 * stops the sync with a message instead of being overwritten.
 */
import { Tree, readNxJson } from '@nx/devkit';
import { NormalizedPluginOptions, normalizePluginOptions } from '../../nx/plugin-options';
import { pluginRegistration } from '../plugin-registration';
import { appNamesOf, planStages, writeStageFiles } from '../stage-files';

/** The plugin's options as registered in nx.json, or null when setup has not registered it. */
export function registeredOptions(tree: Tree): NormalizedPluginOptions | null {
  const { entry, options } = pluginRegistration(readNxJson(tree));
  return entry === undefined ? null : normalizePluginOptions(options);
}

/** What Nx expects of a sync generator (the type is not exported by @nx/devkit 23). */
export type SyncGeneratorResult = void | { outOfSyncMessage?: string };

export async function syncGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const options = registeredOptions(tree);
  // Until setup has registered the plugin there is nothing to follow.
  if (!options) return {};
  const { stages } = planStages(tree, options);
  if (appNamesOf(stages).length === 0) return {};
  // An app whose Dockerfile is a person's own gets no stages; setup said so, and its docker-build says so too.
  const { changed } = writeStageFiles(tree, stages, options, false);
  if (changed.length === 0) return {};
  return {
    outOfSyncMessage: `${changed.join(', ')} ${changed.length === 1 ? 'does' : 'do'} not match the workspace's apps and what they import; run "nx sync" to update the managed stages.`,
  };
}

export default syncGenerator;

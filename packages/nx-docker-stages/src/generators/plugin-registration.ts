/** The plugin's entry in nx.json's `plugins`, for setup (which adds or updates it) and sync (which reads it). */
import type { NxJsonConfiguration } from '@nx/devkit';
import { PLUGIN_NAME } from '../nx/plugin-package';
import { DockerStagesPluginOptions } from '../nx/plugin-options';

type PluginEntry = NonNullable<NxJsonConfiguration['plugins']>[number];

/** Where nx.json registers the plugin (index -1 when it does not), the entry, and the options it sets. */
export function pluginRegistration(nxJson: NxJsonConfiguration | null): { index: number; entry: PluginEntry | undefined; options: DockerStagesPluginOptions } {
  const plugins = nxJson?.plugins ?? [];
  const index = plugins.findIndex((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  const entry = index === -1 ? undefined : plugins[index];
  const options = typeof entry === 'object' ? ((entry.options as DockerStagesPluginOptions | undefined) ?? {}) : {};
  return { index, entry, options };
}

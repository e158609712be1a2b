/** The sync generator takes no options: it reads the plugin's options from nx.json. */
export type SyncGeneratorSchema = Record<string, never>;

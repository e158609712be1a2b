import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_OPTION_DEFAULTS, PLUGIN_OPTION_NAMES, normalizePluginOptions, pluginOptionsIn } from './plugin-options';

describe('the plugin options', () => {
  it('fills in every default', () => {
    expect(normalizePluginOptions(undefined)).toEqual(PLUGIN_OPTION_DEFAULTS);
    expect(normalizePluginOptions({ goImage: 'mirror/golang:1.23', targetName: '' })).toEqual({ ...PLUGIN_OPTION_DEFAULTS, goImage: 'mirror/golang:1.23' });
  });

  it('takes only the options among other values, and only those that are set', () => {
    expect(pluginOptionsIn({ nodeImage: 'node:20', force: true, goImage: undefined, dockerfile: '' })).toEqual({ nodeImage: 'node:20' });
  });

  it('refuses a Dockerfile name outside the project root, naming the option', () => {
    expect(() => normalizePluginOptions({ dockerfile: '../Dockerfile' })).toThrow(/the "dockerfile" option \(\.\.\/Dockerfile\) must be a file name inside each app's project root/);
  });

  it("are the setup generator's flags, each documented with its default", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../generators/setup/schema.json'), 'utf8')) as {
      properties: Record<string, { description: string }>;
    };
    expect(Object.keys(schema.properties).sort()).toEqual([...PLUGIN_OPTION_NAMES, 'force'].sort());
    for (const [name, value] of Object.entries(PLUGIN_OPTION_DEFAULTS)) expect(schema.properties[name].description).toContain(`Default: ${value}.`);
    for (const name of ['nodeImage', 'nodeRuntimeImage']) expect(schema.properties[name].description).toContain("Default: the image of the Node version the workspace asks for");
  });
});

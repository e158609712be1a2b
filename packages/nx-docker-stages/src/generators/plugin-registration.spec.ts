import { pluginRegistration } from './plugin-registration';

describe("the plugin's entry in nx.json", () => {
  it('is found by name, as a string or an object, with its options', () => {
    expect(pluginRegistration({ plugins: ['@nx/js', 'nx-docker-stages'] })).toEqual({ index: 1, entry: 'nx-docker-stages', options: {} });
    const entry = { plugin: 'nx-docker-stages', options: { goImage: 'g' } };
    expect(pluginRegistration({ plugins: [entry] })).toEqual({ index: 0, entry, options: { goImage: 'g' } });
  });

  it('is absent from a workspace that has not registered the plugin', () => {
    expect(pluginRegistration(null)).toEqual({ index: -1, entry: undefined, options: {} });
  });
});

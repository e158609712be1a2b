import { buildOptionProblem } from './build-option-checks';

const none = () => false;
const check = (options: Record<string, unknown>, exists: (p: string) => boolean = none) => buildOptionProblem('api', { target: 'api', ...options }, exists);

describe('buildOptionProblem', () => {
  it('passes options the engine can use', () => {
    expect(check({ dockerfile: 'tools/api.Dockerfile', context: 'dist/docker/api/context', registry: 'registry.example.com:5000/team/', secrets: [{ id: 'npmrc', src: '.secrets/npmrc' }] }, () => true)).toBeUndefined();
  });

  it('refuses a dockerfile or context outside the workspace, by the rule the plugin option follows', () => {
    expect(check({ dockerfile: '../other/Dockerfile' })).toBe(
      'api: the "dockerfile" option (../other/Dockerfile) must be a path inside the workspace, relative to its root, without ".."; fix it in the docker-build target\'s options',
    );
    expect(check({ dockerfile: '/etc/Dockerfile' })).toMatch(/^api: the "dockerfile" option \(\/etc\/Dockerfile\)/);
    expect(check({ context: 'apps/../..' })).toMatch(/^api: the "context" option/);
  });

  it('refuses a registry with a scheme, naming the value to give instead, and one that is no host and path', () => {
    expect(check({ registry: 'https://registry.example.com/team' })).toBe(
      'api: the "registry" option (https://registry.example.com/team) has a scheme; give the registry host and path only, e.g. registry.example.com/team',
    );
    expect(check({ registry: 'registry example.com' })).toMatch(/^api: the "registry" option \("registry example.com"\) is not a registry host and path/);
    expect(check({ registry: 'registry.example.com//team' })).toMatch(/is not a registry host and path/);
  });

  it('refuses a platform that is no os/arch the engine knows, and passes those it knows', () => {
    expect(check({ platform: 'linux/bogus' })).toBe('api: the "platform" option (linux/bogus) is not an os/arch platform the engine knows, such as linux/amd64 or linux/arm64; fix it');
    expect(check({ platform: 'amd64' })).toMatch(/"platform" option \(amd64\)/);
    for (const platform of ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/x86_64', 'linux/amd64,linux/arm64', 'windows/amd64']) expect(check({ platform })).toBeUndefined();
  });

  it('refuses a secret whose file does not exist, naming its id, the option and the file', () => {
    expect(check({ secrets: [{ id: 'ok', env: 'X' }, { id: 'npmrc', src: '.secrets/npmrc' }] })).toBe(
      'api: the file of secret "npmrc" ("secrets"[1].src: .secrets/npmrc) does not exist; create it (relative to the workspace root, or an absolute path), or remove the secret',
    );
  });
});

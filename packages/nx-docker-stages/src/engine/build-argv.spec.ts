import { BuildRequest, buildArgv, imageReferences } from './build-argv';
import { ImageBuildOptions } from './image-build-options';

const root = '/ws';
function argvFor(options: Partial<ImageBuildOptions>, buildCommand = ['build']): string[] {
  const request: BuildRequest = {
    projectName: 'api',
    workspaceRoot: root,
    options: { target: 'api', ...options },
    refs: imageReferences('api', { target: 'api', ...options }),
    buildCommand,
    iidFile: '/tmp/x/iid',
  };
  return buildArgv(request);
}
/** The values that follow each occurrence of `flag`. */
const valuesOf = (argv: string[], flag: string) => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]] : []));

describe('buildArgv', () => {
  it('builds the exact argument list for a minimal request', () => {
    expect(argvFor({}, ['buildx', 'build', '--load'])).toEqual([
      'buildx', 'build', '--load',
      '--file', '/ws/Dockerfile',
      '--target', 'api',
      '--iidfile', '/tmp/x/iid',
      '--progress', 'plain',
      '--tag', 'api:latest',
      '/ws',
    ]);
  });

  it('resolves the Dockerfile against the workspace root, which is always the context', () => {
    const argv = argvFor({ dockerfile: 'docker/Dockerfile' });
    expect(valuesOf(argv, '--file')).toEqual(['/ws/docker/Dockerfile']);
    expect(argv[argv.length - 1]).toBe('/ws');
  });

  it('adds network, platform, pull and no-cache flags only when asked', () => {
    const plain = argvFor({});
    for (const flag of ['--network', '--platform', '--pull', '--no-cache']) expect(plain).not.toContain(flag);
    const argv = argvFor({ network: 'host', platform: 'linux/arm64', pull: true, noCache: true });
    expect(valuesOf(argv, '--network')).toEqual(['host']);
    expect(valuesOf(argv, '--platform')).toEqual(['linux/arm64']);
    expect(argv).toEqual(expect.arrayContaining(['--pull', '--no-cache']));
  });

  it('passes each build arg and label as key=value', () => {
    const argv = argvFor({ buildArgs: { GO_VERSION: '1.23', LDFLAGS: '-s -w' }, labels: { team: 'core' } });
    expect(valuesOf(argv, '--build-arg')).toEqual(['GO_VERSION=1.23', 'LDFLAGS=-s -w']);
    expect(valuesOf(argv, '--label')).toEqual(['team=core']);
  });

  it('refuses a build arg named like a secret and points at "secrets"', () => {
    expect(() => argvFor({ buildArgs: { NPM_TOKEN: 'abc' } })).toThrow(/^api: build arg "NPM_TOKEN" looks like a secret.*"secrets"/);
  });

  it('refuses a build arg or label whose value looks like a credential, without repeating the value', () => {
    const password = 'pw' + 'd-123';
    expect(() => argvFor({ buildArgs: { DATABASE_URL: `postgres://app:${password}@db/x` } })).toThrow(
      /^api: the value of build arg "DATABASE_URL" looks like a URL with a password in it \(not shown here\).*"secrets"/,
    );
    expect(() => argvFor({ buildArgs: { DATABASE_URL: `postgres://app:${password}@db/x` } })).not.toThrow(new RegExp(password));
    expect(() => argvFor({ labels: { note: 'gh' + 'p_' + 'a1'.repeat(18) } })).toThrow(/the value of label "note" looks like a GitHub token/);
  });

  it('mounts a file secret resolved against the workspace root, and an env secret by variable name', () => {
    const argv = argvFor(
      {
        secrets: [
          { id: 'npmrc', src: '.secrets/npmrc' },
          { id: 'ssh', src: '/home/me/.ssh/id' },
          { id: 'token', env: 'NPM_TOKEN' },
        ],
      },
      ['buildx', 'build', '--load'],
    );
    expect(valuesOf(argv, '--secret')).toEqual(['id=npmrc,src=/ws/.secrets/npmrc', 'id=ssh,src=/home/me/.ssh/id', 'id=token,env=NPM_TOKEN']);
  });

  it('refuses an env secret with a client that has no buildx, and says to use a file', () => {
    expect(() => argvFor({ secrets: [{ id: 'token', env: 'NPM_TOKEN' }] })).toThrow(/^api: secret "token" .*needs a docker client with buildx; .*"src"/);
  });

  it('refuses a secret with both src and env', () => {
    expect(() => argvFor({ secrets: [{ id: 't', src: 'f', env: 'T' }] })).toThrow(/^api: .*exactly one of "src".*or "env"/);
  });

  it('refuses a secret with neither src nor env', () => {
    expect(() => argvFor({ secrets: [{ id: 't' }] })).toThrow(/^api: .*exactly one of "src".*or "env"/);
  });

  it('returns separate arguments, never a shell-joined command', () => {
    const argv = argvFor({ buildArgs: { LDFLAGS: '-s -w' }, tags: ['1.0'], network: 'none', secrets: [{ id: 't', src: 'token file' }] });
    expect(Array.isArray(argv)).toBe(true);
    for (const arg of argv) expect(arg).not.toMatch(/^(docker|build|buildx)\s|\s--[a-z]/);
  });
});

describe('imageReferences', () => {
  it('tags the image <project>:latest by default', () => {
    expect(imageReferences('api', { target: 'api' })).toEqual(['api:latest']);
  });

  it('derives a valid default name from a scoped, mixed-case project name', () => {
    expect(imageReferences('@acme/Web_App', { target: 'x' })).toEqual(['acme/web_app:latest']);
  });

  it('prefixes the registry and applies every tag', () => {
    const refs = imageReferences('api', { target: 'api', registry: 'registry.example.com/team/', tags: ['1.2.3', 'latest'] });
    expect(refs).toEqual(['registry.example.com/team/api:1.2.3', 'registry.example.com/team/api:latest']);
  });

  it('uses imageName instead of the project name when set', () => {
    expect(imageReferences('api', { target: 'api', imageName: 'backend/api-server' })).toEqual(['backend/api-server:latest']);
  });

  it('refuses an image name Docker would reject, naming the project', () => {
    expect(() => imageReferences('api', { target: 'api', imageName: 'My_Image' })).toThrow(/^api: image name "My_Image" is not valid.*"imageName"/);
  });

  it('refuses a tag Docker would reject, naming the project', () => {
    expect(() => imageReferences('api', { target: 'api', tags: ['v1:beta'] })).toThrow(/^api: tag "v1:beta" is not valid.*"tags"/);
    expect(() => imageReferences('api', { target: 'api', tags: ['x'.repeat(129)] })).toThrow(/^api: tag/);
  });
});

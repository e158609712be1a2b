import execa from 'execa';
import { ClientProbe, chooseBuildClient, probeClient, resolveBuildClient } from './docker-client';

jest.mock('execa');
const execaMock = execa as unknown as jest.Mock;

const docker28 = { path: 'docker', clientVersion: '28.0.1', serverVersion: '28.0.1', buildx: false };
const debian2010 = { path: '/usr/bin/docker', clientVersion: '20.10.24+dfsg1', serverVersion: '28.0.1', buildx: false };

describe('chooseBuildClient', () => {
  it('builds with `buildx build --load` when the client has buildx', () => {
    const choice = chooseBuildClient([{ ...docker28, buildx: true }]);
    expect(choice).toEqual({ client: { path: 'docker', buildCommand: ['buildx', 'build', '--load'], env: {}, serverVersion: '28.0.1' } });
  });

  it('builds with plain `build` and DOCKER_BUILDKIT=1 when a client older than 23 has no buildx', () => {
    const choice = chooseBuildClient([debian2010]);
    expect(choice).toEqual({
      client: { path: '/usr/bin/docker', buildCommand: ['build'], env: { DOCKER_BUILDKIT: '1' }, serverVersion: '28.0.1' },
    });
  });

  it('picks the Debian 20.10 client when the Docker 28 client on PATH lacks buildx', () => {
    const choice = chooseBuildClient([docker28, debian2010]);
    expect('client' in choice && choice.client.path).toBe('/usr/bin/docker');
  });

  it('skips a client with buildx whose engine does not answer', () => {
    const unreachable: ClientProbe = { path: 'docker', clientVersion: '28.0.1', serverError: 'Cannot connect', buildx: true };
    const choice = chooseBuildClient([unreachable, debian2010]);
    expect('client' in choice && choice.client.path).toBe('/usr/bin/docker');
  });

  it('says no Docker engine answers and names each client tried when no server is reachable', () => {
    const choice = chooseBuildClient([
      { path: 'docker', serverError: 'spawn docker ENOENT', buildx: false },
      { path: '/usr/bin/docker', clientVersion: '20.10.24', serverError: 'Cannot connect to the Docker daemon', buildx: false },
    ]);
    expect('error' in choice).toBe(true);
    const { error } = choice as { error: string };
    expect(error).toMatch(/^no Docker engine answers/);
    expect(error).toContain('- docker: spawn docker ENOENT');
    expect(error).toContain('- /usr/bin/docker (client 20.10.24): engine not reachable (Cannot connect to the Docker daemon)');
  });

  it('points at buildx and /usr/bin/docker when the engine answers but only a Docker 23+ client without buildx is there', () => {
    const choice = chooseBuildClient([docker28]);
    const { error } = choice as { error: string };
    expect(error).toMatch(/engine answers, but no client here can build with BuildKit/);
    expect(error).toContain('docker (client 28.0.1): no buildx component');
    expect(error).toContain('docker-buildx');
    expect(error).toContain('/usr/bin/docker');
  });
});

/** A result shaped like execa v5's (with reject: false). */
function result(exitCode: number | undefined, stdout = '', stderr = '', shortMessage?: string) {
  return Promise.resolve({ exitCode, stdout, stderr, shortMessage, failed: exitCode !== 0 });
}
const versionJson = (client: string, server: string | null) =>
  JSON.stringify({ Client: { Version: client, ApiVersion: '1.41' }, Server: server ? { Version: server } : null });
const notRunning = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const missing = (path: string) => result(undefined, '', '', `Command failed with ENOENT: ${path} version --format {{json .}}\nspawn ${path} ENOENT`);

/** Fakes each client: its `version` result and whether `buildx version` succeeds. */
function fakeClients(clients: Record<string, { version: () => ReturnType<typeof result>; buildx?: boolean }>) {
  execaMock.mockImplementation((path: string, argv: string[]) => {
    const client = clients[path];
    if (!client) return missing(path);
    if (argv[0] === 'version') return client.version();
    return client.buildx ? result(0, 'github.com/docker/buildx v0.20.1') : result(1, '', "docker: 'buildx' is not a docker command.");
  });
}

beforeEach(() => execaMock.mockReset());

describe('probeClient', () => {
  it('asks for the version as JSON and then for buildx, with those exact arguments', async () => {
    fakeClients({ docker: { version: () => result(0, versionJson('28.0.1', '28.0.1')), buildx: true } });
    await probeClient('docker');
    expect(execaMock.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['docker', ['version', '--format', '{{json .}}']],
      ['docker', ['buildx', 'version']],
    ]);
    expect(execaMock.mock.calls[0][2]).toMatchObject({ reject: false });
  });

  it('records client, server and buildx when everything answers', async () => {
    fakeClients({ docker: { version: () => result(0, versionJson('28.0.1', '27.5.1')), buildx: true } });
    expect(await probeClient('docker')).toEqual({ path: 'docker', clientVersion: '28.0.1', serverVersion: '27.5.1', buildx: true });
  });

  it('reports a missing binary with the spawn error', async () => {
    fakeClients({});
    const probe = await probeClient('docker');
    expect(probe).toMatchObject({ path: 'docker', buildx: false });
    expect(probe.clientVersion ?? probe.serverVersion).toBeUndefined();
    expect(probe.serverError).toContain('ENOENT');
  });

  it('keeps the client version and the reason when the daemon does not answer', async () => {
    fakeClients({ docker: { version: () => result(1, versionJson('28.0.1', null), notRunning), buildx: false } });
    expect(await probeClient('docker')).toEqual({
      path: 'docker',
      clientVersion: '28.0.1',
      serverVersion: undefined,
      serverError: notRunning,
      buildx: false,
    });
  });
});

describe('resolveBuildClient', () => {
  it('probes only the configured client when the "docker" option is set', async () => {
    fakeClients({ '/opt/docker': { version: () => result(0, versionJson('20.10.24', '20.10.24')) } });
    const client = await resolveBuildClient('/opt/docker');
    expect(client.path).toBe('/opt/docker');
    expect(new Set(execaMock.mock.calls.map((c) => c[0]))).toEqual(new Set(['/opt/docker']));
  });

  it('picks the PATH client when it can build, though /usr/bin/docker could too', async () => {
    fakeClients({
      docker: { version: () => result(0, versionJson('28.0.1', '28.0.1')), buildx: true },
      '/usr/bin/docker': { version: () => result(0, versionJson('20.10.24+dfsg1', '28.0.1')) },
    });
    const client = await resolveBuildClient();
    expect(client.path).toBe('docker');
    expect(client.buildCommand).toEqual(['buildx', 'build', '--load']);
  });

  it('falls back to /usr/bin/docker when the PATH client lacks buildx', async () => {
    fakeClients({
      docker: { version: () => result(0, versionJson('28.0.1', '28.0.1')) },
      '/usr/bin/docker': { version: () => result(0, versionJson('20.10.24+dfsg1', '28.0.1')) },
    });
    expect(await resolveBuildClient()).toEqual({ path: '/usr/bin/docker', buildCommand: ['build'], env: { DOCKER_BUILDKIT: '1' }, serverVersion: '28.0.1' });
  });

  it('explains that no engine answers when docker is missing and the daemon behind /usr/bin/docker is down', async () => {
    fakeClients({ '/usr/bin/docker': { version: () => result(1, versionJson('20.10.24', null), notRunning) } });
    const { message: error } = await resolveBuildClient().then(
      () => ({ message: 'no error' }),
      (e: Error) => e,
    );
    expect(error).toMatch(/^no Docker engine answers/);
    expect(error).toMatch(/- docker: .*ENOENT/);
    expect(error).toContain(`- /usr/bin/docker (client 20.10.24): engine not reachable (${notRunning})`);
  });
});

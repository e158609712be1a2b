import { archiveDecision, sharedCacheSource } from './image-archive-policy';

describe('whether the workspace shares its Nx cache between machines', () => {
  it('does not when nothing is configured', () => {
    expect(sharedCacheSource({}, {}, ['nx', '@nx/js'])).toBeNull();
    expect(sharedCacheSource(undefined, {}, [])).toBeNull();
    expect(sharedCacheSource({ tasksRunnerOptions: { default: { runner: 'nx/tasks-runners/default' } } }, {}, [])).toBeNull();
  });

  it('does with a self-hosted remote cache server', () => {
    expect(sharedCacheSource({}, { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.example' }, [])).toBe('NX_SELF_HOSTED_REMOTE_CACHE_SERVER is set');
  });

  it('does with Nx Cloud, from nx.json or the environment, unless Nx Cloud is turned off', () => {
    expect(sharedCacheSource({ nxCloudId: 'abc' }, {}, [])).toBe('Nx Cloud is configured in nx.json');
    expect(sharedCacheSource({}, { NX_CLOUD_ACCESS_TOKEN: 't' }, [])).toBe('NX_CLOUD_ACCESS_TOKEN is set');
    expect(sharedCacheSource({ tasksRunnerOptions: { default: { runner: 'nx-cloud', options: { accessToken: 't' } } } }, {}, [])).toBe('Nx Cloud is configured in nx.json');
    expect(sharedCacheSource({ nxCloudId: 'abc' }, { NX_NO_CLOUD: 'true' }, [])).toBeNull();
    expect(sharedCacheSource({ nxCloudId: 'abc', neverConnectToCloud: true }, { NX_CLOUD_ACCESS_TOKEN: 't' }, [])).toBeNull();
  });

  it("does with one of Nx's remote-cache packages installed", () => {
    expect(sharedCacheSource({}, {}, ['nx', '@nx/gcs-cache'])).toBe('@nx/gcs-cache is installed');
    expect(sharedCacheSource({}, {}, ['@nx/powerpack-shared-fs-cache'])).toBe('@nx/powerpack-shared-fs-cache is installed');
  });

  it('may with a task runner of its own (such as nx-remotecache-*)', () => {
    expect(sharedCacheSource({ tasksRunnerOptions: { default: { runner: '@pellegrims/nx-remotecache-s3' } } }, {}, [])).toBe(
      "nx.json's tasksRunnerOptions use @pellegrims/nx-remotecache-s3",
    );
  });
});

describe('whether a build saves its image into the cached result', () => {
  const never = () => {
    throw new Error('asked whether the cache is shared');
  };

  it('does what saveImage says when it is set, without asking whether the cache is shared', () => {
    expect(archiveDecision({ saveImage: true }, never)).toEqual({ save: true, why: 'option' });
    expect(archiveDecision({ saveImage: true, push: true }, never)).toEqual({ save: true, why: 'option' });
    expect(archiveDecision({ saveImage: false }, never)).toEqual({ save: false, why: 'option' });
  });

  it('otherwise saves only when the cache is shared and the image is not pushed', () => {
    expect(archiveDecision({}, () => null)).toEqual({ save: false, why: 'not-shared' });
    expect(archiveDecision({}, () => 'Nx Cloud is configured in nx.json')).toEqual({ save: true, why: 'shared', sharedCache: 'Nx Cloud is configured in nx.json' });
    expect(archiveDecision({ push: true }, never)).toEqual({ save: false, why: 'pushed' });
  });
});

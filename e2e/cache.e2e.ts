/**
 * The cache is never wrong about images: a result taken from the local or the
 * remote Nx cache leaves every image usable as configured (loaded into the
 * engine from the entry's archive when the cache is shared, built again from
 * the same inputs when the entry has no archive, or in a registry by digest
 * when pushed), and an image that cannot be restored is reported, failing the run.
 */
import { RemoteCache, Registry, startRegistry, startRemoteCache } from './support/servers';
import {
  NX_BIN,
  TEST_IMAGES,
  Workspace,
  cloneWorkspace,
  createWorkspace,
  docker,
  fixtureFiles,
  helloImageName,
  tasksFromCache,
  tasksRun,
} from './support/workspace';

jest.setTimeout(20 * 60 * 1000);

const apps = ['bye', 'hello', 'stats'];
const setupArgs = ['g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`];

function removeImages(refs: string[]): void {
  for (const ref of refs) docker('image', 'rm', '--force', ref);
}

function metadataOf(ws: Workspace, app: string): { imageId: string; tags: string[]; repoDigests?: string[]; archiveBase?: string } {
  return JSON.parse(ws.read(`dist/docker/${app}/metadata.json`));
}

describe('a fresh clone with a warm remote cache', () => {
  let cache: RemoteCache;
  let first: Workspace;
  let second: Workspace;
  let env: Record<string, string>;

  beforeAll(async () => {
    cache = await startRemoteCache();
    env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url };
    first = createWorkspace({ name: 'cache-a', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none' } });
    first.nx(...setupArgs);
    first.commit('setup');
  });
  afterAll(async () => {
    first?.remove();
    second?.remove();
    await cache?.close();
  });

  it('stores every image build in the remote cache', () => {
    const output = first.run(NX_BIN(first.root), ['run-many', '-t', 'docker-build', '--output-style=static'], env);
    expect(tasksRun(output)).toEqual(apps);
    expect(cache.stored().length).toBeGreaterThanOrEqual(apps.length);
    // The cache travels, so each result carries its image.
    for (const app of apps) expect(first.exists(`dist/docker/${app}/image.tar.gz`)).toBe(true);
    expect(output).toContain('image archived for the shared cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER is set)');
  });

  it('serves every build of a second clone from the remote cache, runs no engine build, and leaves every image runnable', () => {
    const built = apps.map((app) => metadataOf(first, app));
    removeImages(built.flatMap((m) => [...m.tags, m.imageId]));
    second = cloneWorkspace(first, 'cache-b');
    const servedBefore = cache.served().length;
    const output = second.run(NX_BIN(second.root), ['run-many', '-t', 'docker-build', '--output-style=static'], env);
    expect(tasksFromCache(output)).toEqual(apps);
    // Nx ran no executor, so no engine build (the replayed log is the first clone's build).
    expect(output).toContain('Nx read the output from the cache instead of running the command for 3 out of 3 tasks');
    expect(cache.served().length - servedBefore).toBe(apps.length);
    for (const app of apps) {
      expect(metadataOf(second, app).imageId).toBe(built[apps.indexOf(app)].imageId);
      // The archive held only the app's own layers; the engine had the runtime base image's.
      expect(metadataOf(second, app).archiveBase).toBe(TEST_IMAGES.goRuntimeImage);
      expect(docker('run', '--rm', '--network', 'none', `${app}:latest`)).toBe(`greetings from ${app} (uid 65532)`);
    }
  });

  it('points the tags back at the cached image when another build moved them', () => {
    docker('tag', TEST_IMAGES.goRuntimeImage, 'hello:latest');
    const output = second.run(NX_BIN(second.root), ['run', 'hello:docker-build', '--output-style=static'], env);
    expect(tasksFromCache(output)).toEqual(['hello']);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', 'hello:latest')).toBe(metadataOf(second, 'hello').imageId);
  });
});

describe('a cached result whose image is gone, from a cache entry with no image archive', () => {
  let ws: Workspace;
  beforeAll(() => {
    // The image name of hello only: two projects may not share one.
    ws = createWorkspace({ name: 'cache-nosave', files: { ...fixtureFiles('e2e/fixtures/go-work'), 'apps/hello/project.json': helloImageName('nosave-hello') }, buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('saves no image archive when nothing shares the Nx cache', () => {
    const output = ws.nx('run', 'hello:docker-build', '--output-style=static');
    expect(output).toContain('no image archive, as no remote cache is configured (saveImage)');
    expect(ws.exists('dist/docker/hello/image.tar.gz')).toBe(false);
    expect(metadataOf(ws, 'hello').archiveBase).toBeUndefined();
  });

  it('builds it again from the same inputs, so the image runs and metadata.json names it', () => {
    const { imageId } = metadataOf(ws, 'hello');
    removeImages(['nosave-hello:latest', imageId]);
    const result = ws.attempt(NX_BIN(ws.root), ['run', 'hello:docker-build', '--output-style=static']);
    expect(result.code).toBe(0);
    expect(tasksFromCache(result.output)).toEqual(['hello']);
    expect(result.output).toContain(`hello: the engine does not hold the cached image ${imageId} and the cache entry has no archive; building it again`);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', 'nosave-hello:latest')).toBe(metadataOf(ws, 'hello').imageId);
    expect(docker('run', '--rm', '--network', 'none', 'nosave-hello:latest')).toBe('greetings from hello (uid 65532)');
  });
});

describe('pushing to a registry', () => {
  let registry: Registry;
  let cache: RemoteCache;
  let first: Workspace;
  let second: Workspace;
  let env: Record<string, string>;

  beforeAll(async () => {
    registry = await startRegistry();
    cache = await startRemoteCache();
    env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url };
    first = createWorkspace({
      name: 'push-a',
      files: fixtureFiles('e2e/fixtures/go-work'),
      buildOptions: { network: 'none', push: true, registry: `${registry.address}/shop`, tags: ['1.0.0'] },
    });
    first.nx(...setupArgs);
    first.commit('setup');
  });
  afterAll(async () => {
    first?.remove();
    second?.remove();
    await cache?.close();
    await registry?.stop();
  });

  it('pushes every image and records its digest', () => {
    first.run(NX_BIN(first.root), ['run-many', '-t', 'docker-build', '--output-style=static'], env);
    for (const app of apps) {
      const metadata = metadataOf(first, app);
      expect(metadata.repoDigests).toEqual([expect.stringMatching(new RegExp(`^${registry.address}/shop/${app}@sha256:[0-9a-f]{64}$`))]);
      expect(first.exists(`dist/docker/${app}/image.tar.gz`)).toBe(false);
    }
  });

  it('leaves a second clone served from the remote cache with every image in the registry by digest', () => {
    const pushed = apps.map((app) => metadataOf(first, app));
    removeImages(pushed.flatMap((m) => [...m.tags, m.imageId]));
    second = cloneWorkspace(first, 'push-b');
    const output = second.run(NX_BIN(second.root), ['run-many', '-t', 'docker-build', '--output-style=static'], env);
    expect(tasksFromCache(output)).toEqual(apps);
    expect(output).toContain('Nx read the output from the cache instead of running the command for 3 out of 3 tasks');
    for (const [i, app] of apps.entries()) {
      const digest = pushed[i].repoDigests![0];
      expect(metadataOf(second, app).repoDigests).toEqual([digest]);
      docker('pull', '--quiet', digest);
      expect(docker('run', '--rm', '--network', 'none', digest)).toBe(`greetings from ${app} (uid 65532)`);
    }
  });
});

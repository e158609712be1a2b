import { logger } from '@nx/devkit';
import execa from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from './build-image';
import { resolveBuildClient } from './docker-client';
import { EngineError } from './engine-error';
import { ImageLoadError, imageExists, imagesHeld, loadImage } from './image-archive';
import { readMetadata, writeMetadata } from './image-metadata';
import { cachedDockerBuilds, restoreCachedImages, unbuiltDockerBuilds } from './restore-cached-images';

jest.mock('execa');
jest.mock('./docker-client');
jest.mock('./build-image');
jest.mock('./image-archive', () => ({
  ...jest.requireActual('./image-archive'),
  loadImage: jest.fn(),
  imageExists: jest.fn(),
  imagesHeld: jest.fn(),
}));
const execaMock = execa as unknown as jest.Mock;
const loadMock = loadImage as jest.MockedFunction<typeof loadImage>;
const existsMock = imageExists as jest.MockedFunction<typeof imageExists>;
const heldMock = imagesHeld as jest.MockedFunction<typeof imagesHeld>;
const resolveMock = resolveBuildClient as jest.MockedFunction<typeof resolveBuildClient>;
const buildMock = buildImage as jest.MockedFunction<typeof buildImage>;

const result = (project: string, target: string, status: string) => ({ task: { target: { project, target } }, status });

describe('which results to check after a run', () => {
  it('picks the docker-build results that came from the local or remote cache', () => {
    const results = {
      a: result('api', 'docker-build', 'remote-cache'),
      b: result('web', 'docker-build', 'local-cache'),
      c: result('cli', 'docker-build', 'success'),
      d: result('api', 'test', 'local-cache'),
      e: result('worker', 'docker-build', 'local-cache-kept-existing'),
      f: result('old', 'docker-build', 'failure'),
    };
    expect(cachedDockerBuilds(results, 'docker-build')).toEqual(['api', 'web', 'worker']);
  });

  it('follows a renamed target', () => {
    expect(cachedDockerBuilds({ a: result('api', 'image', 'local-cache') }, 'image')).toEqual(['api']);
  });

  it('names the docker-build tasks that failed or were skipped, whose earlier results must go', () => {
    const results = {
      a: result('api', 'docker-build', 'failure'),
      b: result('web', 'docker-build', 'skipped'),
      c: result('cli', 'docker-build', 'success'),
      d: result('lib', 'build', 'failure'),
      e: result('worker', 'docker-build', 'local-cache'),
    };
    expect(unbuiltDockerBuilds(results, 'docker-build')).toEqual(['api', 'web']);
  });
});

describe('restoring an image whose archive leaves out its base layers', () => {
  const MISSING = 'open /var/lib/docker/tmp/docker-import-1/aaa/layer.tar: no such file or directory';
  const client = { path: '/usr/bin/docker', buildCommand: ['build'], env: {}, serverVersion: '20.10.24' };
  let root: string;
  /** What the engine has: image ids and references. */
  let engine: Set<string>;
  const calls = () => execaMock.mock.calls.map((c) => [c[1]].flat().join(' '));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'restore-spec-'));
    writeMetadata(join(root, 'dist/docker/api/metadata.json'), {
      project: 'api',
      imageId: 'sha256:abc',
      tags: ['api:latest'],
      archive: 'dist/docker/api/image.tar.gz',
      archiveBase: 'node:20-slim',
    });
    mkdirSync(join(root, 'dist/docker/api'), { recursive: true });
    writeFileSync(join(root, 'dist/docker/api/image.tar.gz'), '');
    engine = new Set();
    resolveMock.mockReset().mockResolvedValue(client);
    existsMock.mockReset().mockImplementation(async (_c, ref) => engine.has(ref));
    heldMock.mockReset().mockImplementation(async (_c, refs) => new Map(refs.filter((r) => engine.has(r)).map((r) => [r, []])));
    // The load works only when the engine has the base layers.
    loadMock.mockReset().mockImplementation(async (_c, path) => {
      if (!engine.has('node:20-slim')) throw new ImageLoadError(path, MISSING);
      engine.add('sha256:abc');
    });
    execaMock.mockReset().mockResolvedValue({ exitCode: 0, stdout: '', stderr: '' });
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('loads it straight away when the engine has the base image', async () => {
    engine.add('node:20-slim');
    expect(await restoreCachedImages(root, ['api'], 'docker-build')).toEqual([]);
    expect(calls()).toEqual(['tag sha256:abc api:latest']);
  });

  it('pulls the base image once and loads again when the engine does not have it', async () => {
    execaMock.mockImplementation(async (_path: string, argv: string[]) => {
      if (argv[0] === 'pull') engine.add(argv[1]);
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    expect(await restoreCachedImages(root, ['api'], 'docker-build')).toEqual([]);
    expect(calls()).toEqual(['pull node:20-slim', 'tag sha256:abc api:latest']);
    expect(loadMock).toHaveBeenCalledTimes(2);
  });

  it('fails with the project, the base image and the fixes when the pull fails', async () => {
    execaMock.mockResolvedValue({ exitCode: 1, stdout: '', stderr: 'Error response from daemon: Get "https://registry-1.docker.io/v2/": no such host' });
    const [problem, ...others] = await restoreCachedImages(root, ['api'], 'docker-build');
    expect(others).toEqual([]);
    expect(problem).toBe(
      'api: the Nx cache restored docker-build, but its image archive (dist/docker/api/image.tar.gz) holds only the layers api adds ' +
        'to its base image node:20-slim, and this engine lacks the base layers: the engine does not have node:20-slim, and ' +
        '"docker pull node:20-slim" failed: Error response from daemon: Get "https://registry-1.docker.io/v2/": no such host. ' +
        'Fix: pull or build node:20-slim (the version the build used) and run again, or rebuild the image with: nx run api:docker-build --skip-nx-cache',
    );
    expect(calls()).toEqual(['pull node:20-slim']);
  });

  it('does not pull over a base image the engine has, when it is another version', async () => {
    engine.add('node:20-slim');
    loadMock.mockRejectedValue(new ImageLoadError('image.tar.gz', MISSING));
    const [problem] = await restoreCachedImages(root, ['api'], 'docker-build');
    expect(problem).toContain('the engine has node:20-slim, but not the version api was built on');
    expect(calls()).toEqual([]);
  });

  it('builds the image again from the options the entry records when its archive is corrupt, saying so', async () => {
    writeMetadata(join(root, 'dist/docker/api/metadata.json'), {
      project: 'api',
      imageId: 'sha256:abc',
      tags: ['api:latest'],
      archive: 'dist/docker/api/image.tar.gz',
      build: { target: 'api', dockerfile: 'apps/api/Dockerfile' },
    });
    engine.add('node:20-slim');
    loadMock.mockRejectedValue(new ImageLoadError('image.tar.gz', 'unexpected EOF'));
    buildMock.mockReset().mockResolvedValue({ imageId: 'sha256:abc' });
    const info = logger.info as unknown as jest.Mock;
    expect(await restoreCachedImages(root, ['api'], 'docker-build')).toEqual([]);
    expect(buildMock.mock.calls.map(([b]) => [b.projectName, b.options])).toEqual([['api', { target: 'api', dockerfile: 'apps/api/Dockerfile' }]]);
    expect(info.mock.calls.flat().join('\n')).toContain('api: the image archive in the cache entry cannot be used (api: cannot load the cached image sha256:abc from dist/docker/api/image.tar.gz: unexpected EOF;');
  });

  it('reports what the engine said when a load fails for another reason', async () => {
    engine.add('node:20-slim');
    loadMock.mockRejectedValue(new ImageLoadError('image.tar.gz', 'no space left on device'));
    expect(await restoreCachedImages(root, ['api'], 'docker-build')).toEqual([
      'api: cannot load the cached image sha256:abc from dist/docker/api/image.tar.gz: no space left on device; ' +
        'build it again with: nx run api:docker-build --skip-nx-cache',
    ]);
  });
});

describe('an image the engine still holds', () => {
  const client = { path: '/usr/bin/docker', buildCommand: ['build'], env: {}, serverVersion: '20.10.24' };
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'restore-spec-'));
    writeMetadata(join(root, 'dist/docker/api/metadata.json'), {
      project: 'api',
      imageId: 'sha256:abc',
      tags: ['api:latest', 'api:1.0'],
    });
    resolveMock.mockReset().mockResolvedValue(client);
    execaMock.mockReset().mockResolvedValue({ exitCode: 0, stdout: '', stderr: '' });
    loadMock.mockReset();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('checks all images in one engine call and re-tags only the tags another build moved', async () => {
    heldMock.mockReset().mockResolvedValue(new Map([['sha256:abc', ['api:latest']]]));
    expect(await restoreCachedImages(root, ['api'], 'docker-build')).toEqual([]);
    expect(heldMock).toHaveBeenCalledTimes(1);
    expect(loadMock).not.toHaveBeenCalled();
    expect(execaMock.mock.calls.map((c) => c[1])).toEqual([['tag', 'sha256:abc', 'api:1.0']]);
  });

  it('says the image is gone, naming the project and the rebuild command, when there is no archive and no recorded build options', async () => {
    heldMock.mockReset().mockResolvedValue(new Map());
    const problems = await restoreCachedImages(root, ['api'], 'docker-build');
    expect(problems).toEqual([expect.stringMatching(/^api: the Nx cache restored docker-build .* nx run api:docker-build --skip-nx-cache$/)]);
  });
});

describe('an image the engine lacks, from a cache entry with no archive', () => {
  const client = { path: '/usr/bin/docker', buildCommand: ['build'], env: {}, serverVersion: '20.10.24' };
  const apps = ['api', 'web', 'worker', 'jobs'];
  let root: string;
  const metadataOf = (app: string) => readMetadata(join(root, `dist/docker/${app}/metadata.json`));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'restore-spec-'));
    for (const app of apps) {
      writeMetadata(join(root, `dist/docker/${app}/metadata.json`), {
        project: app,
        imageId: `sha256:${app}-built-elsewhere`,
        tags: [`${app}:latest`],
        build: { target: app, dockerfile: `apps/${app}/Dockerfile`, network: 'none' },
      });
    }
    resolveMock.mockReset().mockResolvedValue(client);
    heldMock.mockReset().mockResolvedValue(new Map());
    execaMock.mockReset().mockResolvedValue({ exitCode: 0, stdout: '', stderr: '' });
    loadMock.mockReset();
    buildMock.mockReset();
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds each again from the options its entry records, three at a time, and records the new image ids', async () => {
    let running = 0;
    let most = 0;
    buildMock.mockImplementation(async ({ projectName }) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      // One of them is rebuilt with BuildKit's cache to the very same image.
      return { imageId: projectName === 'web' ? 'sha256:web-built-elsewhere' : `sha256:${projectName}-built-here` };
    });
    expect(await restoreCachedImages(root, apps, 'docker-build')).toEqual([]);
    expect(buildMock.mock.calls.map(([b]) => [b.projectName, b.options, b.client, b.workspaceRoot])).toEqual(
      apps.map((app) => [app, { target: app, dockerfile: `apps/${app}/Dockerfile`, network: 'none' }, client, root]),
    );
    expect(most).toBe(3);
    expect(metadataOf('api')).toMatchObject({ imageId: 'sha256:api-built-here', tags: ['api:latest'], build: { target: 'api' } });
    expect(metadataOf('web')?.imageId).toBe('sha256:web-built-elsewhere');
    expect(loadMock).not.toHaveBeenCalled();
    expect(execaMock).not.toHaveBeenCalled(); // the builds tagged them
  });

  it('reports a rebuild that fails, with the project, the reason and the command, and keeps the others', async () => {
    buildMock.mockImplementation(async ({ projectName }) => {
      if (projectName !== 'web') return { imageId: `sha256:${projectName}-built-here` };
      throw new EngineError('web: building stage "web" of apps/web/Dockerfile failed: the step `npm ci` exited with code 1; its output is above.', 'npm ERR! network\n');
    });
    const problems = await restoreCachedImages(root, apps, 'docker-build');
    expect(problems).toEqual([
      'web: the engine does not hold the cached image sha256:web-built-elsewhere and building it again failed: ' +
        'web: building stage "web" of apps/web/Dockerfile failed: the step `npm ci` exited with code 1; its output is above. ' +
        'Build it with: nx run web:docker-build --skip-nx-cache',
    ]);
    expect(metadataOf('api')?.imageId).toBe('sha256:api-built-here');
    expect(metadataOf('web')?.imageId).toBe('sha256:web-built-elsewhere');
  });
});

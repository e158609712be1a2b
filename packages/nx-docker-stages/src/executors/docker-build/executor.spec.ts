import { ExecutorContext, logger } from '@nx/devkit';
import execa from 'execa';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuildClient } from '../../engine/docker-client';
import { EngineError } from '../../engine/engine-error';
import { stageNodeImageContext } from '../../nx/node-image-context';
import dockerBuildExecutor from './executor';

jest.mock('execa');
jest.mock('../../engine/docker-client');
jest.mock('../../nx/node-image-context');
jest.mock('../../engine/git-stamp', () => ({ gitStamp: jest.fn(async (_root: string, names: string[]) => Object.fromEntries(names.map((n) => [n, `${n}-of-head`]))) }));
jest.mock('../../engine/image-archive', () => ({
  ...jest.requireActual('../../engine/image-archive'),
  saveImage: jest.fn(async () => ({ omittedLayers: 0 })),
  repoDigests: jest.fn(async () => ['registry.test/api@sha256:def']),
}));
const archive = jest.requireMock('../../engine/image-archive') as { saveImage: jest.Mock; repoDigests: jest.Mock };
const stageMock = stageNodeImageContext as jest.MockedFunction<typeof stageNodeImageContext>;
const execaMock = execa as unknown as jest.Mock;
const resolveMock = resolveBuildClient as jest.MockedFunction<typeof resolveBuildClient>;

const client = { path: '/usr/bin/docker', buildCommand: ['build'], env: { DOCKER_BUILDKIT: '1' }, serverVersion: '28.0.1' };

/** What each build's --file held when the engine was started. */
let dockerfilesBuilt: string[] = [];

/** A stand-in for execa's child: a promise with stdout/stderr emitters and kill(). */
function fakeBuild(exitCode: number, output = '') {
  dockerfilesBuilt = [];
  execaMock.mockImplementation((_path: string, argv: string[]) => {
    if (argv[0] === 'build') dockerfilesBuilt.push(readFileSync(argv[argv.indexOf('--file') + 1], 'utf8'));
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const done = new Promise((resolve) =>
      setImmediate(() => {
        if (output) stderr.emit('data', Buffer.from(output));
        if (exitCode === 0) writeFileSync(argv[argv.indexOf('--iidfile') + 1], 'sha256:abc\n');
        resolve({ exitCode });
      }),
    );
    return Object.assign(done, { stdout, stderr, kill: jest.fn() });
  });
}

let root: string;
let errors: jest.SpyInstance;
const metadataFile = () => join(root, 'dist/docker/api/metadata.json');
const run = (options: Partial<Parameters<typeof dockerBuildExecutor>[0]> = {}) =>
  dockerBuildExecutor({ target: 'api', ...options }, { root, cwd: root, projectName: 'api', isVerbose: false } as ExecutorContext);
const loggedError = () => errors.mock.calls.map((c) => String(c[0])).join('\n');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'docker-build-spec-'));
  writeFileSync(join(root, 'Dockerfile'), 'FROM golang:1.23 AS go-base\nFROM x AS api\n');
  execaMock.mockReset();
  resolveMock.mockReset().mockResolvedValue(client);
  stageMock.mockReset().mockResolvedValue({ context: 'dist/docker/api/context', entry: 'main.js', libraries: [], notes: [] });
  errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

it('builds with the chosen client and records the image id and tags in metadata.json', async () => {
  fakeBuild(0);
  expect(await run({ tags: ['1.0', 'latest'] })).toEqual({ success: true });
  expect(JSON.parse(readFileSync(metadataFile(), 'utf8'))).toMatchObject({
    project: 'api',
    imageId: 'sha256:abc',
    tags: ['api:1.0', 'api:latest'],
    build: { target: 'api' },
  });
});

it('runs the engine with an argument array, BuildKit enabled and no shell', async () => {
  fakeBuild(0);
  await run();
  expect(execaMock).toHaveBeenCalledTimes(1);
  const [path, argv, opts] = execaMock.mock.calls[0];
  expect(path).toBe('/usr/bin/docker');
  // A copy of the Dockerfile under a name of its own per build (moby/buildkit#1368), removed afterwards.
  expect(argv.slice(0, 5)).toEqual(['build', '--file', expect.stringMatching(/\/api-[0-9a-f]{8}\.Dockerfile$/), '--target', 'api']);
  expect(dockerfilesBuilt).toEqual([readFileSync(join(root, 'Dockerfile'), 'utf8')]);
  expect(existsSync(argv[2])).toBe(false);
  expect(opts.env).toMatchObject({ DOCKER_BUILDKIT: '1' });
  expect(opts).not.toHaveProperty('shell');
});

it('fails without building or writing metadata when no engine is available', async () => {
  resolveMock.mockRejectedValue(new EngineError('no Docker engine answers. Tried:\n  - docker: not found'));
  expect(await run()).toEqual({ success: false });
  expect(execaMock).not.toHaveBeenCalled();
  expect(existsSync(metadataFile())).toBe(false);
  expect(loggedError()).toContain('api: no Docker engine answers');
});

it('fails, explains the failed step and removes metadata from an earlier build when the build fails', async () => {
  mkdirSync(join(root, 'dist/docker/api'), { recursive: true });
  writeFileSync(metadataFile(), JSON.stringify({ imageId: 'sha256:old' }));
  fakeBuild(1, 'ERROR: failed to solve: process "/bin/sh -c go build ./cmd/api" did not complete successfully: exit code: 1\n');
  expect(await run()).toEqual({ success: false });
  expect(existsSync(metadataFile())).toBe(false);
  expect(loggedError()).toContain('the step `go build ./cmd/api` exited with code 1');
});

it('fails with a clear message and builds nothing when the Dockerfile is missing', async () => {
  rmSync(join(root, 'Dockerfile'));
  expect(await run()).toEqual({ success: false });
  expect(loggedError()).toContain('api: Dockerfile not found; run `nx g nx-docker-stages:setup`');
  expect(resolveMock).not.toHaveBeenCalled();
  expect(execaMock).not.toHaveBeenCalled();
});

it('builds the Dockerfile in the project root when no dockerfile is given', async () => {
  mkdirSync(join(root, 'cmd/api'), { recursive: true });
  writeFileSync(join(root, 'cmd/api/Dockerfile'), 'FROM x AS api\n');
  fakeBuild(0);
  const context = { root, cwd: root, projectName: 'api', isVerbose: false, projectsConfigurations: { version: 2, projects: { api: { root: 'cmd/api' } } } };
  expect(await dockerBuildExecutor({ target: 'api' }, context as unknown as ExecutorContext)).toEqual({ success: true });
  expect(dockerfilesBuilt).toEqual(['FROM x AS api\n']);
});

it('asks to run setup when its Dockerfile has no stage for the target', async () => {
  writeFileSync(join(root, 'Dockerfile'), '# >>> nx-docker-stages managed "app:api" [000000000000]\nFROM x AS api\n# <<< nx-docker-stages managed "app:api"\n');
  expect(await run({ target: 'web' })).toEqual({ success: false });
  expect(loggedError()).toMatch(/api: Dockerfile has no stage "web"; run `nx g nx-docker-stages:setup`/);
  expect(execaMock).not.toHaveBeenCalled();
});

it('builds a target whose FROM line sets --platform', async () => {
  writeFileSync(join(root, 'Dockerfile'), 'FROM --platform=$BUILDPLATFORM node:20 AS web\n');
  fakeBuild(0);
  expect(await run({ target: 'web' })).toEqual({ success: true });
});

describe('Node apps', () => {
  const graph = { nodes: {}, dependencies: {} };
  const runNode = () =>
    dockerBuildExecutor({ target: 'api', nodeApp: { buildTarget: 'build' } }, {
      root,
      cwd: root,
      projectName: 'api',
      isVerbose: false,
      projectGraph: graph,
    } as unknown as ExecutorContext);

  it('stages the app\'s build context before building, and builds with that folder as the context', async () => {
    fakeBuild(0);
    expect(await runNode()).toEqual({ success: true });
    expect(stageMock).toHaveBeenCalledWith('api', graph, root, { buildTarget: 'build' });
    expect(stageMock.mock.invocationCallOrder[0]).toBeLessThan(execaMock.mock.invocationCallOrder[0]);
    const argv = execaMock.mock.calls[0][1] as string[];
    expect(argv[argv.length - 1]).toBe(join(root, 'dist/docker/api/context'));
    expect(JSON.parse(readFileSync(metadataFile(), 'utf8')).build).toMatchObject({ context: 'dist/docker/api/context' });
  });

  it('builds nothing and says why when the context cannot be staged', async () => {
    stageMock.mockRejectedValue(new Error('api: could not prune package-lock.json to the app\'s production dependencies'));
    expect(await runNode()).toEqual({ success: false });
    expect(loggedError()).toContain('api: could not prune package-lock.json');
    expect(execaMock).not.toHaveBeenCalled();
  });

  it('stages nothing for Go apps, which build from the workspace root', async () => {
    fakeBuild(0);
    await run();
    expect(stageMock).not.toHaveBeenCalled();
    const argv = execaMock.mock.calls[0][1] as string[];
    expect(argv[argv.length - 1]).toBe(root);
  });
});

describe('making the image part of the cached result', () => {
  it('saves no archive by default when nothing shares the Nx cache, and records the options it built with', async () => {
    fakeBuild(0);
    archive.saveImage.mockClear();
    expect(await run({ network: 'none' })).toEqual({ success: true });
    expect(archive.saveImage).not.toHaveBeenCalled();
    const metadata = JSON.parse(readFileSync(metadataFile(), 'utf8'));
    expect(metadata.archive).toBeUndefined();
    expect(metadata.build).toEqual({ target: 'api', network: 'none', dockerfile: 'Dockerfile' });
  });

  it('saves the image to dist/docker/<project>/image.tar.gz, without the layers of its runtime base image, when the workspace shares its Nx cache', async () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ devDependencies: { '@nx/s3-cache': '^4.0.0' } }));
    fakeBuild(0);
    archive.saveImage.mockResolvedValueOnce({ archiveBase: 'x', omittedLayers: 1 });
    expect(await run()).toEqual({ success: true });
    expect(archive.saveImage).toHaveBeenCalledWith(client, ['api:latest'], join(root, 'dist/docker/api/image.tar.gz'), { baseImage: 'x' });
    expect(JSON.parse(readFileSync(metadataFile(), 'utf8'))).toMatchObject({ archive: 'dist/docker/api/image.tar.gz', archiveBase: 'x' });
  });

  it('follows a runtime stage built on another stage down to its image', async () => {
    writeFileSync(join(root, 'Dockerfile'), 'FROM golang:1.23 AS go-base\nFROM node:22-slim AS slim\nFROM slim AS api\n');
    fakeBuild(0);
    archive.saveImage.mockClear();
    expect(await run({ saveImage: true })).toEqual({ success: true });
    expect(archive.saveImage).toHaveBeenCalledWith(client, ['api:latest'], expect.any(String), { baseImage: 'node:22-slim' });
    expect(JSON.parse(readFileSync(metadataFile(), 'utf8')).archiveBase).toBeUndefined();
  });

  it('pushes every tag and records the registry digests instead of saving, when asked to push', async () => {
    fakeBuild(0);
    archive.saveImage.mockClear();
    const pushes: string[][] = [];
    const build = execaMock.getMockImplementation()!;
    execaMock.mockImplementation((path: string, argv: string[], opts: unknown) => {
      if (argv[0] === 'push') {
        pushes.push(argv);
        return Promise.resolve({ exitCode: 0, all: 'pushed' });
      }
      return build(path, argv, opts);
    });
    expect(await run({ push: true, registry: 'registry.test', tags: ['1.0', 'latest'] })).toEqual({ success: true });
    expect(pushes).toEqual([['push', 'registry.test/api:1.0'], ['push', 'registry.test/api:latest']]);
    expect(archive.saveImage).not.toHaveBeenCalled();
    expect(JSON.parse(readFileSync(metadataFile(), 'utf8')).repoDigests).toEqual(['registry.test/api@sha256:def']);
  });

  it('fails, writing no metadata, when the push fails', async () => {
    fakeBuild(0);
    const build = execaMock.getMockImplementation()!;
    execaMock.mockImplementation((path: string, argv: string[], opts: unknown) =>
      argv[0] === 'push' ? Promise.resolve({ exitCode: 1, all: 'denied: requested access to the resource is denied' }) : build(path, argv, opts),
    );
    expect(await run({ push: true, registry: 'registry.test' })).toEqual({ success: false });
    expect(loggedError()).toContain(
      'api: docker push registry.test/api:latest failed (exit code 1): denied: requested access to the resource is denied; check the "registry" option, and that this machine is logged in to that registry (docker login)',
    );
    expect(existsSync(metadataFile())).toBe(false);
  });
});

it("says a Dockerfile without the app's stage is a person's own when nx-docker-stages did not write it, and names both fixes", async () => {
  writeFileSync(join(root, 'Dockerfile'), 'FROM node:20\nCOPY dist .\nCMD ["node", "main.js"]\n');
  expect(await run()).toEqual({ success: false });
  expect(loggedError()).toMatch(/api: Dockerfile was not written by nx-docker-stages and has no stage "api".*--dockerfile=Dockerfile\.nx/);
  expect(execaMock).not.toHaveBeenCalled();
});

describe('the build settings of a Go app', () => {
  const GO_DOCKERFILE = 'FROM golang:1.23 AS go-base\nFROM go-base AS api-build\nARG GO_TAGS=""\nARG GO_LDFLAGS=""\nARG GO_ENV=""\nFROM scratch AS api\n';
  const builtArgv = () => execaMock.mock.calls.find((c) => c[1][0] === 'build')![1] as string[];

  it('passes them as the build args of the Go build stage, the stamp filled in from the commit, and records those values (not the template) in metadata.json', async () => {
    writeFileSync(join(root, 'Dockerfile'), GO_DOCKERFILE);
    fakeBuild(0);
    expect(await run({ goTags: ['netgo'], goLdflags: '-X main.version={shortSha}', goEnv: { GOAMD64: 'v2' }, buildArgs: { OTHER: '1' } })).toEqual({ success: true });
    const argv = builtArgv();
    expect(argv).toEqual(expect.arrayContaining(['--build-arg', 'OTHER=1', 'GO_TAGS=netgo', 'GO_LDFLAGS=-X main.version=shortSha-of-head', 'GO_ENV=GOAMD64=v2']));
    const { build } = JSON.parse(readFileSync(metadataFile(), 'utf8'));
    expect(build.buildArgs).toEqual({ OTHER: '1', GO_TAGS: 'netgo', GO_LDFLAGS: '-X main.version=shortSha-of-head', GO_ENV: 'GOAMD64=v2' });
    expect(build).not.toHaveProperty('goLdflags');
  });

  it('refuses them, building nothing, for a Dockerfile whose stages do not declare them (a Node app, or Go stages older than the option)', async () => {
    fakeBuild(0);
    expect(await run({ goLdflags: '-X main.version=1' })).toEqual({ success: false });
    expect(loggedError()).toContain(
      'api: "goTags", "goLdflags" and "goEnv" are settings of the Go build stage nx-docker-stages generates, and Dockerfile declares no ARG GO_TAGS, GO_LDFLAGS, GO_ENV; run `nx sync`',
    );
    expect(execaMock).not.toHaveBeenCalled();
  });

  it('builds with the CGO_ENABLED its stages follow, and refuses one they do not (set where nx sync cannot read it), building nothing', async () => {
    writeFileSync(join(root, 'Dockerfile'), GO_DOCKERFILE.replace('AS api-build\n', 'AS api-build\nENV CGO_ENABLED=1\n'));
    fakeBuild(0);
    expect(await run({ goEnv: { CGO_ENABLED: '1', GOAMD64: 'v2' } })).toEqual({ success: true });
    // The stage sets it; the build args carry the rest.
    expect(builtArgv()).toEqual(expect.arrayContaining(['GO_ENV=GOAMD64=v2']));
    execaMock.mockClear();
    expect(await run({ goEnv: { CGO_ENABLED: '0' } })).toEqual({ success: false });
    expect(loggedError()).toContain('api: "goEnv" sets CGO_ENABLED=0, and the stages of Dockerfile build with cgo; set it in the options nx sync reads');
    writeFileSync(join(root, 'Dockerfile'), GO_DOCKERFILE);
    expect(await run({ goEnv: { CGO_ENABLED: '1' } })).toEqual({ success: false });
    expect(loggedError()).toContain('api: "goEnv" sets CGO_ENABLED=1, and the stages of Dockerfile build without cgo;');
    expect(execaMock).not.toHaveBeenCalled();
  });

  it('refuses a bad setting before anything runs, naming the option', async () => {
    writeFileSync(join(root, 'Dockerfile'), GO_DOCKERFILE);
    fakeBuild(0);
    expect(await run({ goEnv: { GOOS: 'windows' } })).toEqual({ success: false });
    expect(loggedError()).toContain('api: "goEnv" sets GOOS, which the Go stages set themselves');
    expect(execaMock).not.toHaveBeenCalled();
    expect(existsSync(metadataFile())).toBe(false);
  });
});

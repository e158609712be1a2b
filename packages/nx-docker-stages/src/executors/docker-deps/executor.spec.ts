import { ExecutorContext, logger } from '@nx/devkit';
import execa from 'execa';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuildClient } from '../../engine/docker-client';
import { stageNodeDependencies } from '../../nx/node-image-context';
import dockerDepsExecutor from './executor';

jest.mock('execa');
jest.mock('../../engine/docker-client');
jest.mock('../../nx/node-image-context');
const stageMock = stageNodeDependencies as jest.MockedFunction<typeof stageNodeDependencies>;
const execaMock = execa as unknown as jest.Mock;
const resolveMock = resolveBuildClient as jest.MockedFunction<typeof resolveBuildClient>;

const client = { path: '/usr/bin/docker', buildCommand: ['build'], env: { DOCKER_BUILDKIT: '1' }, serverVersion: '20.10.24' };
const DOCKERFILE = 'FROM node:20 AS shop-web-deps\nCOPY deps/ ./\nRUN npm ci\nFROM node:20-slim AS shop-web\n';

/** Every engine command started, and the build context staged when the build started. */
let commands: string[][] = [];
let stagedAtBuild: boolean[] = [];

/** A stand-in for execa: `build` writes the iid file (or fails), anything else (image rm) succeeds. */
function fakeEngine(buildExitCode: number, output = '') {
  commands = [];
  stagedAtBuild = [];
  execaMock.mockImplementation((_path: string, argv: string[]) => {
    commands.push(argv);
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const building = argv[0] === 'build';
    if (building) stagedAtBuild.push(existsSync(argv[argv.length - 1]));
    const done = new Promise((resolve) =>
      setImmediate(() => {
        if (building && output) stderr.emit('data', Buffer.from(output));
        if (building && buildExitCode === 0) writeFileSync(argv[argv.indexOf('--iidfile') + 1], 'sha256:deps\n');
        resolve({ exitCode: building ? buildExitCode : 0 });
      }),
    );
    return Object.assign(done, { stdout, stderr, kill: jest.fn() });
  });
}

let root: string;
let warnings: jest.SpyInstance;
let errors: jest.SpyInstance;
const logged = (spy: jest.SpyInstance) => spy.mock.calls.map((c) => String(c[0])).join('\n');

/** The context Nx gives: a project whose docker-build target has these options (and configurations). */
function contextWith(target: Record<string, unknown> | undefined): ExecutorContext {
  const targets = target ? { 'docker-build': target } : {};
  return {
    root,
    cwd: root,
    projectName: '@shop/web',
    isVerbose: false,
    projectGraph: { nodes: { '@shop/web': { name: '@shop/web', type: 'app', data: { root: 'apps/web', targets } } }, dependencies: {} },
  } as unknown as ExecutorContext;
}

const nodeBuild = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  executor: 'nx-docker-stages:docker-build',
  options: { dockerfile: 'apps/web/Dockerfile', target: 'shop-web', context: 'dist/docker/@shop/web/context', nodeApp: { buildTarget: 'build' }, ...options },
  ...extra,
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'docker-deps-spec-'));
  mkdirSync(join(root, 'apps/web'), { recursive: true });
  writeFileSync(join(root, 'apps/web/Dockerfile'), DOCKERFILE);
  execaMock.mockReset();
  resolveMock.mockReset().mockResolvedValue(client);
  stageMock.mockReset().mockImplementation((_p, _g, _r, contextDir) => {
    mkdirSync(join(contextDir, 'deps'), { recursive: true });
    return [];
  });
  warnings = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

it('builds the dependencies stage, untagged, from the staged deps/ with the docker-build target options, then removes the untagged image', async () => {
  fakeEngine(0);
  const build = nodeBuild({ network: 'host', tags: ['1.0'] }, { defaultConfiguration: 'ci', configurations: { ci: { buildArgs: { MODE: 'ci' } } } });
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith(build))).toEqual({ success: true });

  expect(stageMock).toHaveBeenCalledWith('@shop/web', expect.anything(), root, expect.any(String));
  const [argv, removal] = commands;
  expect(argv.slice(0, 5)).toEqual(['build', '--file', expect.stringMatching(/shop-web-deps-[0-9a-f]+\.Dockerfile$/), '--target', 'shop-web-deps']);
  expect(argv).not.toContain('--tag');
  expect(argv.join(' ')).toContain('--network host');
  expect(argv.join(' ')).toContain('--build-arg MODE=ci');
  // The build context is the temporary folder the deps were staged in, gone afterwards.
  const contextDir = argv[argv.length - 1];
  expect(contextDir).toBe(stageMock.mock.calls[0][3]);
  expect(stagedAtBuild).toEqual([true]);
  expect(existsSync(contextDir)).toBe(false);
  expect(removal).toEqual(['image', 'rm', 'sha256:deps']);
  expect(logged(warnings)).toBe('');
});

it('warns and succeeds when the install fails: docker-build runs it again and reports it', async () => {
  fakeEngine(1, '#11 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n');
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith(nodeBuild()))).toEqual({ success: true });
  expect(logged(warnings)).toMatch(/@shop\/web: stage shop-web-deps not prepared ahead of docker-build \(.*\); docker-build builds it itself/);
  expect(commands.map((c) => c[0])).toEqual(['build']);
});

it('warns and succeeds when staging fails (a dependency on the file system, a lockfile Nx cannot prune)', async () => {
  fakeEngine(0);
  stageMock.mockImplementation(() => {
    throw new Error('@shop/web: its production dependencies x (file:../x) point at the file system');
  });
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith(nodeBuild()))).toEqual({ success: true });
  expect(logged(warnings)).toContain('point at the file system');
  expect(commands).toEqual([]);
});

it('leaves to docker-build what it would refuse, and a Dockerfile without the stage', async () => {
  fakeEngine(0);
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith(nodeBuild({ dockerfile: '../elsewhere/Dockerfile' })))).toEqual({ success: true });
  writeFileSync(join(root, 'apps/web/Dockerfile'), 'FROM node:20 AS mine\n');
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith(nodeBuild()))).toEqual({ success: true });
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build', stage: 'go' }, contextWith(nodeBuild({ nodeApp: undefined })))).toEqual({ success: true });
  expect(logged(warnings).split('\n')).toEqual([
    expect.stringContaining('its options are refused'),
    expect.stringContaining('has no stage "shop-web-deps"'),
    expect.stringContaining('has no stage "go"'),
  ]);
  expect(commands).toEqual([]);
  expect(stageMock).not.toHaveBeenCalled();
});

it("builds a Go app's base stage from the build's own context, with nothing staged, and removes the untagged image", async () => {
  fakeEngine(0);
  writeFileSync(join(root, 'apps/web/Dockerfile'), 'FROM golang:1.23 AS go\nRUN go mod download\nFROM go AS shop-web-build\nFROM scratch AS shop-web\n');
  const goBuild = { executor: 'nx-docker-stages:docker-build', options: { dockerfile: 'apps/web/Dockerfile', target: 'shop-web', network: 'host' } };
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build', stage: 'go' }, contextWith(goBuild))).toEqual({ success: true });
  const [build, removal] = commands;
  expect(build.slice(build.indexOf('--target'), build.indexOf('--target') + 2)).toEqual(['--target', 'go']);
  expect(build).toContain('--network');
  expect(build[build.length - 1]).toBe(root);
  expect(build).not.toContain('--tag');
  expect(stageMock).not.toHaveBeenCalled();
  expect(removal).toEqual(['image', 'rm', 'sha256:deps']);
  expect(logged(warnings)).toBe('');
});

it('fails, naming the option, when buildTarget names no docker-build target', async () => {
  expect(await dockerDepsExecutor({ buildTarget: 'image' }, contextWith(nodeBuild()))).toEqual({ success: false });
  expect(await dockerDepsExecutor({ buildTarget: 'docker-build' }, contextWith({ executor: 'nx:run-commands', options: {} }))).toEqual({ success: false });
  expect(logged(errors)).toContain('the docker-deps option buildTarget (image) names no nx-docker-stages:docker-build target of the project');
});

/**
 * Registered next to @nx-go/nx-go, the plugin adds its docker-build targets to
 * the projects @nx-go/nx-go infers instead of inferring a second project for
 * the same Go code. (@nx-go/nx-go runs `go list`, so only this suite gets a Go
 * toolchain on its PATH.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { NX_BIN, REPO_ROOT, TEST_IMAGES, Workspace, createWorkspace, fixtureFiles } from './support/workspace';

jest.setTimeout(15 * 60 * 1000);

describe('next to @nx-go/nx-go', () => {
  let ws: Workspace;
  let env: Record<string, string>;
  beforeAll(() => {
    const goBin = execFileSync('bash', [join(REPO_ROOT, 'scripts/ensure-go-toolchain.sh')], { encoding: 'utf8' }).trim();
    env = { PATH: `${goBin}:${process.env.PATH}` };
    ws = createWorkspace({
      name: 'nx-go',
      files: fixtureFiles('e2e/fixtures/go-work'),
      devDependencies: { '@nx-go/nx-go': '4.1.1' },
      plugins: ['@nx-go/nx-go'],
    });
    const nx = NX_BIN(ws.root);
    ws.run(nx, ['g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`], env);
  });
  afterAll(() => ws?.remove());

  const nx = (...args: string[]) => ws.run(NX_BIN(ws.root), args, env);

  it('infers exactly one project per Go module folder', () => {
    expect(JSON.parse(nx('show', 'projects', '--json')).sort()).toEqual(['bye', 'greet', 'hello', 'stats']);
  });

  it('adds docker-build to the app projects @nx-go/nx-go infers, keeping its targets', () => {
    const hello = JSON.parse(nx('show', 'project', 'hello', '--json'));
    expect(hello.root).toBe('apps/hello');
    expect(Object.keys(hello.targets)).toEqual(expect.arrayContaining(['build', 'test', 'docker-build']));
    const bye = JSON.parse(nx('show', 'project', 'bye', '--json'));
    expect(bye.root).toBe('apps/bye');
    expect(bye.targets['docker-build'].options.target).toBe('bye');
  });
});

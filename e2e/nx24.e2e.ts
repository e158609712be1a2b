/**
 * Smoke run on the newest Nx the peer range allows (24.x): the plugin loads,
 * infers its targets and builds a runnable image.
 */
import { TEST_IMAGES, Workspace, createWorkspace, docker, fixtureFiles, helloImageName, tasksRun } from './support/workspace';

jest.setTimeout(15 * 60 * 1000);

describe('on Nx 24', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = createWorkspace({
      name: 'nx24',
      // The image name of hello only: two projects may not share one.
      files: { ...fixtureFiles('e2e/fixtures/go-work'), 'apps/hello/project.json': helloImageName('nx24-smoke') },
      nxVersion: '24.0.6',
      devkitVersion: '24.0.0',
      buildOptions: { network: 'none' },
    });
  });
  afterAll(() => ws?.remove());

  it('sets up, builds one app from the shared base stage and runs it', () => {
    expect(ws.nx('--version')).toContain('24.0.6');
    ws.nx('g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`);
    const output = ws.nx('run', 'hello:docker-build', '--output-style=static');
    expect(tasksRun(output)).toEqual(['hello']);
    expect(docker('run', '--rm', '--network', 'none', 'nx24-smoke:latest')).toBe('greetings from hello (uid 65532)');
  });
});

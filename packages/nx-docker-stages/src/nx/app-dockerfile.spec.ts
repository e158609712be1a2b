import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAppDockerfile, targetDockerfile } from './app-dockerfile';
import { MANAGED_MARKER } from '../dockerfile/managed-blocks';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'app-dockerfile-'));
  mkdirSync(join(root, 'apps/api'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('a target builds from its dockerfile option, else the Dockerfile setup writes in the project', () => {
  expect(targetDockerfile('apps/api', 'docker/api.Dockerfile')).toBe('docker/api.Dockerfile');
  expect(targetDockerfile('apps/api', undefined)).toBe('apps/api/Dockerfile');
});

test('gives the stages and build args of a Dockerfile that has the stage to build', () => {
  writeFileSync(join(root, 'apps/api/Dockerfile'), `${MANAGED_MARKER} x\nFROM node:20 AS api-deps\nARG GO_TAGS=""\nFROM api-deps AS API\nARG A B=2\n`);
  expect(readAppDockerfile(root, 'apps/api/Dockerfile', 'api', 'api')).toEqual({
    stages: [
      { name: 'api-deps', from: 'node:20' },
      { name: 'api', from: 'api-deps' },
    ],
    buildArgs: ['GO_TAGS', 'A', 'B'],
    text: expect.stringContaining('FROM api-deps AS API'),
  });
});

test('names the file and the fix when the Dockerfile or the stage is missing', () => {
  expect(readAppDockerfile(root, 'apps/api/Dockerfile', 'api', 'api')).toEqual({
    error: 'api: apps/api/Dockerfile not found; run `nx g nx-docker-stages:setup` to generate it',
  });
  writeFileSync(join(root, 'apps/api/Dockerfile'), `${MANAGED_MARKER} x\nFROM node:20 AS other\n`);
  expect(readAppDockerfile(root, 'apps/api/Dockerfile', 'api-deps', 'api')).toEqual({
    error: 'api: apps/api/Dockerfile has no stage "api-deps"; run `nx g nx-docker-stages:setup` to add the app\'s stages',
  });
  expect(readAppDockerfile(root, 'apps/api/Dockerfile', '', 'api')).toEqual({
    error: 'api: the "target" option (the stage to build) is not set; set it to the app\'s runtime stage in apps/api/Dockerfile, as the inferred target does',
  });
});

test("a hand-written Dockerfile without the stage is the user's: the fix is another file name", () => {
  writeFileSync(join(root, 'apps/api/Dockerfile'), 'FROM node:20\n');
  expect(readAppDockerfile(root, 'apps/api/Dockerfile', 'api', 'api')).toEqual({
    error: expect.stringMatching(/was not written by nx-docker-stages and has no stage "api".*--dockerfile=Dockerfile\.nx/),
  });
});

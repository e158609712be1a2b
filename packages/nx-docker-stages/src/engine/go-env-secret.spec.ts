import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goEnvSecretFor } from './go-env-secret';

const GO_DOCKERFILE = 'FROM go AS base\nRUN --mount=type=secret,id=goenv \\\n    GOENV=/run/secrets/goenv go mod download\n';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'go-env-secret-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Go settings secret of a build', () => {
  it("writes the machine's module settings, env file and environment merged, readable by its owner only", () => {
    writeFileSync(join(scratch, 'go.env'), 'GOPRIVATE=git.corp.example/*\nGOFLAGS=-mod=mod\n');
    const secret = goEnvSecretFor(GO_DOCKERFILE, [{ id: 'npmrc', src: '.npmrc' }], scratch, { GOENV: join(scratch, 'go.env'), GOPROXY: 'https://u:tok@proxy.example' });
    expect(secret).toEqual({ id: 'goenv', src: join(scratch, 'goenv') });
    expect(readFileSync(secret!.src!, 'utf8')).toBe('GOPROXY=https://u:tok@proxy.example\nGOPRIVATE=git.corp.example/*\n');
    expect(statSync(secret!.src!).mode & 0o777).toBe(0o600);
  });

  it('adds nothing to a build whose Dockerfile mounts no such secret (a Node app), or that has one of its own', () => {
    expect(goEnvSecretFor('FROM node AS web\nRUN npm ci\n', undefined, scratch, { GOPROXY: 'https://proxy.example' })).toBeUndefined();
    expect(goEnvSecretFor(GO_DOCKERFILE, [{ id: 'goenv', src: 'ci/goenv' }], scratch, { GOPROXY: 'https://proxy.example' })).toBeUndefined();
  });

  it('adds nothing when the machine has no module settings (the steps then use Go defaults), and survives an unreadable env file', () => {
    expect(goEnvSecretFor(GO_DOCKERFILE, undefined, scratch, { GOENV: join(scratch, 'missing') })).toBeUndefined();
    expect(goEnvSecretFor(GO_DOCKERFILE, undefined, scratch, { GOENV: 'off', GOPROXY: '' })).toBeUndefined();
  });
});

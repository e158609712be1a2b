import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logger } from '../nx-runtime';
import { goEnvSecretFor, goNetrcSecretFor, withGoBuildSecrets } from './go-build-secrets';

const GO_DOCKERFILE = 'FROM go AS base\nRUN --mount=type=secret,id=goenv \\\n    GOENV=/run/secrets/goenv go mod download\n';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'go-build-secrets-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Go settings secret of a build', () => {
  it("writes the machine's module settings, env file and environment merged, readable by its owner only", () => {
    writeFileSync(join(scratch, 'go.env'), 'GOPRIVATE=git.corp.example/*\nGOFLAGS=-mod=mod\n');
    const secret = goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE, secrets: [{ id: 'npmrc', src: '.npmrc' }] }, scratch, { GOENV: join(scratch, 'go.env'), GOPROXY: 'https://u:tok@proxy.example' });
    expect(secret).toEqual({ id: 'goenv', src: join(scratch, 'goenv') });
    expect(readFileSync(secret!.src!, 'utf8')).toBe('GOPROXY=https://u:tok@proxy.example\nGOPRIVATE=git.corp.example/*\n');
    expect(statSync(secret!.src!).mode & 0o777).toBe(0o600);
  });

  it('adds nothing to a build whose Dockerfile mounts no such secret (a Node app), or that has one of its own', () => {
    expect(goEnvSecretFor({ projectName: 'web', dockerfileText: 'FROM node AS web\nRUN npm ci\n' }, scratch, { GOPROXY: 'https://proxy.example' })).toBeUndefined();
    expect(goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE, secrets: [{ id: 'goenv', src: 'ci/goenv' }] }, scratch, { GOPROXY: 'https://proxy.example' })).toBeUndefined();
  });

  it('adds nothing when the machine has no module settings (the steps then use Go defaults), and survives an unreadable env file', () => {
    expect(goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE }, scratch, { GOENV: join(scratch, 'missing') })).toBeUndefined();
    expect(goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE }, scratch, { GOENV: 'off', GOPROXY: '' })).toBeUndefined();
  });

  it('warns, naming the setting but never its value, when it names a proxy on loopback or a file: path and the build has no host network', () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      const local = { GOPROXY: 'http://user:tok@127.0.0.1:3000,direct', GOENV: 'off' };
      expect(goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE }, scratch, local)).toBeDefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/^nx-docker-stages: api: the machine's GOPROXY names a proxy on this machine's loopback or a file: path \(the value is not shown\).*"network": "host"/);
      expect(warn.mock.calls[0][0]).not.toContain('tok');
      goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE, network: 'host' }, scratch, local);
      goEnvSecretFor({ projectName: 'api', dockerfileText: GO_DOCKERFILE }, scratch, { GOPROXY: 'https://goproxy.corp.example,direct', GOENV: 'off' });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});


describe('the .netrc secret of a build', () => {
  const MOUNTS_NETRC = `${GO_DOCKERFILE}RUN --mount=type=secret,id=netrc,target=/root/.netrc go build .\n`;

  it('hands over the file Go on the machine reads, where it lies: $NETRC, else ~/.netrc', () => {
    writeFileSync(join(scratch, 'ci.netrc'), 'machine goproxy.corp.example login ci password tok\n');
    writeFileSync(join(scratch, '.netrc'), 'machine other.example login me password mine\n');
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, { NETRC: join(scratch, 'ci.netrc'), HOME: scratch })).toEqual({ id: 'netrc', src: join(scratch, 'ci.netrc') });
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, { HOME: scratch })).toEqual({ id: 'netrc', src: join(scratch, '.netrc') });
  });

  it('adds nothing when no step mounts it, the options have their own, or the machine has no .netrc (not even when $NETRC names a folder)', () => {
    writeFileSync(join(scratch, '.netrc'), 'machine goproxy.corp.example login ci password tok\n');
    expect(goNetrcSecretFor({ dockerfileText: GO_DOCKERFILE }, { HOME: scratch })).toBeUndefined();
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC, secrets: [{ id: 'netrc', env: 'CI_NETRC' }] }, { HOME: scratch })).toBeUndefined();
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, { HOME: join(scratch, 'nobody') })).toBeUndefined();
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, { NETRC: join(scratch, 'missing'), HOME: scratch })).toBeUndefined();
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, { NETRC: scratch })).toBeUndefined();
    expect(goNetrcSecretFor({ dockerfileText: MOUNTS_NETRC }, {})).toBeUndefined();
  });

  it("adds both Go secrets after the options' own, and leaves the options' list as it is when there is nothing to add", () => {
    writeFileSync(join(scratch, '.netrc'), 'machine goproxy.corp.example login ci password tok\n');
    const env = { HOME: scratch, GOENV: 'off', GOPROXY: 'https://goproxy.corp.example' };
    const own = [{ id: 'npmrc', src: '.npmrc' }];
    expect(withGoBuildSecrets({ projectName: 'api', dockerfileText: MOUNTS_NETRC, secrets: own }, scratch, env)).toEqual([
      ...own,
      { id: 'goenv', src: join(scratch, 'goenv') },
      { id: 'netrc', src: join(scratch, '.netrc') },
    ]);
    expect(withGoBuildSecrets({ projectName: 'web', dockerfileText: 'FROM node\n', secrets: own }, scratch, env)).toBe(own);
    expect(withGoBuildSecrets({ projectName: 'web', dockerfileText: 'FROM node\n' }, scratch, env)).toBeUndefined();
  });
});

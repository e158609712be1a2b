import { GO_ENV_SEPARATOR, buildsWithCgo, cgoMismatchProblem, cgoSetting, goBuildArgs, goBuildSettingsProblem, hasGoBuildSettings, stampPlaceholdersIn, stampedLdflags } from './go-build-settings';

const noCredential = () => undefined;
const problem = (settings: Parameters<typeof goBuildSettingsProblem>[1]) => goBuildSettingsProblem('api', settings, noCredential);

describe('the build settings of a Go app', () => {
  it('turns tags, linker flags (stamped) and environment into the build args of the Go build stage, only those set', () => {
    const settings = { goTags: ['netgo', 'prod'], goLdflags: "-X main.version={describe} -X 'main.commit={sha}'", goEnv: { GOAMD64: 'v2', GOFLAGS: '-tags=x -mod=mod' } };
    expect(goBuildArgs(settings, { describe: 'v1.2.0-3-gabc1234', sha: 'abc1234def' })).toEqual({
      GO_TAGS: 'netgo,prod',
      GO_LDFLAGS: "-X main.version=v1.2.0-3-gabc1234 -X 'main.commit=abc1234def'",
      GO_ENV: `GOAMD64=v2${GO_ENV_SEPARATOR}GOFLAGS=-tags=x -mod=mod`,
    });
    expect(goBuildArgs({ goTags: [], goEnv: {} }, {})).toEqual({});
    expect(hasGoBuildSettings({ goTags: [], goEnv: {} })).toBe(false);
    expect(hasGoBuildSettings({ goLdflags: '-X main.v=1' })).toBe(true);
  });

  it('names the stamp placeholders a template uses, each once, and refuses to fill one it has no value for', () => {
    expect(stampPlaceholdersIn('-X a={shortSha} -X b={shortSha} -X c={sha}')).toEqual(['shortSha', 'sha']);
    expect(stampPlaceholdersIn(undefined)).toEqual([]);
    expect(stampPlaceholdersIn('-X main.v=1')).toEqual([]);
    expect(() => stampedLdflags('-X a={sha}', {})).toThrow('no value for {sha}');
  });

  it('accepts what Go accepts', () => {
    expect(problem({ goTags: ['netgo', 'go1.21', 'ünïcode_9'], goLdflags: '-X main.version={describe}', goEnv: { GOEXPERIMENT: 'rangefunc', GOAMD64: 'v3' } })).toBeUndefined();
    expect(problem({})).toBeUndefined();
  });

  it.each([
    [{ goTags: ['a,b'] }, 'api: "goTags" holds "a,b", which is not a Go build tag (letters, digits, \'_\' and \'.\'); fix "goTags"'],
    [{ goTags: ['-x'] }, 'api: "goTags" holds "-x", which is not a Go build tag'],
    [{ goLdflags: '-X a=1\n-X b=2' }, 'api: "goLdflags" holds a line break; write the flags on one line'],
    [{ goLdflags: '-X main.v={version}' }, 'api: "goLdflags" uses {version}, which is not a stamp placeholder; use {sha}, {shortSha}, {describe}'],
    [{ goEnv: { 'BAD-NAME': '1' } }, 'api: "goEnv" has the name "BAD-NAME", which is not an environment variable name; fix "goEnv"'],
    [{ goEnv: { CGO_ENABLED: 'yes' } }, 'api: "goEnv".CGO_ENABLED is "yes"; set it to "1" (build with cgo) or "0" (without)'],
    [{ goEnv: { GOOS: 'windows' } }, 'api: "goEnv" sets GOOS, which the Go stages set themselves'],
    [{ goEnv: { GOPROXY: 'https://proxy.example' } }, "api: \"goEnv\" sets GOPROXY, which the Go steps take from the machine's Go settings"],
    [{ goEnv: { GOFLAGS: 'a\nb' } }, 'api: "goEnv".GOFLAGS must be a string on one line; fix "goEnv"'],
    [{ goEnv: { GOFLAGS: `a${GO_ENV_SEPARATOR}b` } }, 'api: "goEnv".GOFLAGS must be a string on one line'],
    [{ buildArgs: { GO_LDFLAGS: '-X a=1' } }, 'api: build arg "GO_LDFLAGS" is set from the Go build settings; remove it from "buildArgs" and use "goTags", "goLdflags" or "goEnv"'],
  ])('refuses %j, naming the option and the fix', (settings, message) => {
    expect(problem(settings as never)).toContain(message);
  });

  it('refuses linker flags or environment that look like a credential, never repeating the value', () => {
    const shape = (value: string) => (value.includes('ghp_') ? 'a GitHub token' : undefined);
    const token = `ghp_${'a'.repeat(36)}`;
    const ldflags = goBuildSettingsProblem('api', { goLdflags: `-X main.token=${token}` }, shape)!;
    expect(ldflags).toBe('api: "goLdflags" looks like it holds a GitHub token (not shown here), and the flags are recorded in the image history and metadata.json; keep credentials out of the binary');
    const env = goBuildSettingsProblem('api', { goEnv: { GITHUB_TOKEN: token } }, shape)!;
    expect(env).toContain('api: "goEnv".GITHUB_TOKEN looks like a GitHub token (not shown here)');
    expect(`${ldflags}${env}`).not.toContain(token);
  });
});

describe('cgo as goEnv sets it', () => {
  it('reads CGO_ENABLED "1" or "0", and nothing else, as the generators see it', () => {
    expect([cgoSetting({ CGO_ENABLED: '1' }), cgoSetting({ CGO_ENABLED: '0' }), cgoSetting({}), cgoSetting(undefined), cgoSetting('x'), cgoSetting({ CGO_ENABLED: 1 })]).toEqual([
      true,
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('leaves CGO_ENABLED out of the build args: the stage sets it', () => {
    expect(goBuildArgs({ goEnv: { CGO_ENABLED: '1' } }, {})).toEqual({});
  });

  it('names a CGO_ENABLED the stages do not follow, and the fix', () => {
    const cgoStages = 'FROM go-base AS api-build\nENV CGO_ENABLED=1\n';
    expect(buildsWithCgo(cgoStages)).toBe(true);
    expect(buildsWithCgo('FROM golang AS go-base\nENV CGO_ENABLED=0 GOTOOLCHAIN=local\n')).toBe(false);
    expect(cgoMismatchProblem('api', { CGO_ENABLED: '1' }, 'cmd/api/Dockerfile', cgoStages)).toBeUndefined();
    expect(cgoMismatchProblem('api', { GOAMD64: 'v2' }, 'cmd/api/Dockerfile', 'FROM x')).toBeUndefined();
    expect(cgoMismatchProblem('api', { CGO_ENABLED: '0' }, 'cmd/api/Dockerfile', cgoStages)).toBe(
      'api: "goEnv" sets CGO_ENABLED=0, and the stages of cmd/api/Dockerfile build with cgo; set it in the options nx sync reads ' +
        "(the project's project.json, or nx.json targetDefaults without a filter, not a configuration or the command line) and run `nx sync`",
    );
  });
});

/**
 * Go modules with real dependencies (issue "Go for real"): modules that require real modules from
 * the Go module proxy, fetched once by the base stage through the machine's own Go settings, and a
 * go.sum change that rebuilds only its module's apps.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoProxy, makeLoopbackTls, startGoProxy } from './support/servers';
import {
  NX_BIN,
  TEST_IMAGES,
  Workspace,
  baseStepRuns,
  createWorkspace,
  docker,
  filesContaining,
  fixtureFiles,
  hostGo,
  imageArchiveContains,
  tasksFromCache,
  tasksRun,
} from './support/workspace';

jest.setTimeout(15 * 60 * 1000);

const setupArgs = ['g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`];
const changes = fixtureFiles('e2e/fixtures/go-modules-changes');

/** What each app prints (the JSON logger's lines hold the message). */
const printed = (app: string) => docker('run', '--rm', '--network', 'none', `${app}:latest`);

describe('two Go modules that require real modules from the Go module proxy (indirect requirements, a replace), three apps', () => {
  let ws: Workspace;
  let proxy: GoProxy;
  // The jobs module's one app is named after its module folder, as Go projects are (docs/go.md#project-roots).
  const apps = ['api', 'jobs', 'worker'];
  /** The machine's Go settings, as a developer or CI runner sets them: every build of Nx gets them. */
  const machine = () => ({ GOPROXY: proxy.url });
  const nx = (...args: string[]) => ws.run(NX_BIN(ws.root), args, machine());

  /**
   * A module only the machine's proxy serves, in a version of this run alone: no engine's module
   * cache can hold it, so the build must fetch it, and can only through the machine's GOPROXY.
   */
  const marker = { path: 'example.test/e2e/marker', version: `v1.0.${Date.now()}` };

  beforeAll(async () => {
    proxy = await startGoProxy();
    proxy.publish(marker.path, marker.version, {
      'go.mod': `module ${marker.path}\n\ngo 1.21\n`,
      'marker.go': `// Package marker names the test run that published this version.\npackage marker\n\nconst Run = "${marker.version}"\n`,
    });
    // The download step needs the network (see ENVIRONMENT.md: no NAT for the engine's bridge).
    ws = createWorkspace({ name: 'go-modules', files: fixtureFiles('e2e/fixtures/go-modules'), buildOptions: { network: 'host' } });
    ws.nx(...setupArgs);
    // Go itself adds the requirement and its go.sum lines, as a developer would.
    const goEnv = { ...machine(), GOWORK: 'off', GOFLAGS: '-mod=mod', GONOSUMDB: 'example.test', GOTOOLCHAIN: 'local' };
    ws.run(hostGo(), ['-C', 'jobs', 'get', `${marker.path}@${marker.version}`], goEnv);
    expect(ws.read('jobs/go.sum')).toContain(`${marker.path} ${marker.version} h1:`);
    ws.commit('setup');
  });
  afterAll(async () => {
    ws?.remove();
    await proxy?.close();
  });

  it("downloads each module's requirements once, through the machine's GOPROXY, and every app runs", () => {
    const output = nx('run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    expect(printed('api')).toBe('{"level":"info","service":"api","uid":65532,"message":"api says hello to you"}');
    expect(printed('worker')).toBe('{"level":"info","service":"worker","uid":65532,"message":"worker done"}');
    expect(printed('jobs')).toBe('ids: version 4 uuid, uid 65532');

    // The module of this run came through the proxy the machine names, once (the host's go get fetched it before, hence two).
    const markerZip = `/${marker.path}/@v/${marker.version}.zip`;
    expect(proxy.requests().filter((r) => r.path === markerZip)).toEqual([
      { status: 200, path: markerZip },
      { status: 200, path: markerZip },
    ]);
    // One download step per module, run at most once whatever the number of its apps (the services' may be in the
    // engine's cache from an earlier run on this machine; the jobs' cannot, with this run's module in its go.sum).
    const downloads = Object.fromEntries(Object.entries(baseStepRuns(output)).map(([stage, steps]) => [stage, steps.filter((s) => s.step.includes('go mod download'))]));
    expect(Object.keys(downloads).sort()).toEqual(['go-jobs-base', 'go-services-base']);
    expect(downloads['go-jobs-base'].map((s) => s.runs)).toEqual([1]);
    expect(downloads['go-services-base'].map((s) => s.runs <= 1 && s.builds === 2)).toEqual([true]);
  });

  it("keeps the machine's Go settings out of every image layer, the image history, metadata.json and the Nx cache", () => {
    const needle = proxy.url.replace('http://', '');
    for (const app of apps) {
      expect(imageArchiveContains(`${app}:latest`, needle)).toBe(false);
      expect(docker('history', '--no-trunc', `${app}:latest`)).not.toContain(needle);
    }
    expect(filesContaining(join(ws.root, 'dist'), needle)).toEqual([]);
    expect(filesContaining(join(ws.root, '.nx', 'cache'), needle)).toEqual([]);
  });

  it('rebuilds only the apps of the module whose go.sum changed, which run with the new version', () => {
    ws.write('jobs/go.mod', changes['uuid-1.5.0/go.mod']);
    ws.write('jobs/go.sum', changes['uuid-1.5.0/go.sum']);
    ws.commit('uuid 1.5.0 in jobs');
    const output = nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(tasksRun(output)).toEqual(['jobs']);
    expect(printed('jobs')).toBe('ids: version 4 uuid, uid 65532');
    const again = nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksFromCache(again)).toEqual(apps);
  });

  it('joins the modules in a go.work with its go.work.sum: one shared base stage, every app rebuilt and running', () => {
    ws.write('go.work', changes['go-work/go.work']);
    ws.write('go.work.sum', changes['go-work/go.work.sum']);
    nx('sync');
    ws.commit('go.work');
    const dockerfiles = ws.run('git', ['ls-files', '*Dockerfile']).trim().split('\n');
    expect(dockerfiles).toHaveLength(apps.length);
    for (const dockerfile of dockerfiles) {
      expect(ws.read(dockerfile)).toContain('COPY go.work go.work.sum /src/');
      expect(ws.read(dockerfile)).toContain(' AS go-base\n');
    }
    const output = nx('run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    expect(tasksFromCache(output)).toEqual([]);
    expect(printed('api')).toContain('api says hello to you');
    expect(printed('jobs')).toBe('ids: version 4 uuid, uid 65532');
  });
});

describe('a module with a vendor tree (go mod vendor): built from it, with the network off', () => {
  let ws: Workspace;
  const vendoredApps = ['api', 'worker'];
  const dockerfiles = () => ws.run('git', ['ls-files', 'services/*Dockerfile']).trim().split('\n');

  beforeAll(() => {
    // No network for any build step: what the vendored apps need must come from the vendor tree.
    ws = createWorkspace({ name: 'go-vendored', files: fixtureFiles('e2e/fixtures/go-modules'), buildOptions: { network: 'none' } });
    // Go itself writes the vendor tree, as a developer does.
    ws.run(hostGo(), ['-C', 'services', 'mod', 'vendor'], { GOWORK: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' });
    expect(ws.exists('services/vendor/modules.txt')).toBe(true);
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('copies the vendor tree into the base stage, downloads nothing, and builds with -mod=vendor', () => {
    expect(dockerfiles()).toHaveLength(vendoredApps.length);
    for (const file of dockerfiles()) {
      const text = ws.read(file);
      expect(text).toContain('COPY services/vendor /src/services/vendor/\n');
      expect(text).not.toContain('go mod download');
      expect(text).toContain('go build -mod=vendor -trimpath');
    }
  });

  it('builds and runs the vendored apps with the network off', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', `--projects=${vendoredApps.join(',')}`, '--output-style=static');
    expect(tasksRun(output)).toEqual(vendoredApps);
    expect(printed('api')).toBe('{"level":"info","service":"api","uid":65532,"message":"api says hello to you"}');
    expect(printed('worker')).toBe('{"level":"info","service":"worker","uid":65532,"message":"worker done"}');
  });

  it('builds the vendored code as patched in the vendor tree, and a vendor change rebuilds exactly the apps of its module', () => {
    const file = 'services/vendor/github.com/go-chi/chi/v5/context.go';
    ws.write(file, ws.read(file).replace('return rctx.URLParam(key)', 'return "patched-" + rctx.URLParam(key)'));
    ws.commit('patch the vendored chi');
    const output = ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(tasksRun(output)).toEqual(vendoredApps);
    expect(printed('api')).toContain('api says hello to patched-you');
  });
});

describe('a module that asks for a newer Go than the Go image has', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = createWorkspace({ name: 'go-newer', files: { 'tools/main.go': 'package main\n\nfunc main() { println("tools") }\n' }, buildOptions: { network: 'none' } });
    // `go mod init` of the machine's Go (1.26) writes its own version into go.mod; the test image has Go 1.23.
    ws.run(hostGo(), ['-C', 'tools', 'mod', 'init', 'example.com/tools'], { GOTOOLCHAIN: 'local' });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('fails the build naming both Go versions and the goImage fix, and caches nothing', () => {
    const wanted = /^go (\S+)$/m.exec(ws.read('tools/go.mod'))![1];
    const run = ws.attempt(NX_BIN(ws.root), ['run', 'tools:docker-build', '--output-style=static']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `tools: building stage "tools" of tools/Dockerfile failed: go.mod requires Go ${wanted}, and the Go image of the stage has Go 1.23.`,
    );
    expect(run.output).toMatch(/Use a Go image of Go \S+ or newer: set goImage in the nx-docker-stages options in nx.json \(for example golang:1\.\d+-bookworm\) and run `nx sync`\./);
    expect(ws.exists('dist/docker/tools/metadata.json')).toBe(false);
    expect(tasksFromCache(ws.attempt(NX_BIN(ws.root), ['run', 'tools:docker-build', '--output-style=static']).output)).toEqual([]);
  });
});

describe('a module that requires a private module from a proxy behind authentication (HTTPS, a .netrc)', () => {
  let ws: Workspace;
  let proxy: GoProxy;
  let secretsDir: string;
  /** The credential: a value of this run only, so that finding it anywhere can only mean it leaked. */
  const password = `e2e-${randomBytes(12).toString('hex')}`;
  const privateModule = { path: 'example.test/private/greet', version: 'v1.0.0' };
  /** The test Go image, trusting the proxy's certificate authority as a company's Go image trusts its own. */
  const goImage = 'nx-docker-stages-test/go-private-ca:1.23';
  /** A developer's or CI runner's machine: GOPROXY names the private proxy, the sum database is skipped for private modules, NETRC names its .netrc. */
  const machine = (netrc: string) => ({ GOPROXY: proxy.url, GONOSUMDB: 'example.test/private', NETRC: netrc });
  const netrc = () => join(secretsDir, 'netrc');
  const nx = (netrcFile: string, ...args: string[]) => ws.attempt(NX_BIN(ws.root), args, machine(netrcFile));

  beforeAll(async () => {
    secretsDir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-private-'));
    const tls = makeLoopbackTls(secretsDir);
    proxy = await startGoProxy({ tls, auth: `ci:${password}` });
    proxy.publish(privateModule.path, privateModule.version, {
      'go.mod': `module ${privateModule.path}\n\ngo 1.21\n`,
      'greet.go': '// Package greet is served by the private proxy only.\npackage greet\n\nfunc Hello(who string) string { return "private greetings to " + who }\n',
    });
    // Go sends .netrc credentials to the host:port of the proxy URL, over HTTPS only.
    writeFileSync(netrc(), `machine ${new URL(proxy.url).host} login ci password ${password}\n`, { mode: 0o600 });
    writeFileSync(join(secretsDir, 'Dockerfile'), [
      `FROM ${TEST_IMAGES.goImage}`,
      'COPY ca.crt /usr/local/share/ca-certificates/e2e-private-ca.crt',
      'RUN cat "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" /usr/local/share/ca-certificates/e2e-private-ca.crt > /etc/ssl/certs/with-e2e-private-ca.crt',
      'ENV SSL_CERT_FILE=/etc/ssl/certs/with-e2e-private-ca.crt',
      '',
    ].join('\n'));
    docker('build', '--network', 'none', '--quiet', '--tag', goImage, secretsDir);

    ws = createWorkspace({
      name: 'go-private',
      files: {
        'greeter/go.mod': 'module example.test/greeter\n\ngo 1.23\n',
        'greeter/cmd/greeter/main.go': [
          '// Command greeter prints what the private module says.',
          'package main',
          '',
          'import (',
          '\t"fmt"',
          '\t"os"',
          '',
          `\t"${privateModule.path}"`,
          ')',
          '',
          'func main() { fmt.Printf("%s, uid %d\\n", greet.Hello("you"), os.Getuid()) }',
          '',
        ].join('\n'),
      },
      buildOptions: { network: 'host' },
    });
    // Go itself adds the requirement and its go.sum lines, through the private proxy, as a developer would.
    const bundle = join(secretsDir, 'bundle.crt');
    writeFileSync(bundle, Buffer.concat([readFileSync(process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt'), readFileSync(tls.caFile)]));
    ws.run(hostGo(), ['-C', 'greeter', 'mod', 'tidy'], { ...machine(netrc()), SSL_CERT_FILE: bundle, GOWORK: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' });
    expect(ws.read('greeter/go.sum')).toContain(`${privateModule.path} ${privateModule.version} h1:`);
    ws.nx('g', 'nx-docker-stages:setup', `--goImage=${goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`);
    ws.commit('setup');
  });
  afterAll(async () => {
    ws?.remove();
    await proxy?.close();
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
    docker('image', 'rm', '--force', goImage);
  });

  it('fails without the credential, naming the host that refused and where the build gets credentials from', () => {
    const { code, output } = nx(join(secretsDir, 'no-such-netrc'), 'run', 'greeter:docker-build', '--output-style=static');
    expect(code).not.toBe(0);
    expect(output).toContain(`${new URL(proxy.url).host} refused a Go module download (401 Unauthorized): the build had no credentials for it`);
    expect(output).toContain('docs/go.md#private-modules');
  });

  it("builds with the machine's .netrc, which reaches the download step as a BuildKit secret, and the app runs", () => {
    const { code, output } = nx(netrc(), 'run', 'greeter:docker-build', '--output-style=static');
    expect({ code, tail: output.slice(-2000) }).toEqual({ code: 0, tail: expect.any(String) });
    expect(docker('run', '--rm', '--network', 'none', 'greeter:latest')).toBe('private greetings to you, uid 65532');
    // The private module came from the proxy, with the credential (the proxy answers nothing without it).
    const zip = `/${privateModule.path}/@v/${privateModule.version}.zip`;
    expect(proxy.requests().filter((r) => r.path === zip).map((r) => r.status)).toContain(200);
    expect(output).not.toContain(password);
  });

  it('keeps the credential out of every image layer, the image history, metadata.json and the Nx cache entry', () => {
    expect(imageArchiveContains('greeter:latest', password)).toBe(false);
    expect(docker('history', '--no-trunc', 'greeter:latest')).not.toContain(password);
    expect(filesContaining(join(ws.root, 'dist'), password)).toEqual([]);
    expect(filesContaining(join(ws.root, '.nx', 'cache'), password)).toEqual([]);
    expect(filesContaining(join(ws.root, '.nx', 'cache'), 'greeter')).not.toEqual([]);
    // A second run is a cache hit, and also needs no credential.
    const again = nx(join(secretsDir, 'no-such-netrc'), 'run', 'greeter:docker-build', '--output-style=static');
    expect(tasksFromCache(again.output)).toEqual(['greeter']);
  });
});

describe('build settings per app: tags, environment and linker flags with the commit stamped in', () => {
  let ws: Workspace;
  const apps = ['bye', 'hello'];
  const run = (app: string) => docker('run', '--rm', '--network', 'none', `${app}:latest`);
  const shortSha = () => ws.run('git', ['rev-parse', '--short', 'HEAD']).trim();
  /** An app that prints its stamped version, what its tagged file set, and a setting of its build info. */
  const main = (name: string) =>
    [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"runtime/debug"',
      ')',
      '',
      'var version = "dev"',
      'var flavour = "plain"',
      '',
      'func setting(key string) string {',
      '\tinfo, _ := debug.ReadBuildInfo()',
      '\tfor _, s := range info.Settings {',
      '\t\tif s.Key == key {',
      '\t\t\treturn s.Value',
      '\t\t}',
      '\t}',
      '\treturn "unset"',
      '}',
      '',
      `func main() { fmt.Printf("${name} %s %s GOAMD64=%s\\n", version, flavour, setting("GOAMD64")) }`,
      '',
    ].join('\n');
  const settings = (ldflags: string) => ({ network: 'none', goTags: ['tagged'], goEnv: { GOAMD64: 'v2' }, goLdflags: ldflags });
  const setTargetDefaults = (options: Record<string, unknown>) => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.targetDefaults = { 'docker-build': { options } };
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
  };

  beforeAll(() => {
    ws = createWorkspace({
      name: 'go-settings',
      files: {
        'go.mod': 'module example.test/settings\n\ngo 1.23\n',
        'cmd/hello/main.go': main('hello'),
        'cmd/hello/flavour_tagged.go': '//go:build tagged\n\npackage main\n\nfunc init() { flavour = "tagged" }\n',
        'cmd/bye/main.go': main('bye'),
      },
      buildOptions: settings('-X main.version={shortSha}'),
    });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('builds every app with its tags, environment and the stamp of the commit', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    const sha = shortSha();
    expect(run('hello')).toBe(`hello ${sha} tagged GOAMD64=v2`);
    expect(run('bye')).toBe(`bye ${sha} plain GOAMD64=v2`);
    expect(JSON.parse(ws.read('dist/docker/hello/metadata.json')).build.buildArgs).toEqual({ GO_TAGS: 'tagged', GO_LDFLAGS: `-X main.version=${sha}`, GO_ENV: 'GOAMD64=v2' });
  });

  it('does not rebuild an app whose inputs did not change when only the commit did: its image keeps the stamp of the commit it was built at', () => {
    const first = shortSha();
    ws.write('cmd/hello/main.go', `// Changed in the second commit.\n${main('hello')}`);
    ws.commit('hello changes');
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksFromCache(output)).toEqual(['bye']);
    expect(run('hello')).toBe(`hello ${shortSha()} tagged GOAMD64=v2`);
    expect(run('bye')).toBe(`bye ${first} plain GOAMD64=v2`);
  });

  it('rebuilds every app when a setting changes, as it is part of the task hash', () => {
    setTargetDefaults(settings('-X main.version=v-{shortSha}'));
    ws.commit('new ldflags template');
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    expect(tasksFromCache(output)).toEqual([]);
    expect(run('bye')).toBe(`bye v-${shortSha()} plain GOAMD64=v2`);
    setTargetDefaults({ ...settings('-X main.version=v-{shortSha}'), goEnv: { GOAMD64: 'v3' } });
    ws.commit('GOAMD64 v3');
    expect(tasksFromCache(ws.nx('run-many', '-t', 'docker-build', '--output-style=static'))).toEqual([]);
    expect(run('bye')).toBe(`bye v-${shortSha()} plain GOAMD64=v3`);
  });
});

describe('a generated Go stage taken over by hand (a kept block): nx sync:check accepts it, and says when the generated one changes', () => {
  let ws: Workspace;
  const dockerfile = 'cmd/hello/Dockerfile';
  const main = (imports: string[], greeting: string) =>
    [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"os"',
      ...imports.map((i) => `\t"${i}"`),
      ')',
      '',
      'func main() {',
      '\tgreeting, err := os.ReadFile("/etc/hello/greeting.txt")',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      `\tfmt.Printf("%s %s\\n", ${greeting}, greeting)`,
      '}',
      '',
    ].join('\n');
  const syncCheck = () => ws.attempt(NX_BIN(ws.root), ['sync:check']);
  const build = () => ws.nx('run', 'hello:docker-build', '--output-style=static');
  const run = () => docker('run', '--rm', '--network', 'none', 'hello:latest');

  beforeAll(() => {
    ws = createWorkspace({
      name: 'go-kept',
      files: {
        'go.mod': 'module example.test/kept\n\ngo 1.23\n',
        'cmd/hello/main.go': main([], '"hello"'),
        'cmd/hello/greeting.txt': 'from a kept block',
        'internal/names/names.go': 'package names\n\n// Who is greeted.\nconst Who = "names"\n',
      },
      buildOptions: { network: 'none' },
    });
    ws.nx(...setupArgs);
    ws.commit('setup');
    // The person takes the app's block over: both markers say kept, and the runtime stage gets a file the app reads.
    const taken = ws
      .read(dockerfile)
      .replace(/nx-docker-stages managed "app:hello"/g, 'nx-docker-stages kept "app:hello"')
      .replace('USER 65532:65532', 'COPY cmd/hello/greeting.txt /etc/hello/greeting.txt\nUSER 65532:65532');
    ws.write(dockerfile, taken);
    ws.commit('hello: the greeting file in the image, by hand');
  });
  afterAll(() => ws?.remove());

  it('passes nx sync:check with the block taken over, and builds it as written', () => {
    expect(syncCheck().code).toBe(0);
    build();
    expect(run()).toBe('hello from a kept block');
  });

  it('fails nx sync:check, writing nothing, once the generated block changes, showing what it would write now; following it by hand passes', () => {
    ws.write('cmd/hello/main.go', main(['example.test/kept/internal/names'], 'names.Who'));
    ws.commit('hello imports names');
    const before = ws.read(dockerfile);
    const check = syncCheck();
    expect(check.code).not.toBe(0);
    expect(check.output).toContain(`hello: ${dockerfile}: the kept block "app:hello" was taken over from what nx-docker-stages generated then, and it would now generate:`);
    expect(check.output).toContain('    COPY internal/names /src/internal/names/');
    expect(ws.read(dockerfile)).toBe(before);
    // The person brings the new COPY into the block and writes the checksum the message gives.
    const checksum = /then write \[([0-9a-f]{12})\] in its first line/.exec(check.output)![1];
    ws.write(
      dockerfile,
      before
        .replace(/(# >>> nx-docker-stages kept "app:hello" \[)[0-9a-f]{12}\]/, `$1${checksum}]`)
        .replace('COPY cmd/hello /src/cmd/hello/', 'COPY cmd/hello /src/cmd/hello/\nCOPY internal/names /src/internal/names/'),
    );
    ws.commit('hello: follow the generated block');
    expect(syncCheck().code).toBe(0);
    build();
    expect(run()).toBe('names from a kept block');
  });
});

describe('an app whose package uses cgo: built with cgo, on a runtime image with the C library, next to a static app', () => {
  let ws: Workspace;
  const binaryOf = (app: string) => {
    const id = docker('create', `${app}:latest`);
    const out = mkdtempSync(join(tmpdir(), 'nx-docker-stages-cgo-'));
    try {
      docker('cp', `${id}:/usr/local/bin/${app}`, join(out, 'binary'));
      return readFileSync(join(out, 'binary'));
    } finally {
      docker('rm', id);
      rmSync(out, { recursive: true, force: true });
    }
  };

  beforeAll(() => {
    ws = createWorkspace({
      name: 'go-cgo',
      files: {
        'go.mod': 'module example.test/cgo\n\ngo 1.23\n',
        'internal/cmath/cmath.go': [
          '// Package cmath doubles numbers in C.',
          'package cmath',
          '',
          '// static int twice(int x) { return 2 * x; }',
          'import "C"',
          '',
          '// Twice is 2*x, computed by C.',
          'func Twice(x int) int { return int(C.twice(C.int(x))) }',
          '',
        ].join('\n'),
        'cmd/native/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"example.test/cgo/internal/cmath"\n)\n\nfunc main() { fmt.Printf("native: twice 21 is %d, uid %d\\n", cmath.Twice(21), os.Getuid()) }\n',
        'cmd/plain/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Printf("plain: uid %d\\n", os.Getuid()) }\n',
      },
      buildOptions: { network: 'none' },
    });
    const setup = ws.nx(...setupArgs, `--goCgoRuntimeImage=${TEST_IMAGES.goCgoRuntimeImage}`);
    expect(setup).toContain('native (cmd/native, Go): app: a Go main package (cmd/native); its image holds a binary linked with the C library');
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('gives the cgo app a build stage with cgo and the cgo runtime image, and leaves the other static', () => {
    expect(ws.read('cmd/native/Dockerfile')).toContain('AS native-build\nENV CGO_ENABLED=1\n');
    expect(ws.read('cmd/native/Dockerfile')).toContain(`FROM ${TEST_IMAGES.goCgoRuntimeImage} AS native\n`);
    expect(ws.read('cmd/plain/Dockerfile')).not.toContain('ENV CGO_ENABLED=1');
    expect(ws.read('cmd/plain/Dockerfile')).toContain(`FROM ${TEST_IMAGES.goRuntimeImage} AS plain\n`);
  });

  it('builds both; the cgo app runs as non-root, linked against the C library, and the static one stays static', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksRun(output)).toEqual(['native', 'plain']);
    expect(docker('run', '--rm', '--network', 'none', 'native:latest')).toBe('native: twice 21 is 42, uid 65532');
    expect(docker('run', '--rm', '--network', 'none', 'plain:latest')).toBe('plain: uid 65532');
    expect(docker('image', 'inspect', '--format', '{{.Config.User}}', 'native:latest')).toBe('65532:65532');
    // A dynamically linked ELF names its interpreter, the C library's loader; a static one names none.
    expect(binaryOf('native').includes(Buffer.from('ld-linux-x86-64.so.2'))).toBe(true);
    expect(binaryOf('plain').includes(Buffer.from('ld-linux-x86-64.so.2'))).toBe(false);
  });
});

describe('an app whose cgo comes from a module outside the workspace: the static build stops naming it, and CGO_ENABLED=1 builds it with cgo', () => {
  let ws: Workspace;
  let proxy: GoProxy;
  const cgolib = { path: 'example.test/e2e/cgolib', version: 'v1.0.0' };
  const nx = (...args: string[]) => ws.attempt(NX_BIN(ws.root), args, { GOPROXY: proxy.url });

  beforeAll(async () => {
    proxy = await startGoProxy();
    // A module with a cgo file and a pure-Go stand-in that fails at run time, as github.com/mattn/go-sqlite3 has.
    proxy.publish(cgolib.path, cgolib.version, {
      'go.mod': `module ${cgolib.path}\n\ngo 1.21\n`,
      'answer_cgo.go': 'package cgolib\n\n// static int answer(void) { return 42; }\nimport "C"\n\n// Answer is computed in C.\nfunc Answer() int { return int(C.answer()) }\n',
      'answer_stub.go': '//go:build !cgo\n\npackage cgolib\n\n// Answer needs cgo: this stand-in fails at run time.\nfunc Answer() int { panic("cgolib: built without cgo") }\n',
    });
    ws = createWorkspace({
      name: 'go-external-cgo',
      files: {
        'go.mod': 'module example.test/extcgo\n\ngo 1.23\n',
        'cmd/answer/main.go': `package main\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"${cgolib.path}"\n)\n\nfunc main() { fmt.Printf("answer %d, uid %d\\n", cgolib.Answer(), os.Getuid()) }\n`,
      },
      buildOptions: { network: 'host' },
    });
    ws.run(hostGo(), ['get', `${cgolib.path}@${cgolib.version}`], { GOPROXY: proxy.url, GONOSUMDB: 'example.test', GOFLAGS: '-mod=mod', GOWORK: 'off', GOTOOLCHAIN: 'local' });
    ws.nx(...setupArgs, `--goCgoRuntimeImage=${TEST_IMAGES.goCgoRuntimeImage}`);
    ws.commit('setup');
  });
  afterAll(async () => {
    ws?.remove();
    await proxy?.close();
  });

  it('builds it static (the plan does not read modules), and the check stops the build naming the module and both fixes', () => {
    expect(ws.read('cmd/answer/Dockerfile')).not.toContain('CGO_ENABLED=1\n');
    const { code, output } = nx('run', 'answer:docker-build', '--output-style=static');
    expect(code).not.toBe(0);
    expect(output).toContain(`answer: building stage "answer" of cmd/answer/Dockerfile failed: ${cgolib.path} uses cgo, and answer is built without it (a static binary)`);
    expect(output).toContain('set "goEnv": { "CGO_ENABLED": "1" } in the docker-build options of its project.json and run `nx sync`');
  });

  it('with goEnv CGO_ENABLED=1 (nx.json targetDefaults), nx sync gives it a cgo build on the runtime image with the C library, and it runs', () => {
    const nxJson = JSON.parse(ws.read('nx.json'));
    nxJson.targetDefaults['docker-build'].options.goEnv = { CGO_ENABLED: '1' };
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    expect(nx('sync').code).toBe(0);
    expect(ws.read('cmd/answer/Dockerfile')).toContain('AS answer-build\nENV CGO_ENABLED=1\n');
    ws.commit('answer: cgo');
    const { code, output } = nx('run', 'answer:docker-build', '--output-style=static');
    expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(docker('run', '--rm', '--network', 'none', 'answer:latest')).toBe('answer 42, uid 65532');
  });
});

/**
 * Bad options get a clear error before the engine runs, and nothing of a refused build is left:
 * no metadata.json, no cache entry, no secret in a log or a file. And a Dockerfile the build reads
 * from outside the project root is refused until it is among the task's inputs, after which an
 * edit to it rebuilds the image. On the go-work fixture, with real nx commands and a real engine.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NX_BIN, TEST_IMAGES, Workspace, createWorkspace, docker, filesContaining, fixtureFiles, nxEnvironment, tasksFromCache, tasksRun } from './support/workspace';

jest.setTimeout(15 * 60 * 1000);

const setupArgs = ['g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`];

describe('options the executor refuses before the engine runs, leaving nothing behind', () => {
  let ws: Workspace;
  const attempt = (...args: string[]) => ws.attempt(NX_BIN(ws.root), [...args, '--output-style=static']);
  /** A refused run: non-zero, the plugin's message, no metadata.json, and not served from the cache when run again. */
  const expectRefused = (args: string[], message: RegExp, project = 'hello') => {
    for (let round = 0; round < 2; round++) {
      const run = attempt(...args);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(message);
      expect(tasksFromCache(run.output)).toEqual([]);
      expect(ws.exists(`dist/docker/${project}/metadata.json`)).toBe(false);
    }
  };

  beforeAll(() => {
    ws = createWorkspace({ name: 'hardening', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('leaves no metadata.json of an earlier build when a run fails before the executor starts (Nx refuses an unknown option)', () => {
    ws.nx('run', 'hello:docker-build', '--output-style=static');
    expect(ws.exists('dist/docker/hello/metadata.json')).toBe(true);
    const run = attempt('run', 'hello:docker-build', '--no-such-option=1');
    expect(run.code).not.toBe(0);
    expect(ws.exists('dist/docker/hello/metadata.json')).toBe(false);
  });

  it('on a full disk while writing the image archive, says so with the fix, and leaves no half-written file, no metadata.json, no cache entry', () => {
    // A 64 KiB file system where the archive goes: too small for any image (needs root, as the CI machines run).
    const dir = join(ws.root, 'dist/docker/hello');
    ws.run('mkdir', ['-p', dir]);
    ws.run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    try {
      expectRefused(['run', 'hello:docker-build', '--saveImage'], /hello: writing \S*dist\/docker\/hello\/image\.tar\.gz failed: the disk is full \(ENOSPC\); free space/);
      expect(ws.run('ls', ['-A', dir]).trim()).toBe('');
    } finally {
      ws.run('umount', [dir]);
    }
  });

  it('refuses a build arg whose value holds a password, never printing or storing the value', () => {
    const password = ['s3cr3t', 'pw', '4711'].join('-');
    ws.write('apps/hello/project.json', JSON.stringify({ name: 'hello', targets: { 'docker-build': { options: { buildArgs: { DATABASE_URL: `postgres://app:${password}@db/shop` } } } } }, null, 2));
    try {
      expectRefused(['run', 'hello:docker-build'], /hello: the value of build arg "DATABASE_URL" looks like a URL with a password in it \(not shown here\).*"secrets"/);
      expect(attempt('run', 'hello:docker-build').output).not.toContain(password);
      // Nx's task cache and the build output: the project graph Nx keeps in .nx/workspace-data holds project.json as the user wrote it.
      expect([...filesContaining(join(ws.root, '.nx', 'cache'), password), ...filesContaining(join(ws.root, 'dist'), password)]).toEqual([]);
    } finally {
      ws.run('rm', ['apps/hello/project.json']);
    }
  });

  it('refuses to build either of two projects that would tag the same image, naming both and the option that separates them', () => {
    ws.write('apps/bye/project.json', JSON.stringify({ name: 'bye', targets: { 'docker-build': { options: { imageName: 'hello' } } } }, null, 2));
    try {
      expectRefused(['run', 'bye:docker-build'], /bye: its image hello:latest is also the image of hello, whose build would replace it.*set "imageName" \(or "registry" or "tags"\) in the docker-build options of one of bye and hello/, 'bye');
      // hello's inputs did not change, so Nx would serve its own earlier image from the cache (correct); a build of it refuses too.
      const hello = attempt('run', 'hello:docker-build', '--skip-nx-cache');
      expect(hello.code).not.toBe(0);
      expect(hello.output).toMatch(/hello: its image hello:latest is also the image of bye/);
      expect(ws.exists('dist/docker/hello/metadata.json')).toBe(false);
    } finally {
      ws.run('rm', ['apps/bye/project.json']);
    }
  });

  it('setup refuses two apps of one image before writing anything, naming both and the option that separates them', () => {
    ws.write('apps/bye/project.json', JSON.stringify({ name: 'bye', targets: { 'docker-build': { options: { imageName: 'hello' } } } }, null, 2));
    try {
      const setup = ws.attempt(NX_BIN(ws.root), setupArgs);
      expect(setup.code).not.toBe(0);
      expect(setup.output).toMatch(/bye and hello would both tag the image hello:latest .*set "imageName" \(or "registry" or "tags"\) in the docker-build options of one of them/);
      expect(ws.run('git', ['status', '--porcelain', '--untracked-files=no']).trim()).toBe('');
    } finally {
      ws.run('rm', ['apps/bye/project.json']);
    }
  });

  it('never infers a Go project under a name a declared project has, which would make Nx refuse every command', () => {
    ws.write('libs/notes/project.json', JSON.stringify({ name: 'stats' }, null, 2));
    try {
      const projects = JSON.parse(ws.nx('show', 'projects', '--json')) as string[];
      expect(projects).toEqual(expect.arrayContaining(['stats', 'services-stats', 'hello', 'bye']));
      expect(JSON.parse(ws.nx('show', 'project', 'services-stats', '--json')).root).toBe('services/stats');
    } finally {
      ws.run('rm', ['-r', 'libs/notes']);
    }
  });

  it('setup names a project folder that is only a link to a folder outside the workspace, which Nx does not see, and sets up the rest', () => {
    const outside = join(ws.root, '..', 'hardening-linked-svc');
    ws.run('mkdir', ['-p', outside]);
    ws.run('cp', ['-r', `${join(ws.root, 'apps/bye')}/.`, outside]); // its go.mod at the top (path.join would drop the "/.")
    ws.run('rm', ['-f', join(outside, 'Dockerfile')]);
    ws.run('ln', ['-s', outside, join(ws.root, 'apps/linked')]);
    try {
      // The warning goes to stderr, which a successful run's output does not hold.
      const setup = spawnSync(NX_BIN(ws.root), setupArgs, { cwd: ws.root, env: { ...process.env, ...nxEnvironment(ws.root) }, encoding: 'utf8' });
      expect(setup.status).toBe(0);
      expect(`${setup.stdout}\n${setup.stderr}`).toMatch(/apps\/linked is a symbolic link to .*hardening-linked-svc, outside the workspace; Nx does not follow links when it looks for projects, so what it holds is no project and gets no image\. Move the folder into the workspace/);
      expect(JSON.parse(ws.nx('show', 'projects', '--json'))).not.toContain('linked');
      expect(ws.exists('apps/linked/Dockerfile')).toBe(false);
    } finally {
      ws.run('rm', ['-rf', join(ws.root, 'apps/linked'), outside]);
    }
  });

  it('refuses a registry with a scheme, naming the value to give', () => {
    expectRefused(['run', 'hello:docker-build', '--registry=https://registry.example.com/team'], /hello: the "registry" option \(https:\/\/registry\.example\.com\/team\) has a scheme; give the registry host and path only, e\.g\. registry\.example\.com\/team/);
  });

  it('refuses a platform that is no os/arch, naming the option, instead of blaming a base image', () => {
    expectRefused(['run', 'hello:docker-build', '--platform=linux/bogus'], /hello: the "platform" option \(linux\/bogus\) is not an os\/arch platform the engine knows/);
  });

  it('names the missing runtime image, not the toolchain image the engine has', () => {
    ws.nx('g', 'nx-docker-stages:setup', `--goImage=${TEST_IMAGES.goImage}`, '--goRuntimeImage=nx-docker-stages-test/nope:1');
    try {
      expectRefused(['run', 'hello:docker-build'], /hello: building stage "hello" of apps\/hello\/Dockerfile failed: "(docker\.io\/)?nx-docker-stages-test\/nope:1" is not in the engine and could not be pulled/);
    } finally {
      ws.nx(...setupArgs);
      expect(ws.run('git', ['status', '--porcelain'])).toBe('');
    }
  });

  it('refuses a dockerfile outside the workspace, by the rule of the plugin option', () => {
    expectRefused(['run', 'hello:docker-build', '--dockerfile=../outside/Dockerfile'], /hello: the "dockerfile" option \(\.\.\/outside\/Dockerfile\) must be a path inside the workspace/);
  });

  it('refuses a secret whose file does not exist, naming the secret and the file', () => {
    ws.write('apps/bye/project.json', JSON.stringify({ name: 'bye', targets: { 'docker-build': { options: { secrets: [{ id: 'npmrc', src: '.secrets/npmrc' }] } } } }, null, 2));
    try {
      expectRefused(['run', 'bye:docker-build'], /bye: the file of secret "npmrc" \("secrets"\[0\]\.src: \.secrets\/npmrc\) does not exist/, 'bye');
    } finally {
      ws.run('rm', ['apps/bye/project.json']);
    }
  });
});

describe('a Dockerfile outside the project root', () => {
  let ws: Workspace;
  const build = () => ws.attempt(NX_BIN(ws.root), ['run', 'hello:docker-build', '--output-style=static']);
  const project = (targets: Record<string, unknown>) => ws.write('apps/hello/project.json', JSON.stringify({ name: 'hello', targets: { 'docker-build': targets } }, null, 2));

  beforeAll(() => {
    ws = createWorkspace({ name: 'dockerfile-input', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.write('tools/hello.Dockerfile', ws.read('apps/hello/Dockerfile'));
    ws.commit('setup, and the Dockerfile of hello copied to tools/');
  });
  afterAll(() => ws?.remove());

  it('is refused while it is not among the task’s inputs, naming the input to add', () => {
    project({ options: { dockerfile: 'tools/hello.Dockerfile' } });
    const run = build();
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      'hello: tools/hello.Dockerfile, the Dockerfile this build reads, is not among the inputs of its "docker-build" target, so editing it would not change the task\'s hash ' +
        'and the Nx cache would give the image built from its old content; add "{workspaceRoot}/tools/hello.Dockerfile" to the target\'s "inputs"',
    );
    expect(ws.exists('dist/docker/hello/metadata.json')).toBe(false);
  });

  it('builds once it is an input, and an edit to it builds the image again instead of a cache hit', () => {
    const inputs = ['{projectRoot}/**/*', '{workspaceRoot}/tools/hello.Dockerfile', '{workspaceRoot}/go.work', '{workspaceRoot}/libs/greet/**/*'];
    project({ options: { dockerfile: 'tools/hello.Dockerfile' }, inputs });
    const first = build();
    expect(first.code).toBe(0);
    expect(tasksRun(first.output)).toEqual(['hello']);
    expect(tasksFromCache(build().output)).toEqual(['hello']);

    ws.write('tools/hello.Dockerfile', ws.read('tools/hello.Dockerfile').replace('AS hello\n', 'AS hello\nLABEL org.example.edited="tools"\n'));
    const edited = build();
    expect(edited.code).toBe(0);
    expect(tasksFromCache(edited.output)).toEqual([]);
    expect(docker('image', 'inspect', '--format', '{{index .Config.Labels "org.example.edited"}}', 'hello:latest')).toBe('tools');
  });
});

describe('a corrupt image archive in a cache entry', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = createWorkspace({ name: 'corrupt-archive', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none', saveImage: true } });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('builds the image again from the same inputs instead, says so, and the image runs', () => {
    ws.nx('run', 'hello:docker-build', '--output-style=static');
    const { imageId } = JSON.parse(ws.read('dist/docker/hello/metadata.json'));
    const cached = ws.run('find', ['.nx/cache', '-name', 'image.tar.gz']).split('\n').filter(Boolean);
    expect(cached.length).toBeGreaterThan(0);
    for (const file of cached) ws.write(file, 'not a gzipped tar\n');
    // A machine without the image and without the build output: Nx restores the entry, archive and all.
    docker('image', 'rm', '--force', imageId);
    ws.run('rm', ['-rf', 'dist/docker/hello']);
    const run = ws.attempt(NX_BIN(ws.root), ['run', 'hello:docker-build', '--output-style=static']);
    expect(run.code).toBe(0);
    expect(tasksFromCache(run.output)).toEqual(['hello']);
    expect(run.output).toMatch(/hello: the image archive in the cache entry cannot be used \(.*\); building the image again from the same inputs instead/);
    expect(docker('run', '--rm', '--network', 'none', 'hello:latest')).toBe('greetings from hello (uid 65532)');
  });
});

describe('a Go main package in a folder whose name has a space', () => {
  let ws: Workspace;
  beforeAll(() => {
    const fixture = fixtureFiles('e2e/fixtures/go-work');
    const files = {
      ...fixture,
      'apps/hello/cmd/my tool/main.go': 'package main\n\nfunc main() { println("tool") }\n',
      // A module in a folder with a space: its import paths come from its module path, so Go builds it.
      'go.work': fixture['go.work'].replace('use (', 'use (\n\t"./tools/my mod"'),
      'tools/my mod/go.mod': 'module example.com/mymod\n\ngo 1.19\n',
      'tools/my mod/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("my mod runs") }\n',
    };
    ws = createWorkspace({ name: 'spaced', files, buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('builds and runs an app whose module folder has a space', () => {
    expect(ws.read('tools/my mod/Dockerfile')).toContain('COPY ["tools/my mod/go.mod", "/src/tools/my mod/"]');
    ws.nx('run', 'my mod:docker-build', '--output-style=static');
    expect(docker('run', '--rm', '--network', 'none', 'my-mod:latest')).toBe('my mod runs');
  });

  it('gets a Dockerfile that keeps the path one argument, and a build that names Go\'s own reason instead of blaming .dockerignore', () => {
    const dockerfile = ws.read('apps/hello/cmd/my tool/Dockerfile');
    expect(dockerfile).toContain('COPY ["apps/hello/cmd/my tool", "/src/apps/hello/cmd/my tool/"]');
    const run = ws.attempt(NX_BIN(ws.root), ['run', 'my tool:docker-build', '--output-style=static']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('malformed import path');
    expect(run.output).toMatch(/my tool: building stage "my-tool" of apps\/hello\/cmd\/my tool\/Dockerfile failed: the step `[^`]*GOENV=\/run\/secrets\/goenv go build [^`]*'\.\/apps\/hello\/cmd\/my tool'` exited with code 1/);
    expect(run.output).not.toContain('.dockerignore does not leave it out');
    expect(ws.exists('dist/docker/my tool/metadata.json')).toBe(false);
  });
});

describe('a go.mod, a Go file and imports that Go itself refuses', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = createWorkspace({ name: 'refused-go', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.commit('setup');
    // A module outside the go.work whose go.mod has no module directive, and a constraint Go cannot parse.
    ws.write('tools/gen/go.mod', 'go 1.23\n');
    ws.write('tools/gen/main.go', 'package main\n\nfunc main() {}\n');
    ws.write('libs/greet/odd.go', '//go:build linux &&\n\npackage greet\n');
    // Imports Go refuses to build: a cycle, a module no go.mod requires, a workspace package that is not there.
    ws.write('libs/greet/ping/ping.go', 'package ping\n\nimport _ "example.com/greet/pong"\n');
    ws.write('libs/greet/pong/pong.go', 'package pong\n\nimport _ "example.com/greet/ping"\n');
    ws.write('libs/greet/extra.go', 'package greet\n\nimport (\n\t_ "github.com/google/uuid"\n\t_ "example.com/greet/gone"\n)\n');
    ws.commit('a broken go.mod, a broken constraint, and imports Go refuses');
  });
  afterAll(() => ws?.remove());

  it('leaves the rest of the graph working: every other project is there, the broken module is not', () => {
    const projects = JSON.parse(ws.nx('show', 'projects', '--json')) as string[];
    expect(projects.sort()).toEqual(['bye', 'greet', 'hello', 'stats']);
  });

  it('fails nx sync:check and nx sync, naming each file and its fix, and writes nothing', () => {
    for (const command of ['sync:check', 'sync']) {
      const run = ws.attempt(NX_BIN(ws.root), [command]);
      expect({ command, code: run.code === 0 ? 0 : 'non-zero' }).toEqual({ command, code: 'non-zero' });
      expect(run.output).toContain('tools/gen/go.mod: no "module" directive found; add "module <path>" at the top of the file');
      expect(run.output).toContain('libs/greet/odd.go: malformed build constraint: //go:build linux &&; fix the constraint so "go vet" accepts it');
      expect(run.output).toContain(
        'import cycle not allowed: libs/greet/ping imports libs/greet/pong (libs/greet/ping/ping.go), libs/greet/pong imports libs/greet/ping (libs/greet/pong/pong.go)',
      );
      expect(run.output).toContain(
        'libs/greet/extra.go: imports "github.com/google/uuid", which no module in libs/greet/go.mod (or the go.work it builds in) requires; run "go get github.com/google/uuid"',
      );
      expect(run.output).toContain('libs/greet/extra.go: imports "example.com/greet/gone", but module example.com/greet has no package in libs/greet/gone');
    }
    expect(ws.exists('tools/gen/Dockerfile')).toBe(false);
    expect(ws.run('git', ['status', '--porcelain']).trim()).toBe('');
  });
});

import { Tree, logger, readNxJson, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { setupGenerator } from './generator';

const images = { goImage: 'golang:1.23-bookworm@sha256:1111', goRuntimeImage: 'gcr.io/distroless/static-debian12:nonroot' };

function addShop(tree: Tree) {
  tree.write('go.mod', 'module example.com/shop\n\ngo 1.19\n');
  tree.write('cmd/api/main.go', 'package main\n\nimport "example.com/shop/internal/greeting"\n\nfunc main() { greeting.Hello() }\n');
  tree.write('cmd/worker/main.go', 'package main\n\nfunc main() {}\n');
  tree.write('internal/greeting/greeting.go', 'package greeting\n\nfunc Hello() {}\n');
}

function changedFiles(tree: Tree) {
  return tree.listChanges().map((c) => `${c.type} ${c.path}`);
}

describe('setup generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    addShop(tree);
  });

  it('writes a Dockerfile into each Go app’s project root: the module’s base stage, then its build and runtime stages', async () => {
    await setupGenerator(tree, images);
    const froms = (file: string) => tree.read(file, 'utf-8')!.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms('cmd/api/Dockerfile')).toEqual([
      'FROM golang:1.23-bookworm@sha256:1111 AS go-base',
      'FROM go-base AS api-build',
      'FROM gcr.io/distroless/static-debian12:nonroot AS api',
    ]);
    expect(froms('cmd/worker/Dockerfile')).toEqual([
      'FROM golang:1.23-bookworm@sha256:1111 AS go-base',
      'FROM go-base AS worker-build',
      'FROM gcr.io/distroless/static-debian12:nonroot AS worker',
    ]);
    expect(tree.exists('Dockerfile')).toBe(false);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('COPY cmd/api /src/cmd/api/\nCOPY internal/greeting /src/internal/greeting/\n');
    expect(tree.read('cmd/worker/Dockerfile', 'utf-8')).not.toContain('internal/greeting');
  });

  it('renders the base stage identically in every app of the module, so BuildKit runs it once for all', async () => {
    await setupGenerator(tree, images);
    const baseBlock = (file: string) => /# >>> nx-docker-stages managed "base:go"[^]*?# <<< nx-docker-stages managed "base:go"/.exec(tree.read(file, 'utf-8')!)![0];
    expect(baseBlock('cmd/api/Dockerfile')).toBe(baseBlock('cmd/worker/Dockerfile'));
  });

  it('compiles the standard library packages of a service once in the base stage, before the module files, whatever the workspace imports', async () => {
    await setupGenerator(tree, images);
    const lines = tree.read('cmd/api/Dockerfile', 'utf-8')!.split('\n');
    const precompile = lines.findIndex((l) => l.includes('go build -trimpath encoding/json flag net/http os/signal'));
    expect(lines[precompile]).toBe('RUN --mount=type=cache,target=/root/.cache/go-build cd / && GOWORK=off go build -trimpath encoding/json flag net/http os/signal');
    expect(precompile).toBeLessThan(lines.findIndex((l) => l.startsWith('COPY go.mod')));
  });

  it('follows the hadolint and BuildKit rules that apply', async () => {
    await setupGenerator(tree, images);
    const dockerfile = tree.read('cmd/api/Dockerfile', 'utf-8')!;
    for (const line of dockerfile.split('\n').filter((l) => l.startsWith('FROM '))) {
      expect(line).toMatch(/^FROM \S+ AS [a-z0-9-]+$/); // upper-case AS, lower-case stage names
      expect(line).not.toMatch(/:latest\b/); // DL3007
    }
    expect(dockerfile).toMatch(/^USER 65532:65532$/m); // explicit numeric non-root user
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/api"\]$/m); // JSON form
    expect(dockerfile).not.toMatch(/^(ARG|ENV) .*(TOKEN|PASSWORD|SECRET)/m);
  });

  it('writes a .dockerignore that keeps VCS data, dependencies, env files and keys out', async () => {
    await setupGenerator(tree, images);
    const ignore = tree.read('.dockerignore', 'utf-8')!.split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['.git', '**/node_modules', 'dist', '**/.env', '**/.env.*', '**/*.pem', '**/*.key']));
  });

  it('keeps the apps’ Dockerfiles out of the build context, under the file name in use', async () => {
    await setupGenerator(tree, { ...images, dockerfile: 'Dockerfile.nx' });
    expect(tree.read('.dockerignore', 'utf-8')!.split('\n')).toContain('**/Dockerfile.nx');
  });

  it('names the inferred target in each Dockerfile’s header', async () => {
    await setupGenerator(tree, { ...images, targetName: 'image' });
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('# Build it with `nx run api:image`');
  });

  it('registers the plugin in nx.json with the images, so they can be pinned there (the Node images only when given: they follow the workspace)', async () => {
    await setupGenerator(tree, images);
    expect(readNxJson(tree)!.plugins).toEqual([{ plugin: 'nx-docker-stages', options: { targetName: 'docker-build', depsTargetName: 'docker-deps', dockerfile: 'Dockerfile', ...images, goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot' } }]);
    await setupGenerator(tree, { nodeImage: 'mirror/node:20' });
    expect(readNxJson(tree)!.plugins).toEqual([{ plugin: 'nx-docker-stages', options: { targetName: 'docker-build', depsTargetName: 'docker-deps', dockerfile: 'Dockerfile', ...images, goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot', nodeImage: 'mirror/node:20' } }]);
  });

  it('keeps the images stored in nx.json when run again without flags', async () => {
    await setupGenerator(tree, images);
    await setupGenerator(tree, {});
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('FROM golang:1.23-bookworm@sha256:1111 AS go-base');
  });

  it('changes nothing when run a second time', async () => {
    await setupGenerator(tree, images);
    const first = new Map(['cmd/api/Dockerfile', 'cmd/worker/Dockerfile', '.dockerignore', 'nx.json'].map((f) => [f, tree.read(f, 'utf-8')]));
    await setupGenerator(tree, images);
    for (const [file, content] of first) expect(tree.read(file, 'utf-8')).toBe(content);
  });

  it('keeps a person’s edits outside the managed blocks when run again', async () => {
    await setupGenerator(tree, images);
    const edited = `# my own comment at the top\n${tree.read('cmd/api/Dockerfile', 'utf-8')}\n# extra stage of mine\nFROM api AS api-debug\n`;
    tree.write('cmd/api/Dockerfile', edited);
    tree.write('.dockerignore', `${tree.read('.dockerignore', 'utf-8')}secrets/\n`);
    tree.write('cmd/api/main.go', 'package main\n\nimport "example.com/shop/internal/jobs"\n\nfunc main() { jobs.Run() }\n');
    tree.write('internal/jobs/jobs.go', 'package jobs\n\nfunc Run() {}\n');
    tree.write('cmd/cli/main.go', 'package main\n\nfunc main() {}\n');
    await setupGenerator(tree, images);
    const dockerfile = tree.read('cmd/api/Dockerfile', 'utf-8')!;
    expect(dockerfile.startsWith('# my own comment at the top\n')).toBe(true);
    expect(dockerfile).toContain('# extra stage of mine\nFROM api AS api-debug\n');
    expect(dockerfile).toContain('COPY internal/jobs /src/internal/jobs/');
    expect(dockerfile.indexOf('internal/jobs')).toBeLessThan(dockerfile.indexOf('AS api-debug'));
    expect(tree.read('cmd/cli/Dockerfile', 'utf-8')).toContain('FROM go-base AS cli-build');
    expect(tree.read('.dockerignore', 'utf-8')).toContain('secrets/\n');
  });

  it('refuses to overwrite an edit inside a managed block, naming the block and the fix', async () => {
    await setupGenerator(tree, images);
    const before = tree.read('cmd/api/Dockerfile', 'utf-8')!;
    tree.write('cmd/api/Dockerfile', before.replace('-ldflags="-s -w $GO_LDFLAGS" -o /out/app ./cmd/api', '-ldflags="-s -w -X main.v=1" -o /out/app ./cmd/api'));
    tree.write('cmd/cli/main.go', 'package main\n\nfunc main() {}\n');
    await expect(setupGenerator(tree, images)).rejects.toThrow(
      /api: cmd\/api\/Dockerfile: the managed block\(s\) "app:api" were edited by hand .* Nothing was changed\. .*--force/,
    );
  });

  it('leaves a block a person took over (kept) as it is, and stops, showing the new generated body, when what it would generate changes', async () => {
    await setupGenerator(tree, images);
    const taken = tree
      .read('cmd/api/Dockerfile', 'utf-8')!
      .replace(/nx-docker-stages managed "base:go"/g, 'nx-docker-stages kept "base:go"')
      .replace('go mod download', 'go mod download -x');
    tree.write('cmd/api/Dockerfile', taken);
    await setupGenerator(tree, images);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe(taken);
    await expect(setupGenerator(tree, { ...images, goImage: 'golang:1.24-bookworm' })).rejects.toThrow(
      /^api: cmd\/api\/Dockerfile: the kept block "base:go" was taken over from what nx-docker-stages generated then, and it would now generate:\n(    .*\n)*    FROM golang:1.24-bookworm AS go-base\n[\s\S]*then write \[[0-9a-f]{12}\] in its first line[\s\S]*\nNothing was changed\.$/m,
    );
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe(taken);
  });

  it('replaces an edited block when forced', async () => {
    await setupGenerator(tree, images);
    tree.write('cmd/api/Dockerfile', tree.read('cmd/api/Dockerfile', 'utf-8')!.replace('-o /out/app ./cmd/api', '-o /out/app2 ./cmd/api'));
    await setupGenerator(tree, { ...images, force: true });
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('-o /out/app ./cmd/api');
  });

  it('leaves a Dockerfile it did not write alone, naming the project and the fix, and sets up the other apps', async () => {
    tree.write('cmd/api/Dockerfile', 'FROM alpine:3.20\n');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await setupGenerator(tree, images);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^nx-docker-stages: api: cmd\/api\/Dockerfile exists and was not written by nx-docker-stages.*--dockerfile=/));
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe('FROM alpine:3.20\n');
    expect(tree.read('cmd/worker/Dockerfile', 'utf-8')).toContain('FROM go-base AS worker-build');
    warn.mockRestore();
  });

  it('writes under another file name when asked, and remembers it', async () => {
    tree.write('cmd/api/Dockerfile', 'FROM alpine:3.20\n');
    await setupGenerator(tree, { ...images, dockerfile: 'Dockerfile.nx' });
    expect(tree.exists('cmd/api/Dockerfile.nx')).toBe(true);
    expect(tree.exists('cmd/worker/Dockerfile.nx')).toBe(true);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe('FROM alpine:3.20\n');
    expect((readNxJson(tree)!.plugins![0] as { options: { dockerfile: string } }).options.dockerfile).toBe('Dockerfile.nx');
  });

  it('refuses a file name that leaves the project root', async () => {
    await expect(setupGenerator(tree, { ...images, dockerfile: '../Dockerfile' })).rejects.toThrow(/"dockerfile" option \(\.\.\/Dockerfile\) must be a file name inside each app's project root/);
  });

  it('leaves the Dockerfile of an app that no longer exists alone', async () => {
    await setupGenerator(tree, images);
    tree.delete('cmd/worker/main.go');
    await setupGenerator(tree, images);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).not.toContain('worker');
  });

  it('builds an app whose package uses cgo with it, on the cgo runtime image, and follows goEnv CGO_ENABLED where a person set it', async () => {
    tree.write('internal/greeting/native.go', 'package greeting\n\n// #include <stdlib.h>\nimport "C"\n');
    await setupGenerator(tree, { ...images, goCgoRuntimeImage: 'registry.example/base:nonroot' });
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('ENV CGO_ENABLED=1');
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('FROM registry.example/base:nonroot AS api');
    // A person opts one app out (its package has a pure-Go fallback), and another in, through the docker-build options.
    writeJson(tree, 'cmd/api/project.json', { name: 'api', targets: { 'docker-build': { options: { goEnv: { CGO_ENABLED: '0' } } } } });
    tree.write('internal/greeting/native.go', '//go:build cgo\n\npackage greeting\n\n// #include <stdlib.h>\nimport "C"\n');
    tree.write('internal/greeting/fallback.go', '//go:build !cgo\n\npackage greeting\n');
    const nxJson = readNxJson(tree)!;
    writeJson(tree, 'nx.json', { ...nxJson, targetDefaults: { 'docker-build': { options: { goEnv: { CGO_ENABLED: '1' } } } } });
    await setupGenerator(tree, {});
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).not.toContain('CGO_ENABLED=1');
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('FROM gcr.io/distroless/static-debian12:nonroot AS api');
    expect(tree.read('cmd/worker/Dockerfile', 'utf-8')).toContain('ENV CGO_ENABLED=1');
  });

  it('refuses scratch as the runtime image of cgo apps', async () => {
    await expect(setupGenerator(tree, { ...images, goCgoRuntimeImage: 'scratch' })).rejects.toThrow(/"goCgoRuntimeImage" option is scratch, which has no C library/);
  });

  it('uses scratch with CA certificates and embedded time-zone data when asked', async () => {
    await setupGenerator(tree, { ...images, goRuntimeImage: 'scratch' });
    const dockerfile = tree.read('cmd/api/Dockerfile', 'utf-8')!;
    expect(dockerfile).toContain('FROM scratch AS api');
    expect(dockerfile).toContain('COPY --from=go-base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(dockerfile).toContain('-tags="timetzdata,$GO_TAGS"');
  });

  it('refuses, naming the file and the fix, when a replace points outside the workspace', async () => {
    tree.write('go.mod', 'module example.com/shop\n\nreplace example.com/x => ../x\n');
    await expect(setupGenerator(tree, images)).rejects.toThrow(/go.mod: "replace example.com\/x" points at \.\.\/x, outside the workspace/);
  });

  it('only registers the plugin when there is no Go app', async () => {
    const empty = createTreeWithEmptyWorkspace();
    await setupGenerator(empty, images);
    expect(changedFiles(empty)).not.toContainEqual(expect.stringMatching(/Dockerfile|\.dockerignore/));
    expect(readNxJson(empty)!.plugins).toHaveLength(1);
  });
});

describe('setup generator, stage names', () => {
  it('refuses two apps whose stage names would clash, naming both', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('go.mod', 'module m\n');
    tree.write('a/go-base/main.go', 'package main\n\nfunc main() {}\n');
    await expect(setupGenerator(tree, images)).rejects.toThrow(/go-base: its stage "go-base" would clash with the base stage of the same name; rename the project/);
  });
});

describe('setup generator, names two projects would share', () => {
  const main = 'package main\n\nfunc main() {}\n';
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('go.mod', 'module m\n');
  });

  it('refuses two apps whose builds would tag one image, naming both and the option that separates them, and writes nothing', async () => {
    tree.write('cmd/api/main.go', main);
    tree.write('tools/API/main.go', main);
    await expect(setupGenerator(tree, images)).rejects.toThrow(
      /api and API would both tag the image api:latest \(image names are lower-cased project names\).*set "imageName" \(or "registry" or "tags"\) in the docker-build options of one of them/,
    );
    expect(changedFiles(tree)).not.toContainEqual(expect.stringMatching(/Dockerfile|\.dockerignore/));
  });

  it('accepts them once one sets its own imageName, in project.json or for every app in nx.json, where a shared name is refused', async () => {
    tree.write('cmd/api/main.go', main);
    tree.write('tools/API/main.go', main);
    tree.write('tools/API/project.json', JSON.stringify({ name: 'API', targets: { 'docker-build': { options: { imageName: 'tools-api' } } } }));
    await setupGenerator(tree, images);
    expect(tree.exists('tools/API/Dockerfile')).toBe(true);

    const nxJson = readNxJson(tree)!;
    writeJson(tree, 'nx.json', { ...nxJson, targetDefaults: { ...nxJson.targetDefaults, 'docker-build': [{ options: { imageName: 'shop' } }] } });
    tree.delete('tools/API/project.json');
    await expect(setupGenerator(tree, images)).rejects.toThrow(/api and API would both tag the image shop:latest/);
  });

  it('refuses two folders of one project name (Nx would refuse the graph), naming both and the fix', async () => {
    tree.write('apps/a/main.go', main);
    tree.write('apps/a/project.json', JSON.stringify({ name: 'api' }));
    tree.write('apps/b/main.go', main);
    tree.write('apps/b/project.json', JSON.stringify({ name: 'api' }));
    await expect(setupGenerator(tree, images)).rejects.toThrow(
      /apps\/a \(declared\) and apps\/b \(declared\) are both named "api", and Nx refuses a workspace where two projects share a name; give each its own "name"/,
    );
  });

  it('names an inferred Go app by its path when a declared project has its folder name', async () => {
    tree.write('cmd/api/main.go', main);
    tree.write('apps/web/project.json', JSON.stringify({ name: 'api' }));
    await setupGenerator(tree, images);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('AS cmd-api\n');
  });
});

describe('setup generator, Node workspaces', () => {
  function nodeShop() {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'shop', workspaces: ['apps/*'] }));
    tree.write('package-lock.json', '{}');
    tree.write('apps/web/package.json', JSON.stringify({ name: '@shop/web', main: 'index.js' }));
    return tree;
  }

  it("refuses, naming the file and the field, while a project's package.json holds a type the plugin cannot read", async () => {
    const tree = nodeShop();
    tree.write('apps/lib/package.json', JSON.stringify({ name: '@shop/lib', engines: { node: 20 } }));
    await expect(setupGenerator(tree, images)).rejects.toThrow('apps/lib/package.json: "engines.node" must be a string, not a number; fix the field');
    expect(tree.exists('apps/web/Dockerfile')).toBe(false);
  });

  it('makes a lockfile change affect only the apps whose dependencies changed', async () => {
    const tree = nodeShop();
    await setupGenerator(tree, {});
    expect(readNxJson(tree)!.pluginsConfig).toEqual({ '@nx/js': { projectsAffectedByDependencyUpdates: 'auto' } });
  });

  it('keeps the workspace’s own choice for lockfile changes', async () => {
    const tree = nodeShop();
    const nxJson = readNxJson(tree)!;
    nxJson.pluginsConfig = { '@nx/js': { projectsAffectedByDependencyUpdates: 'all' } };
    writeJson(tree, 'nx.json', nxJson);
    await setupGenerator(tree, {});
    expect(readNxJson(tree)!.pluginsConfig).toEqual({ '@nx/js': { projectsAffectedByDependencyUpdates: 'all' } });
  });

  it("writes a Node app's dependencies and runtime stages, on the images of the workspace's Node version", async () => {
    const tree = nodeShop();
    tree.write('.nvmrc', '20\n');
    await setupGenerator(tree, {});
    const froms = tree.read('apps/web/Dockerfile', 'utf-8')!.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms).toEqual(['FROM node:20-bookworm-slim AS shop-web-deps', 'FROM node:20-bookworm-slim AS shop-web']);
  });

  it('says what each project gets, and why a project gets no image', async () => {
    const tree = nodeShop();
    tree.write('apps/site/package.json', JSON.stringify({ name: '@shop/site', scripts: { start: 'next start' } }));
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    await setupGenerator(tree, {});
    const report = info.mock.calls.map((c) => String(c[0])).find((m) => m.includes('what each project gets'))!;
    expect(report).toContain('@shop/web (apps/web, Node): app: a package that starts with "node index.js"');
    expect(report).toMatch(/@shop\/site \(apps\/site, Node\): skipped, no image: apps\/site\/package.json: its start script "next start" is not "node <file>".*\. Fix: /);
    info.mockRestore();
  });

  it('names a package manager it does not build with', async () => {
    const tree = nodeShop();
    tree.delete('package-lock.json');
    tree.write('bun.lockb', '');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await setupGenerator(tree, {});
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('bun.lockb: bun is not a supported package manager'));
    warn.mockRestore();
  });
});

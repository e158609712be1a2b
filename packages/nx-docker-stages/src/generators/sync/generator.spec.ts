import { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { setupGenerator } from '../setup/generator';
import { syncGenerator } from './generator';

const images = { goImage: 'golang:1.23-bookworm', goRuntimeImage: 'gcr.io/distroless/static-debian12:nonroot' };

async function setUpShop(): Promise<Tree> {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('go.mod', 'module example.com/shop\n');
  tree.write('cmd/api/main.go', 'package main\n\nfunc main() {}\n');
  tree.write('internal/greeting/greeting.go', 'package greeting\n\nfunc Hello() {}\n');
  await setupGenerator(tree, images);
  return tree;
}

describe('sync generator', () => {
  it('reports nothing when the Dockerfile matches the workspace', async () => {
    const tree = await setUpShop();
    expect(await syncGenerator(tree)).toEqual({});
  });

  it('copies a package into an app’s build stage once the app imports it, and says the files were stale', async () => {
    const tree = await setUpShop();
    tree.write('cmd/api/main.go', 'package main\n\nimport "example.com/shop/internal/greeting"\n\nfunc main() { greeting.Hello() }\n');
    const result = await syncGenerator(tree);
    expect(result).toEqual({ outOfSyncMessage: expect.stringContaining('cmd/api/Dockerfile does not match') });
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('COPY internal/greeting /src/internal/greeting/');
  });

  it('gives a new app its Dockerfile and leaves the others as they are', async () => {
    const tree = await setUpShop();
    const api = tree.read('cmd/api/Dockerfile', 'utf-8');
    tree.write('cmd/worker/main.go', 'package main\n\nfunc main() {}\n');
    expect(await syncGenerator(tree)).toEqual({ outOfSyncMessage: expect.stringMatching(/^cmd\/worker\/Dockerfile does not match/) });
    expect(tree.read('cmd/worker/Dockerfile', 'utf-8')).toContain('FROM go-base AS worker-build');
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe(api);
  });

  it('keeps a person’s edits outside the managed blocks', async () => {
    const tree = await setUpShop();
    tree.write('cmd/api/Dockerfile', `${tree.read('cmd/api/Dockerfile', 'utf-8')}\n# mine\nFROM api AS api-debug\n`);
    tree.write('cmd/api/main.go', 'package main\n\nimport "example.com/shop/internal/greeting"\n\nfunc main() { greeting.Hello() }\n');
    await syncGenerator(tree);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('COPY internal/greeting /src/internal/greeting/');
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain('# mine\nFROM api AS api-debug\n');
  });

  it('stops with a message instead of overwriting an edit inside a managed block', async () => {
    const tree = await setUpShop();
    tree.write('cmd/api/Dockerfile', tree.read('cmd/api/Dockerfile', 'utf-8')!.replace('-o /out/app ./cmd/api', '-o /out/app -v ./cmd/api'));
    tree.write('cmd/worker/main.go', 'package main\n\nfunc main() {}\n');
    await expect(syncGenerator(tree)).rejects.toThrow(/api: cmd\/api\/Dockerfile: the managed block\(s\) "app:api" were edited by hand/);
  });

  it('names a go.mod and a build constraint Go would refuse, which inference leaves out, and writes nothing', async () => {
    const tree = await setUpShop();
    const api = tree.read('cmd/api/Dockerfile', 'utf-8');
    tree.write('tools/gen/go.mod', 'go 1.23\n');
    tree.write('tools/gen/main.go', 'package main\n\nfunc main() {}\n');
    tree.write('internal/greeting/odd.go', '//go:build linux &&\n\npackage greeting\n');
    tree.write('cmd/api/main.go', 'package main\n\nimport "example.com/shop/internal/greeting"\n\nfunc main() { greeting.Hello() }\n');
    await expect(syncGenerator(tree)).rejects.toThrow(
      /cannot generate stages that would not build:\n {2}- tools\/gen\/go.mod: no "module" directive found; add "module <path>".*\n {2}- internal\/greeting\/odd.go: malformed build constraint.*fix the constraint/s,
    );
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toBe(api);
    expect(tree.exists('tools/gen/Dockerfile')).toBe(false);
  });

  it('names a new app whose image is an existing app\'s, and a project name taken twice, and writes nothing', async () => {
    const tree = await setUpShop();
    tree.write('tools/API/main.go', 'package main\n\nfunc main() {}\n');
    tree.write('libs/a/project.json', JSON.stringify({ name: 'dup' }));
    tree.write('libs/a/a.go', 'package a\n');
    tree.write('libs/b/project.json', JSON.stringify({ name: 'dup' }));
    tree.write('libs/b/b.go', 'package b\n');
    await expect(syncGenerator(tree)).rejects.toThrow(
      /- libs\/a \(declared\) and libs\/b \(declared\) are both named "dup".*\n {2}- api and API would both tag the image api:latest/s,
    );
    expect(tree.exists('tools/API/Dockerfile')).toBe(false);
  });

  it('does nothing in a workspace where setup has not run', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('go.mod', 'module m\n');
    tree.write('cmd/api/main.go', 'package main\n\nfunc main() {}\n');
    expect(await syncGenerator(tree)).toEqual({});
    expect(tree.exists('cmd/api/Dockerfile')).toBe(false);
  });
});

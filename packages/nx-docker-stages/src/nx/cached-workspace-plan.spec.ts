import { RawProjectGraphDependency } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GO_SHOP_FILES } from '../go/go-plan.fixture';
import { isGoWorkspaceFile } from '../go/go-workspace';
import { mainUsing } from '../go/test-workspace';
import * as workspacePlan from '../plan/workspace-plan';
import { declaredProjects } from '../workspace/declared-projects';
import { cachedGoProjectDependencies, cachedWorkspacePlan } from './cached-workspace-plan';
import * as goFiles from './go-files-on-disk';
import { InferenceCache, fileHash } from './inference-cache-file';

const files: Record<string, string> = {
  ...GO_SHOP_FILES,
  'services/billing/project.json': '{ "name": "billing-svc" }\n',
  'services/billing/main.go': mainUsing('example.com/shop/internal/jobs'),
  'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*', 'libs/*'] }),
  'package-lock.json': '{}',
  'apps/web/package.json': JSON.stringify({ name: '@shop/web', scripts: { start: 'node main.js' }, dependencies: { '@shop/ui': '*' } }),
  'libs/ui/package.json': JSON.stringify({ name: '@shop/ui', main: 'index.js' }),
};
const projects = new Map([
  ['cmd/api', 'api'],
  ['cmd/worker', 'worker'],
  ['internal/jobs', 'jobs'],
  ['internal/greeting', 'greeting'],
  ['services/billing', 'billing-svc'],
]);

let dir: string;
let cachePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-cached-'));
  cachePath = join(dir, '.nx', 'workspace-data', 'c.json');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const readerOf = (contents: Record<string, string>) =>
  jest.fn((file: string) => {
    if (!(file in contents)) throw new Error(`ENOENT: ${file}`);
    return contents[file];
  });
const model = (contents: Record<string, string>) => {
  const read = readerOf(contents);
  return workspacePlan.planWorkspace(Object.keys(contents), read, declaredProjects(Object.keys(contents), read));
};
/** Go files as Nx's file map gives them to createDependencies. */
const fileMapOf = (contents: Record<string, string>) =>
  Object.entries(contents)
    .filter(([file]) => isGoWorkspaceFile(file))
    .map(([file, text]) => ({ file, hash: fileHash(text) }));

describe('the workspace plan through the cache', () => {
  it('is the plan of the model, also when read back from the cache file by the next command', () => {
    const first = cachedWorkspacePlan(Object.keys(files), readerOf(files), new InferenceCache(cachePath));
    const next = cachedWorkspacePlan(Object.keys(files), readerOf(files), new InferenceCache(cachePath));
    expect(first).toEqual(model(files));
    expect(next).toEqual(model(files));
  });

  it('reads each file once, for the key and the model both', () => {
    const read = readerOf(files);
    cachedWorkspacePlan(Object.keys(files), read, new InferenceCache(cachePath));
    expect(read.mock.calls.map(([f]) => f).sort()).toEqual(Object.keys(files).sort());
  });

  it('plans once while the files are unchanged, in the same process and in the next', () => {
    const plan = jest.spyOn(workspacePlan, 'planWorkspace');
    const cache = new InferenceCache(cachePath);
    cachedWorkspacePlan(Object.keys(files), readerOf(files), cache);
    cachedWorkspacePlan(Object.keys(files), readerOf(files), cache);
    cachedWorkspacePlan(Object.keys(files), readerOf(files), new InferenceCache(cachePath));
    expect(plan).toHaveBeenCalledTimes(1);
  });

  it('plans again when a file changes, appears or disappears', () => {
    const changed = { ...files, 'cmd/worker/main.go': mainUsing('example.com/shop/internal/greeting') };
    const added = { ...files, 'cmd/cron/main.go': mainUsing() };
    const { ['services/billing/project.json']: _, ...removed } = files;
    const workspaces = [files, changed, added, removed];
    const expected = workspaces.map(model);
    const plan = jest.spyOn(workspacePlan, 'planWorkspace');
    const cache = new InferenceCache(cachePath);
    expect(workspaces.map((contents) => cachedWorkspacePlan(Object.keys(contents), readerOf(contents), cache))).toEqual(expected);
    expect(plan).toHaveBeenCalledTimes(4);
  });

  it('passes the model’s error on and caches nothing for it', () => {
    const broken = { ...files, 'package.json': '{ "name": ' };
    const plan = jest.spyOn(workspacePlan, 'planWorkspace');
    const cache = new InferenceCache(cachePath);
    for (let i = 0; i < 2; i++) {
      expect(() => cachedWorkspacePlan(Object.keys(broken), readerOf(broken), cache)).toThrow('package.json: not valid JSON');
    }
    expect(plan).toHaveBeenCalledTimes(2);
  });

  it('does not fail on a file it cannot read when the model does not need it', () => {
    const { ['go.sum']: _, ...readable } = files;
    expect(cachedWorkspacePlan(Object.keys(files), readerOf(readable), new InferenceCache(cachePath))).toEqual(model(files));
  });
});

describe('Go project dependencies through the cache', () => {
  const expected = [
    { source: 'api', target: 'greeting', sourceFile: 'cmd/api/main.go', type: 'static' },
    { source: 'worker', target: 'jobs', sourceFile: 'cmd/worker/main.go', type: 'static' },
    { source: 'jobs', target: 'greeting', sourceFile: 'internal/jobs/jobs.go', type: 'static' },
    { source: 'billing-svc', target: 'jobs', sourceFile: 'services/billing/main.go', type: 'static' },
  ];
  const dependencies = (cache: InferenceCache, goFiles = fileMapOf(files), roots = projects, validate: (d: RawProjectGraphDependency) => void = jest.fn()) =>
    cachedGoProjectDependencies(dir, goFiles, roots, cache, validate);
  const sorted = (deps: Array<{ source: string; target: string }>) => [...deps].sort((a, b) => `${a.source}>${a.target}`.localeCompare(`${b.source}>${b.target}`));

  it('takes the import graph from the plan of createNodes when the Go files are the same, reading none of them', () => {
    const read = jest.spyOn(goFiles, 'readGoWorkspaceFromDisk');
    const cache = new InferenceCache(cachePath);
    cachedWorkspacePlan(Object.keys(files), readerOf(files), cache);
    expect(sorted(dependencies(cache))).toEqual(sorted(expected));
    expect(read).not.toHaveBeenCalled();
  });

  it('reads the Go files when createNodes saw other contents, or ran in another process', () => {
    const read = jest.spyOn(goFiles, 'readGoWorkspaceFromDisk');
    const cache = new InferenceCache(cachePath);
    cachedWorkspacePlan(Object.keys(files), readerOf({ ...files, 'cmd/api/main.go': mainUsing() }), cache);
    expect(sorted(dependencies(cache))).toEqual(sorted(expected));
    expect(sorted(dependencies(new InferenceCache(join(dir, 'other.json'))))).toEqual(sorted(expected));
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('answers from the cache file while neither the Go files nor the project roots change', () => {
    dependencies(new InferenceCache(cachePath));
    const read = jest.spyOn(goFiles, 'readGoWorkspaceFromDisk');
    expect(sorted(dependencies(new InferenceCache(cachePath)))).toEqual(sorted(expected));
    expect(read).not.toHaveBeenCalled();
  });

  it('computes again when a project is renamed or a Go file changes', () => {
    const cache = new InferenceCache(cachePath);
    dependencies(cache);
    const renamed = new Map([...projects, ['internal/jobs', 'job-queue']]);
    expect(dependencies(cache, fileMapOf(files), renamed).filter((d) => d.target === 'job-queue')).toHaveLength(2);
    writeFileSync(join(dir, 'services/billing/main.go'), mainUsing());
    const changed = fileMapOf({ ...files, 'services/billing/main.go': mainUsing() });
    expect(dependencies(cache, changed).some((d) => d.source === 'billing-svc')).toBe(false);
  });

  it('checks every dependency with Nx, whether computed or cached', () => {
    const cache = new InferenceCache(cachePath);
    const computed = jest.fn();
    const cached = jest.fn();
    dependencies(cache, fileMapOf(files), projects, computed);
    dependencies(cache, fileMapOf(files), projects, cached);
    expect(computed).toHaveBeenCalledTimes(4);
    expect(cached).toHaveBeenCalledTimes(4);
  });

  it('stops at a dependency Nx rejects and caches nothing', () => {
    const cache = new InferenceCache(cachePath);
    const reject = () => {
      throw new Error('Source file "cmd/api/main.go" does not exist in the workspace.');
    };
    expect(() => dependencies(cache, fileMapOf(files), projects, reject)).toThrow('does not exist');
    expect(() => dependencies(cache, fileMapOf(files), projects, reject)).toThrow('does not exist');
    expect(sorted(dependencies(cache))).toEqual(sorted(expected));
  });
});

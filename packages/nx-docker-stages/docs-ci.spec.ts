/**
 * Keeps docs/ci.md honest: its GitHub Actions and GitLab CI workflows are valid
 * YAML of the shape each CI system expects, they run the CI path the guide
 * describes (nx sync:check, then nx affected -t docker-build --parallel=3 with
 * the remote cache and a push), they pass the executor no option it lacks,
 * and every end-to-end test the docs cite by name exists.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const REPO_ROOT = join(__dirname, '..', '..');
const PAGE = 'docs/ci.md';
const AFFECTED = 'nx affected -t docker-build --parallel=3';
const CACHE_SERVER = 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER';

function readText(repoPath: string): string {
  return readFileSync(join(REPO_ROOT, repoPath), 'utf8');
}

/** The fenced yaml block right after a `<!-- workflow: <name> -->` comment. Throws when the marker or its fence is missing. */
function workflowText(markdown: string, name: string): string {
  const lines = markdown.split('\n');
  const marker = lines.findIndex((l) => l.trim() === `<!-- workflow: ${name} -->`);
  if (marker === -1) throw new Error(`${PAGE} has no "<!-- workflow: ${name} -->" marker`);
  const open = /^(`{3,})yaml\s*$/.exec(lines[marker + 1] ?? '');
  if (!open) throw new Error(`${PAGE}: the "${name}" marker must be followed directly by a \`\`\`yaml fence`);
  const close = lines.findIndex((l, i) => i > marker + 1 && l.trim() === open[1]);
  if (close === -1) throw new Error(`${PAGE}: the "${name}" workflow has no closing fence`);
  return `${lines.slice(marker + 2, close).join('\n')}\n`;
}

type Env = Record<string, unknown>;
interface GithubStep {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Env;
}
interface GithubWorkflow {
  on: unknown;
  env?: Env;
  jobs: Record<string, { 'runs-on': unknown; env?: Env; steps: GithubStep[] }>;
}
interface GitlabJob {
  script: string[];
  before_script?: string[];
  variables?: Env;
  image?: unknown;
}

/** Keys of a .gitlab-ci.yml that are not jobs. */
const GITLAB_GLOBAL_KEYS = new Set(['workflow', 'variables', 'stages', 'default', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** Flags of `nx affected` itself; any other flag goes to the executor, so it must be one of its options. */
const NX_FLAGS = new Set(['t', 'target', 'targets', 'base', 'head', 'parallel', 'configuration', 'c', 'output-style', 'outputStyle', 'skip-nx-cache', 'skipNxCache', 'exclude', 'verbose', 'nxBail', 'nx-bail']);

/** The flag names of the `nx affected -t docker-build` command in a script line. */
function affectedFlags(line: string): string[] {
  const command = line.slice(line.indexOf(AFFECTED));
  return [...command.matchAll(/(?:^|\s)--?([A-Za-z][\w-]*)/g)].map((m) => m[1]);
}

const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const executorOptions = new Set(
  Object.keys((JSON.parse(readText('packages/nx-docker-stages/src/executors/docker-build/schema.json')) as { properties: object }).properties),
);

describe('the GitHub Actions workflow in docs/ci.md', () => {
  const text = () => workflowText(readText(PAGE), 'github');
  const workflow = () => parse(text()) as GithubWorkflow;
  const steps = () => Object.values(workflow().jobs).flatMap((job) => job.steps);

  it('is valid YAML with an "on" trigger and jobs whose steps each use an action or run a command', () => {
    const doc = workflow();
    expect(doc).toEqual(expect.objectContaining({ on: expect.anything(), jobs: expect.any(Object) }));
    const jobs = Object.values(doc.jobs);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job['runs-on']).toBeDefined();
      expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true);
      for (const step of job.steps) expect({ step, usesOrRun: typeof step.uses === 'string' || typeof step.run === 'string' }).toEqual({ step, usesOrRun: true });
    }
  });

  it('checks out the whole history, installs with npm ci, logs in to the registry and sets the affected base and head', () => {
    const all = steps();
    expect(all.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(all.some((s) => s.uses?.startsWith('actions/setup-node@'))).toBe(true);
    expect(all.some((s) => s.run?.trim() === 'npm ci')).toBe(true);
    expect(all.some((s) => s.uses?.startsWith('docker/login-action@'))).toBe(true);
    expect(all.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@'))).toBe(true);
  });

  it('runs nx sync:check before nx affected -t docker-build --parallel=3, which gets the base and head and pushes', () => {
    const all = steps();
    const check = all.findIndex((s) => s.run?.includes('nx sync:check'));
    const build = all.findIndex((s) => s.run?.includes(AFFECTED));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(check);
    expect(all[build].run).toMatch(/--base=\S*NX_BASE/);
    expect(all[build].run).toMatch(/--head=\S*NX_HEAD/);
    expect(affectedFlags(all[build].run!)).toContain('push');
  });

  it('gives the nx affected step the remote cache server from the secrets', () => {
    const doc = workflow();
    const [job, step] = Object.values(doc.jobs)
      .flatMap((j) => j.steps.map((s) => [j, s] as const))
      .find(([, s]) => s.run?.includes(AFFECTED))!;
    const env = { ...doc.env, ...job.env, ...step.env };
    expect(env[CACHE_SERVER]).toMatch(/\$\{\{\s*secrets\./);
  });

  it('passes the docker-build executor no option that its schema lacks', () => {
    const build = steps().find((s) => s.run?.includes(AFFECTED))!;
    const unknown = affectedFlags(build.run!).filter((f) => !NX_FLAGS.has(f) && !executorOptions.has(camelCase(f)));
    expect(unknown).toEqual([]);
  });
});

describe('the GitLab CI configuration in docs/ci.md', () => {
  const config = () => parse(workflowText(readText(PAGE), 'gitlab')) as Record<string, unknown> & { variables?: Env };
  const jobs = () =>
    Object.entries(config())
      .filter(([key, value]) => !GITLAB_GLOBAL_KEYS.has(key) && !key.startsWith('.') && typeof value === 'object' && value !== null)
      .map(([, value]) => value as GitlabJob);
  const buildJob = () => jobs().find((job) => job.script.some((line) => line.includes(AFFECTED)))!;

  it('is valid YAML with a job that has a script', () => {
    expect(jobs().length).toBeGreaterThan(0);
    for (const job of jobs()) expect(Array.isArray(job.script) && job.script.length > 0).toBe(true);
  });

  it('runs nx sync:check before nx affected -t docker-build --parallel=3, which gets the base and head and pushes', () => {
    const job = buildJob();
    expect(job).toBeDefined();
    const check = job.script.findIndex((line) => line.includes('nx sync:check'));
    const build = job.script.findIndex((line) => line.includes(AFFECTED));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(check);
    expect(job.script[build]).toMatch(/--base=\S*NX_BASE/);
    expect(job.script[build]).toMatch(/--head=\S*NX_HEAD/);
    expect(affectedFlags(job.script[build])).toContain('push');
  });

  it('takes the base from the merge request or the previous commit, clones the whole history and logs in to the registry', () => {
    const job = buildJob();
    const before = (job.before_script ?? []).join('\n');
    expect(before).toContain('CI_MERGE_REQUEST_DIFF_BASE_SHA');
    expect(before).toContain('CI_COMMIT_BEFORE_SHA');
    expect(before).toMatch(/export NX_HEAD=/);
    expect(before).toMatch(/docker login/);
    expect(String({ ...config().variables, ...job.variables }.GIT_DEPTH)).toBe('0');
  });

  it('sets the remote cache server for the job', () => {
    const job = buildJob();
    expect({ ...config().variables, ...job.variables }[CACHE_SERVER]).toEqual(expect.any(String));
  });

  it('passes the docker-build executor no option that its schema lacks', () => {
    const line = buildJob().script.find((l) => l.includes(AFFECTED))!;
    const unknown = affectedFlags(line).filter((f) => !NX_FLAGS.has(f) && !executorOptions.has(camelCase(f)));
    expect(unknown).toEqual([]);
  });
});

describe('the end-to-end tests that docs/ cites', () => {
  /** Every `e2e: <suite>, "<test name>"` in the pages, with line breaks inside the name folded to spaces. */
  function citations(): Array<{ page: string; suite: string; name: string }> {
    return readdirSync(join(REPO_ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .flatMap((f) => {
        const text = readText(`docs/${f}`).replace(/\s*\n\s*/g, ' ');
        return [...text.matchAll(/e2e: ([\w.-]+\.e2e\.ts), "([^"]+)"/g)].map((m) => ({ page: `docs/${f}`, suite: m[1], name: m[2] }));
      });
  }

  it('cites at least one test for each claim of the CI guide', () => {
    expect(citations().filter((c) => c.page === PAGE).length).toBeGreaterThanOrEqual(10);
  });

  it('names only tests that exist in the suite it gives', () => {
    const missing = citations().filter(({ suite, name }) => !readText(`e2e/${suite}`).replace(/\s*\n\s*/g, ' ').includes(name));
    expect(missing).toEqual([]);
  });
});

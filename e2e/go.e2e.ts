/**
 * Go apps end to end: a real Nx workspace, the plugin installed from its
 * tarball, real nx commands, real BuildKit builds, and the images run.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  TEST_IMAGES,
  Workspace,
  NX_BIN,
  baseStepRuns,
  createWorkspace,
  nxEnvironment,
  docker,
  fileSizeInImage,
  fixtureFiles,
  imageSize,
  tasksFromCache,
  tasksRun,
} from './support/workspace';

jest.setTimeout(15 * 60 * 1000);

/** Pids of processes whose command line contains `text` (the engine's build steps show up on the host). */
function processesMatching(text: string): string[] {
  const out = spawnSync('pgrep', ['-f', '--', text.replace(/[()[\]{}.*+?^$|\\]/g, '\\$&')], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((pid) => pid && Number(pid) !== process.pid);
}

/** Polls `check` once a second, up to `seconds`; a bound on waiting, not a timing assertion. */
async function waitFor(check: () => boolean, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds; i++) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return check();
}

const setupArgs = [
  'g',
  'nx-docker-stages:setup',
  `--goImage=${TEST_IMAGES.goImage}`,
  `--goRuntimeImage=${TEST_IMAGES.goRuntimeImage}`,
  `--nodeImage=${TEST_IMAGES.nodeImage}`,
  `--nodeRuntimeImage=${TEST_IMAGES.nodeRuntimeImage}`,
];

/** Runs an image with no network, as a user would run it, and returns what it prints. */
function runImage(ref: string): string {
  return docker('run', '--rm', '--network', 'none', ref);
}

function expectSmallNonRootImage(app: string) {
  const ref = `${app}:latest`;
  expect(docker('image', 'inspect', '--format', '{{.Config.User}}', ref)).toBe('65532:65532');
  const binary = fileSizeInImage(ref, `/usr/local/bin/${app}`);
  const floor = binary + imageSize(TEST_IMAGES.goRuntimeImage);
  expect(imageSize(ref)).toBeLessThanOrEqual(1.05 * floor);
}

describe('the bundled example: Go apps in one module (cmd/, services/, internal/) and Node apps in an npm workspace', () => {
  let ws: Workspace;
  const goApps = ['api', 'cli', 'worker'];
  const apps = ['@shop/mailer', '@shop/storefront', ...goApps];

  beforeAll(() => {
    // Node installs need the registry, which only the host network reaches on these engines.
    ws = createWorkspace({ name: 'shop', files: fixtureFiles('examples/shop'), buildOptions: { network: 'host' } });
  });
  afterAll(() => ws?.remove());

  it('writes nothing on a dry run', () => {
    const output = ws.nx(...setupArgs, '--dry-run');
    expect(output).toContain('CREATE cmd/api/Dockerfile');
    expect(ws.exists('cmd/api/Dockerfile')).toBe(false);
    expect(ws.run('git', ['status', '--porcelain'])).toBe('');
  });

  it('generates a Dockerfile in each app’s project root and the .dockerignore, and a second run changes nothing', () => {
    const output = ws.nx(...setupArgs);
    const created = output.split('\n').filter((l) => l.startsWith('CREATE ')).sort();
    expect(created).toEqual([
      'CREATE .dockerignore',
      'CREATE apps/mailer/Dockerfile',
      'CREATE apps/storefront/Dockerfile',
      'CREATE cmd/api/Dockerfile',
      'CREATE cmd/worker/Dockerfile',
      'CREATE services/cli/Dockerfile',
    ]);
    for (const dir of ['cmd/api', 'cmd/worker', 'services/cli']) expect(ws.read(`${dir}/Dockerfile`)).toContain('FROM nx-docker-stages-test/go:1.23 AS go-base');
    expect(ws.read('.dockerignore')).toContain('.git\n');
    ws.commit('setup');
    const again = ws.nx(...setupArgs);
    expect(again).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(ws.run('git', ['status', '--porcelain'])).toBe('');
  });

  it('builds every Go and Node app image in one parallel run, and each prints what the app prints, as a non-root user', () => {
    // An empty build cache, so that the shared base stages really run in this test.
    docker('builder', 'prune', '--all', '--force');
    const output = ws.nx('run-many', '-t', 'docker-build', '--parallel=5', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    // The Go base stage's steps (the standard library and the module download) ran once for all the Go
    // apps, which shared them or reused them. Node apps have no base stage: Nx built them on the host.
    const once = (builds: number) => ({ step: expect.any(String), runs: 1, builds });
    expect(baseStepRuns(output)).toEqual({ 'go-base': [once(3), once(3)] });
    expect(tasksRun(output, 'build')).toEqual(['@shop/mailer']);
    expect(runImage('api:latest')).toBe('hello api (uid 65532)');
    expect(runImage('worker:latest')).toBe('hello job nightly (uid 65532)');
    expect(runImage('cli:latest')).toBe('cli ready (uid 65532)');
    expect(runImage('shop/storefront:latest')).toBe('storefront: delivery in 2 days (uid 65532)');
    expect(runImage('shop/mailer:latest')).toBe('mailer: 2 templates ready (uid 65532)');
    for (const app of goApps) expectSmallNonRootImage(app);
  });

  it('records the image id and tags of each build in dist/docker/<project>/metadata.json', () => {
    for (const app of apps) {
      const metadata = JSON.parse(ws.read(`dist/docker/${app}/metadata.json`));
      expect(metadata.tags).toEqual([`${app.replace(/^@/, '')}:latest`]);
      expect(metadata.imageId).toBe(docker('image', 'inspect', '--format', '{{.Id}}', metadata.tags[0]));
    }
  });

  it('serves a second run with no change entirely from the Nx cache', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    // Every image comes from the cache, and so do @shop/mailer's build (its package.json declares the build's outputs)
    // and the Node apps' dependency warm-ups (docker-deps).
    expect(tasksFromCache(output)).toEqual(apps);
    expect(tasksFromCache(output, 'docker-deps')).toEqual(['@shop/mailer', '@shop/storefront']);
    expect(output).toContain('Nx read the output from the cache instead of running the command for 8 out of 8 tasks');
  });

  it('puts the Go import edges in the project graph, and none for test-only imports', () => {
    ws.nx('graph', '--file=graph.json');
    const graph = JSON.parse(ws.read('graph.json')).graph;
    const edges = Object.values(graph.dependencies as Record<string, Array<{ source: string; target: string }>>)
      .flat()
      .filter((d) => !d.target.startsWith('npm:'))
      .map((d) => `${d.source} -> ${d.target}`)
      .sort();
    expect(edges).toEqual(['@shop/storefront -> @shop/pricing', 'api -> greeting', 'jobs -> greeting', 'worker -> jobs']);
    ws.run('rm', ['graph.json']);
  });

  it('rebuilds exactly the apps that import a changed library, directly or transitively', () => {
    ws.write('internal/greeting/greeting.go', ws.read('internal/greeting/greeting.go').replace('"hello "', '"hi "'));
    ws.commit('change greeting');
    const output = ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(tasksRun(output)).toEqual(['api', 'worker']);
    expect(runImage('api:latest')).toBe('hi api (uid 65532)');
    expect(runImage('worker:latest')).toBe('hi job nightly (uid 65532)');
  });

  it('rebuilds nothing when a package imported only by tests changes', () => {
    ws.write('internal/testonly/testonly.go', ws.read('internal/testonly/testonly.go').replace('42', '42 // the answer'));
    ws.commit('change a test-only package');
    const output = ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(tasksRun(output)).toEqual([]);
  });

  /** Commits the change and returns the docker-build tasks `nx affected` ran for that commit. */
  function affectedRunAfter(message: string, change: () => void): string[] {
    change();
    ws.commit(message);
    return tasksRun(ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--parallel=3', '--output-style=static'));
  }

  it('rebuilds exactly the Node apps that depend on a changed Node library', () => {
    const ran = affectedRunAfter('change the pricing library', () =>
      ws.write('libs/pricing/src/index.js', ws.read('libs/pricing/src/index.js').replace('`delivery in ', '`arrives in ')),
    );
    expect(ran).toEqual(['@shop/storefront']);
    expect(runImage('shop/storefront:latest')).toBe('storefront: arrives in 2 days (uid 65532)');
  });

  it('rebuilds only the app whose own stages changed in its Dockerfile', () => {
    const ran = affectedRunAfter('label the api image', () =>
      ws.write('cmd/api/Dockerfile', ws.read('cmd/api/Dockerfile').replace('AS api\n', 'AS api\nLABEL org.example.team="payments"\n')),
    );
    expect(ran).toEqual(['api']);
    expect(docker('image', 'inspect', '--format', '{{index .Config.Labels "org.example.team"}}', 'api:latest')).toBe('payments');
    // Back to what setup generates, so later sync checks see an untouched managed block.
    affectedRunAfter('unlabel the api image', () => ws.run('git', ['checkout', 'HEAD~1', '--', 'cmd/api/Dockerfile']));
  });

  it('rebuilds the Go apps of the module, and no Node app, when go.mod changes', () => {
    const ran = affectedRunAfter('touch go.mod', () => ws.write('go.mod', `${ws.read('go.mod')}\n// Owned by the platform team.\n`));
    expect(ran).toEqual(goApps);
  });

  it('rebuilds nothing when only the README or a docs page changes', () => {
    const ran = affectedRunAfter('docs only', () => {
      ws.write('README.md', `${ws.read('README.md')}\nOne more line.\n`);
      ws.write('docs/deploying.md', '# Deploying\n\nSee the CI guide.\n');
    });
    expect(ran).toEqual([]);
  });

  it('fails a broken build with the project and the failing step named, and caches nothing', () => {
    ws.write('services/cli/main.go', ws.read('services/cli/main.go').replace('fmt.Printf(', 'fmt.Printff('));
    const result = ws.attempt(NX_BIN(ws.root), ['run', 'cli:docker-build', '--output-style=static']);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/cli: building stage "cli" of services\/cli\/Dockerfile failed: the step `[^`]*GOENV=\/run\/secrets\/goenv go build [^`]*\.\/services\/cli` exited with code \d+/);
    expect(ws.exists('dist/docker/cli/metadata.json')).toBe(false);
    const again = ws.attempt(NX_BIN(ws.root), ['run', 'cli:docker-build', '--output-style=static']);
    expect(again.code).not.toBe(0);
    expect(again.output).not.toContain('[local cache]');
    ws.run('git', ['checkout', '--', 'services/cli/main.go']);
  });

  it('fails nx sync:check once an app imports a package its build stage does not copy, and nx sync fixes the Dockerfile', () => {
    ws.write(
      'services/cli/main.go',
      ws.read('services/cli/main.go')
        .replace('"os"\n)', '"os"\n\n\t"example.com/shop/internal/greeting"\n)')
        .replace('fmt.Printf("cli ready (uid %d)\\n", os.Getuid())', 'fmt.Printf("cli says %s (uid %d)\\n", greeting.Hello("you"), os.Getuid())'),
    );
    const check = ws.attempt(NX_BIN(ws.root), ['sync:check']);
    expect(check.code).not.toBe(0);
    expect(check.output).toContain('services/cli/Dockerfile does not match');
    const before = ws.read('services/cli/Dockerfile');
    ws.nx('sync');
    const after = ws.read('services/cli/Dockerfile');
    expect(after).not.toBe(before);
    expect(after).toMatch(/FROM go-base AS cli-build\nCOPY internal\/greeting \/src\/internal\/greeting\/\nCOPY services\/cli/);
    expect(ws.attempt(NX_BIN(ws.root), ['sync:check']).code).toBe(0);
    ws.nx('run', 'cli:docker-build', '--output-style=static');
    expect(runImage('cli:latest')).toBe('cli says hi you (uid 65532)');
    ws.run('git', ['checkout', '--', 'services/cli/main.go', 'services/cli/Dockerfile']);
  });

  it('stops the engine build and writes nothing when the run gets SIGTERM mid-build', async () => {
    const marker = 'setTimeout(() => {}, 600000)';
    // A person's own step after the managed blocks: part of the runtime stage, so it runs in the engine.
    ws.write('apps/mailer/Dockerfile', `${ws.read('apps/mailer/Dockerfile')}RUN node -e "${marker}"\n`);
    const running = () => processesMatching(marker);
    const nx = spawn(NX_BIN(ws.root), ['run', '@shop/mailer:docker-build', '--output-style=static'], {
      cwd: ws.root,
      env: { ...process.env, ...nxEnvironment(ws.root) },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => nx.on('exit', (code) => resolve(code)));
    expect(await waitFor(() => running().length > 0, 300)).toBe(true); // the slow build step runs in the engine
    nx.kill('SIGTERM');
    expect(await exited).not.toBe(0);
    expect(await waitFor(() => running().length === 0, 120)).toBe(true); // the engine cancelled it
    expect(processesMatching("--target shop-mailer --iidfile")).toEqual([]);
    expect(ws.exists('dist/docker/@shop/mailer/metadata.json')).toBe(false);
    expect(ws.exists('dist/docker/@shop/mailer/image.tar.gz')).toBe(false);
    ws.run('git', ['checkout', '--', 'apps/mailer/Dockerfile']);
  });
});

describe('a go.work workspace with a module outside it joined by replace', () => {
  let ws: Workspace;
  const apps = ['bye', 'hello', 'stats'];

  beforeAll(() => {
    ws = createWorkspace({ name: 'go-work', files: fixtureFiles('e2e/fixtures/go-work'), buildOptions: { network: 'none' } });
    ws.nx(...setupArgs);
    ws.commit('setup');
  });
  afterAll(() => ws?.remove());

  it('shares one base stage across the go.work modules and gives the replace module its own', () => {
    const bases = (file: string) => ws.read(file).split('\n').filter((l) => / AS \S+-base$/.test(l));
    expect(bases('apps/hello/Dockerfile')).toEqual(['FROM nx-docker-stages-test/go:1.23 AS go-base']);
    expect(bases('apps/bye/Dockerfile')).toEqual(['FROM nx-docker-stages-test/go:1.23 AS go-base']);
    expect(bases('services/stats/Dockerfile')).toEqual(['FROM nx-docker-stages-test/go:1.23 AS go-services-stats-base']);
  });

  it('builds and runs every app image, non-root and small', () => {
    const output = ws.nx('run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    for (const app of apps) {
      expect(runImage(`${app}:latest`)).toBe(`greetings from ${app} (uid 65532)`);
      expectSmallNonRootImage(app);
    }
  });

  it('rebuilds every app of both layouts when the shared module changes', () => {
    ws.write('libs/greet/greet.go', ws.read('libs/greet/greet.go').replace('"greetings from "', '"regards from "'));
    ws.commit('change the shared module');
    const output = ws.nx('affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    for (const app of apps) expect(runImage(`${app}:latest`)).toBe(`regards from ${app} (uid 65532)`);
  });

  it('rebuilds only the app whose own stages were edited; the others come from the cache', () => {
    ws.write('apps/hello/Dockerfile', ws.read('apps/hello/Dockerfile').replace('AS hello\n', 'AS hello\nLABEL org.example.edited="yes"\n'));
    const output = ws.nx('run-many', '-t', 'docker-build', '--output-style=static');
    expect(tasksRun(output)).toEqual(apps);
    expect(tasksFromCache(output)).toEqual(['bye', 'stats']);
    expect(docker('image', 'inspect', '--format', '{{index .Config.Labels "org.example.edited"}}', 'hello:latest')).toBe('yes');
  });

  it('with one app broken, still builds and caches the others, caches nothing for the broken one, and names it and its step', () => {
    ws.write('apps/bye/cmd/bye/main.go', ws.read('apps/bye/cmd/bye/main.go').replace('greet.Greet("bye")', 'greet.Greet(42)'));
    const run = () => ws.attempt(NX_BIN(ws.root), ['run-many', '-t', 'docker-build', '--parallel=3', '--output-style=static']);
    const first = run();
    expect(first.code).not.toBe(0);
    expect(first.output).toMatch(/bye: building stage "bye" of apps\/bye\/Dockerfile failed: the step `[^`]*GOENV=\/run\/secrets\/goenv go build [^`]*\.\/apps\/bye\/cmd\/bye` exited with code \d+/);
    expect(ws.exists('dist/docker/bye/metadata.json')).toBe(false);
    expect(ws.exists('dist/docker/hello/metadata.json') && ws.exists('dist/docker/stats/metadata.json')).toBe(true);
    const second = run();
    expect(second.code).not.toBe(0);
    expect(tasksFromCache(second.output)).toEqual(['hello', 'stats']);
    ws.run('git', ['checkout', '--', 'apps/bye/cmd/bye/main.go']);
  });
});

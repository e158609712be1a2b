import { GO_SHOP_FILES, goPlanOf } from './go-plan.fixture';
import { planGo } from './go-plan';
import { goProjectDependencies } from './go-project-dependencies';
import { goProjects } from './go-projects';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

const summary = (projects: ReturnType<typeof goProjects>) => projects.map((p) => `${p.type} ${p.name} @ ${p.root}${p.mainPackageDir && p.mainPackageDir !== p.root ? ` (main ${p.mainPackageDir})` : ''}`);

describe('Go app and library projects', () => {
  it.each(['cmd', 'apps', 'services'])('finds one app per main package under %s/<app> of a root go.mod', (folder) => {
    const ws = goWorkspaceOf({
      'go.mod': 'module example.com/shop\n',
      [`${folder}/api/main.go`]: mainUsing('example.com/shop/internal/greeting'),
      [`${folder}/worker/main.go`]: mainUsing(),
      'internal/greeting/greeting.go': libUsing('greeting'),
      'internal/greeting/format/f.go': libUsing('format'),
    });
    expect(summary(goProjects(ws, [])).sort()).toEqual([
      `app api @ ${folder}/api`,
      `app worker @ ${folder}/worker`,
      'library greeting @ internal/greeting',
    ]);
  });

  it('puts the app at its module folder, as @nx-go/nx-go does, when the module holds one main package', () => {
    const ws = goWorkspaceOf({
      'go.work': 'use ./apps/hello\nuse ./libs/greet\n',
      'apps/hello/go.mod': 'module example.com/hello\n',
      'apps/hello/cmd/hello/main.go': mainUsing('example.com/greet'),
      'libs/greet/go.mod': 'module example.com/greet\n',
      'libs/greet/greet.go': libUsing('greet'),
    });
    expect(summary(goProjects(ws, []))).toEqual(['app hello @ apps/hello (main apps/hello/cmd/hello)', 'library greet @ libs/greet']);
  });

  it('gives each main package its own project when a module holds several', () => {
    const ws = goWorkspaceOf({
      'svc/go.mod': 'module example.com/svc\n',
      'svc/cmd/server/main.go': mainUsing(),
      'svc/cmd/migrate/main.go': mainUsing(),
    });
    expect(summary(goProjects(ws, []))).toEqual(['library svc @ svc', 'app migrate @ svc/cmd/migrate', 'app server @ svc/cmd/server']);
  });

  it('keeps the name and root of a project declared in project.json', () => {
    const ws = goWorkspaceOf({ 'go.mod': 'module m\n', 'apps/api/cmd/server/main.go': mainUsing() });
    expect(summary(goProjects(ws, [{ root: 'apps/api', name: 'shop-api' }]))).toEqual(['app shop-api @ apps/api (main apps/api/cmd/server)']);
    expect(goProjects(ws, [{ root: 'apps/api', name: 'shop-api' }])[0].declared).toBe(true);
  });

  it('names projects by their path when two folders share a name', () => {
    const ws = goWorkspaceOf({ 'go.mod': 'module m\n', 'a/cmd/api/main.go': mainUsing(), 'b/cmd/api/main.go': mainUsing() });
    expect(goProjects(ws, []).map((p) => p.name)).toEqual(['a-cmd-api', 'b-cmd-api']);
  });

  it('names a project by its path when a declared project elsewhere has its folder name (Nx refuses two projects of one name)', () => {
    const ws = goWorkspaceOf({ 'go.mod': 'module m\n', 'cmd/api/main.go': mainUsing(), 'cmd/worker/main.go': mainUsing() });
    expect(goProjects(ws, [{ root: 'apps/api', name: 'api' }]).map((p) => p.name)).toEqual(['cmd-api', 'worker']);
  });
});

describe('the Go plan', () => {
  it('turns package imports into project dependencies, once per pair, with the importing file', () => {
    const plan = goPlanOf();
    const roots = new Map(plan.projects.map((p) => [p.root, p.name]));
    expect(goProjectDependencies(plan.importEdges, roots)).toEqual([
      { source: 'api', target: 'greeting', sourceFile: 'cmd/api/main.go' },
      { source: 'worker', target: 'jobs', sourceFile: 'cmd/worker/main.go' },
      { source: 'jobs', target: 'greeting', sourceFile: 'internal/jobs/jobs.go' },
    ].sort((a, b) => a.sourceFile.localeCompare(b.sourceFile)));
  });

  it('builds an app with cgo when a package of its closure has a cgo file, with the imports of its cgo and non-cgo files', () => {
    const files = {
      ...GO_SHOP_FILES,
      'internal/greeting/greeting_cgo.go': 'package greeting\n\n// #include <stdlib.h>\nimport "C"\n\nimport "example.com/shop/internal/native"\n',
      'internal/native/native.go': 'package native\n',
      'cmd/cli/main.go': mainUsing('example.com/shop/internal/plain'),
      'internal/plain/plain.go': libUsing('plain'),
      'internal/plain/plain_nocgo.go': '//go:build !cgo\n\npackage plain\n',
    };
    const plan = planGo(goWorkspaceOf(files), []);
    expect(plan.apps.map((a) => [a.projectName, a.cgo, a.copyDirs])).toEqual([
      ['api', true, ['cmd/api', 'internal/greeting', 'internal/native']],
      ['cli', false, ['cmd/cli', 'internal/plain']],
      ['worker', true, ['cmd/worker', 'internal/greeting', 'internal/jobs', 'internal/native']],
    ]);
    expect(goPlanOf().apps.map((a) => a.cgo)).toEqual([false, false]);
  });

  it('lists what each app image copies: only its package closure', () => {
    expect(goPlanOf().apps.map((a) => [a.projectName, a.copyDirs])).toEqual([
      ['api', ['cmd/api', 'internal/greeting']],
      ['worker', ['cmd/worker', 'internal/greeting', 'internal/jobs']],
    ]);
  });
});

import { mainUsing } from '../go/test-workspace';
import { shopFiles } from '../node/test-node-workspace';
import { declaredProjects } from '../workspace/declared-projects';
import { MODEL_FILES_GLOB, planWorkspace } from './workspace-plan';

function planOf(files: Record<string, unknown>) {
  const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const read = (file: string) => texts[file];
  return planWorkspace(Object.keys(texts), read, declaredProjects(Object.keys(texts), read));
}

describe('the workspace plan', () => {
  it('plans the Go apps and the Node apps of one workspace in one call', () => {
    const plan = planOf({ ...shopFiles, 'go.mod': 'module example.com/shop\n', 'cmd/api/main.go': mainUsing() });
    expect(plan.go.apps.map((a) => a.projectName)).toEqual(['api']);
    expect(plan.node?.apps.map((a) => a.projectName).sort()).toEqual(['@shop/ping', '@shop/report', '@shop/web']);
  });

  it('has no Go plan without a go.mod and no Node plan without a lockfile', () => {
    const plan = planOf({ 'package.json': { name: 'x' }, 'main.go': mainUsing() });
    expect(plan.go.apps).toEqual([]);
    expect(plan.node).toBeNull();
  });

  it('reads the files of both toolchains and of declared projects', () => {
    expect(MODEL_FILES_GLOB).toBe(
      '**/{go.mod,go.sum,go.work,go.work.sum,modules.txt,*.go,project.json,package.json,yarn.lock,pnpm-lock.yaml,package-lock.json,pnpm-workspace.yaml,.yarnrc.yml,.nvmrc,.node-version}',
    );
  });

  it('leaves a Go project with a project.json to the Go plan, out of the Node verdicts', () => {
    const plan = planOf({ ...shopFiles, 'go.mod': 'module example.com/shop\n', 'services/billing/project.json': { name: 'billing' }, 'services/billing/main.go': mainUsing() });
    expect(plan.go.apps.map((a) => a.projectName)).toEqual(['billing']);
    expect(plan.node?.verdicts.map((v) => v.project)).not.toContain('billing');
  });
});

describe('import problems', () => {
  const files: Record<string, string> = { 'go.mod': 'module m\n', 'cmd/api/main.go': mainUsing('github.com/nobody/nothing') };
  const plan = (checkImports?: boolean) => {
    const read = (f: string) => files[f];
    return planWorkspace(Object.keys(files), read, declaredProjects(Object.keys(files), read), { checkImports }).goProblems.map((p) => p.file);
  };

  it('are named only when asked (setup and sync), never in the graph computed on every nx command', () => {
    expect(plan(true)).toEqual(['cmd/api/main.go']);
    expect(plan()).toEqual([]);
  });
});

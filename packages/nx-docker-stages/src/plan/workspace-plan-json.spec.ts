import { mainUsing } from '../go/test-workspace';
import { shopFiles } from '../node/test-node-workspace';
import { declaredProjects } from '../workspace/declared-projects';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { planWorkspace } from './workspace-plan';
import { workspacePlanFromJson, workspacePlanToJson } from './workspace-plan-json';

function planOf(files: Record<string, unknown>) {
  const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const read = (file: string) => texts[file];
  return planWorkspace(Object.keys(texts), read, declaredProjects(Object.keys(texts), read));
}

const workspace = {
  ...shopFiles,
  'go.work': 'use ./svc/a\nuse ./svc/b\n',
  'svc/a/go.mod': 'module example.com/a\n',
  'svc/a/main.go': mainUsing('example.com/b/lib'),
  'svc/b/go.mod': 'module example.com/b\n',
  'svc/b/cmd/b/main.go': mainUsing(),
  'svc/b/lib/lib.go': 'package lib\n',
};
const throughJson = (plan: ReturnType<typeof planOf>) => workspacePlanFromJson(JSON.parse(JSON.stringify(workspacePlanToJson(plan))));

describe('a workspace plan as JSON', () => {
  it('comes back equal to the plan of the model', () => {
    const plan = planOf(workspace);
    expect(plan.go.apps).toHaveLength(2);
    expect(plan.node?.apps.length).toBeGreaterThan(1);
    expect(throughJson(plan)).toEqual(plan);
  });

  it('stores a unit shared by several apps once, and gives it back as one object', () => {
    const plan = planOf(workspace);
    const json = workspacePlanToJson(plan);
    expect(json.goUnits).toHaveLength(1);
    const [a, b] = throughJson(plan).go.apps;
    expect(a.unit).toBe(b.unit);
  });

  it('gives the Node apps back from the verdicts', () => {
    const plan = planOf(workspace);
    expect(throughJson(plan).node?.apps).toEqual(plan.node?.apps);
    expect(workspacePlanToJson(plan).plan.node).not.toHaveProperty('apps');
  });

  it('gives back the Go problems as errors that name their file', () => {
    const plan = planOf({ ...workspace, 'go.work': 'use ./svc/a\nuse ./svc/b\nuse ./svc/gone\n' });
    expect(plan.goProblems).toHaveLength(1);
    const [problem] = throughJson(plan).goProblems;
    expect(problem).toBeInstanceOf(WorkspaceFileError);
    expect(problem).toMatchObject({ file: 'go.work', message: plan.goProblems[0].message });
  });

  it('keeps a plan without Go or Node apps as it is', () => {
    const plan = planOf({ 'README.md': '' });
    expect(throughJson(plan)).toEqual(plan);
  });
});

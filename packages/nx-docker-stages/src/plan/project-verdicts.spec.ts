import { mainUsing } from '../go/test-workspace';
import { declaredProjects } from '../workspace/declared-projects';
import { projectVerdicts, verdictReport } from './project-verdicts';
import { planWorkspace } from './workspace-plan';

function planOf(files: Record<string, unknown>) {
  const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const read = (file: string) => texts[file];
  return planWorkspace(Object.keys(texts), read, declaredProjects(Object.keys(texts), read));
}

const workspace = {
  'go.mod': 'module example.com/shop\n',
  'cmd/api/main.go': mainUsing('example.com/shop/internal/greeting'),
  'internal/greeting/greeting.go': 'package greeting\n',
  'package.json': { name: 'shop', workspaces: ['apps/*', 'libs/*'] },
  'package-lock.json': '{}',
  'apps/web/package.json': { name: '@shop/web', scripts: { start: 'node main.js' } },
  'apps/site/package.json': { name: '@shop/site', scripts: { start: 'next start' } },
  'libs/ui/package.json': { name: '@shop/ui', exports: './index.js' },
};

describe('what each project gets', () => {
  it('gives every Go and Node project its verdict, with the fix for a skipped one', () => {
    expect(projectVerdicts(planOf(workspace)).map((v) => [v.project, v.toolchain, v.verdict, v.fix !== undefined])).toEqual([
      ['@shop/site', 'node', 'skipped', true],
      ['@shop/web', 'node', 'app', false],
      ['api', 'go', 'app', false],
      ['greeting', 'go', 'library', false],
      ['@shop/ui', 'node', 'library', false],
    ]);
  });

  it('reports apps first, then skipped projects with the file and the fix, then libraries', () => {
    const report = verdictReport(projectVerdicts(planOf(workspace)));
    expect(report.map((line) => line.split(':')[0])).toEqual(['@shop/web (apps/web, Node)', 'api (cmd/api, Go)', '@shop/site (apps/site, Node)', 'greeting (internal/greeting, Go)', '@shop/ui (libs/ui, Node)']);
    expect(report[2]).toMatch(/^@shop\/site \(apps\/site, Node\): skipped, no image: apps\/site\/package.json: its start script "next start" .*\. Fix: make the start script/);
  });
});

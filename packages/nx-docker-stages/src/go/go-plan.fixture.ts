/** A small single-module workspace, planned, for specs. */
import { GoPlan, planGo } from './go-plan';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

export function goPlanOf(): GoPlan {
  return planGo(
    goWorkspaceOf({
      'go.mod': 'module example.com/shop\n\ngo 1.19\n',
      'go.sum': '',
      'cmd/api/main.go': mainUsing('example.com/shop/internal/greeting'),
      'cmd/worker/main.go': mainUsing('example.com/shop/internal/jobs'),
      'internal/jobs/jobs.go': libUsing('jobs', 'example.com/shop/internal/greeting'),
      'internal/greeting/greeting.go': libUsing('greeting'),
    }),
    [],
  );
}

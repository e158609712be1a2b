/** A small single-module workspace, planned, for specs. */
import { GoPlan, planGo } from './go-plan';
import { goWorkspaceOf, libUsing, mainUsing } from './test-workspace';

/** Two Go apps in one module: api → greeting, worker → jobs → greeting. */
export const GO_SHOP_FILES: Record<string, string> = {
  'go.mod': 'module example.com/shop\n\ngo 1.19\n',
  'go.sum': '',
  'cmd/api/main.go': mainUsing('example.com/shop/internal/greeting'),
  'cmd/worker/main.go': mainUsing('example.com/shop/internal/jobs'),
  'internal/jobs/jobs.go': libUsing('jobs', 'example.com/shop/internal/greeting'),
  'internal/greeting/greeting.go': libUsing('greeting'),
};

export function goPlanOf(): GoPlan {
  return planGo(goWorkspaceOf(GO_SHOP_FILES), []);
}

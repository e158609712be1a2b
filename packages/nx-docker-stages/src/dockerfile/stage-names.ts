/**
 * Names of stages and managed blocks: one place, so the generator, the
 * inferred targets and the executor always agree.
 */
import { slugify } from '../workspace/slug';

/** Stage names must be lower case (BuildKit) and unique; project names may hold `@`, `/` and capitals. */
export function appStageSlug(projectName: string): string {
  return slugify(projectName);
}

export const stageNames = {
  goBase: (unitId: string) => `${unitId}-base`,
  build: (projectName: string) => `${appStageSlug(projectName)}-build`,
  deps: (projectName: string) => `${appStageSlug(projectName)}-deps`,
  runtime: (projectName: string) => appStageSlug(projectName),
};

export const blockIds = {
  header: 'header',
  goBase: (unitId: string) => `base:${unitId}`,
  app: (projectName: string) => `app:${appStageSlug(projectName)}`,
};

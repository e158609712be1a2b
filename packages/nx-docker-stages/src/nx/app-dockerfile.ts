/**
 * An app's Dockerfile as the executors read it: which file a target builds from (its "dockerfile"
 * option, else the file setup writes in the project), and its stages, checked to hold the one to
 * build. I/O: reads the file from disk; the parsing is dockerfile-stages'.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage, declaredBuildArgs, dockerfileStages, hasStage } from '../dockerfile/dockerfile-stages';
import { hasBlockMarkers } from '../dockerfile/managed-blocks';
import { appDockerfilePath } from '../dockerfile/render-dockerfile';
import { PLUGIN_OPTION_DEFAULTS } from './plugin-options';

/** The workspace-relative Dockerfile a target builds from. */
export function targetDockerfile(projectRoot: string, dockerfileOption: string | undefined): string {
  return dockerfileOption ?? appDockerfilePath(projectRoot, PLUGIN_OPTION_DEFAULTS.dockerfile);
}

/** The Dockerfile's stages when it exists and has the stage `target`; else the reason and its fix. */
export function readAppDockerfile(root: string, dockerfile: string, target: string, projectName: string): { stages: Stage[]; buildArgs: string[]; text: string } | { error: string } {
  if (!target) return { error: `${projectName}: the "target" option (the stage to build) is not set; set it to the app's runtime stage in ${dockerfile}, as the inferred target does` };
  const path = join(root, dockerfile);
  if (!existsSync(path)) {
    return { error: `${projectName}: ${dockerfile} not found; run \`nx g nx-docker-stages:setup\` to generate it` };
  }
  const text = readFileSync(path, 'utf8');
  const stages = dockerfileStages(text);
  if (!hasStage(stages, target)) {
    if (!hasBlockMarkers(text)) {
      return {
        error:
          `${projectName}: ${dockerfile} was not written by nx-docker-stages and has no stage "${target}"; setup leaves such a file alone. ` +
          'Generate the stages under another file name (nx g nx-docker-stages:setup --dockerfile=Dockerfile.nx), or move the file away and run setup again',
      };
    }
    return { error: `${projectName}: ${dockerfile} has no stage "${target}"; run \`nx g nx-docker-stages:setup\` to add the app's stages` };
  }
  return { stages, buildArgs: declaredBuildArgs(text), text };
}

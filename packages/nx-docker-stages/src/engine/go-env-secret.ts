/**
 * The BuildKit secret that carries this machine's Go module settings (GOPROXY, GOSUMDB, GOPRIVATE,
 * ...) to the Go steps that mount it: written for one build into its private scratch folder
 * (outside every build context, readable by its owner only), removed with it. The values are never
 * logged: the build's command line names the file only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GO_ENV_SECRET_ID, goEnvFilePath, goEnvFileText, machineGoNetworkSettings } from '../go/go-network-settings';
import { ImageBuildOptions } from './image-build-options';

type Secret = NonNullable<ImageBuildOptions['secrets']>[number];

/** The text of Go's env file on this machine, or '' when there is none (or it cannot be read). */
function machineGoEnvFile(env: NodeJS.ProcessEnv): string {
  const path = goEnvFilePath(env);
  if (!path) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The secret to add to a build of `dockerfileText`: none when no step mounts it, when the options
 * already provide one of that id (the user's own wins), or when the machine has no such settings.
 */
export function goEnvSecretFor(dockerfileText: string, secrets: Secret[] | undefined, scratch: string, env: NodeJS.ProcessEnv = process.env): Secret | undefined {
  if (!dockerfileText.includes(`id=${GO_ENV_SECRET_ID}`)) return undefined;
  if (secrets?.some((s) => s.id === GO_ENV_SECRET_ID)) return undefined;
  const settings = machineGoNetworkSettings(env, machineGoEnvFile(env));
  if (settings.length === 0) return undefined;
  const src = join(scratch, GO_ENV_SECRET_ID);
  writeFileSync(src, goEnvFileText(settings), { mode: 0o600 });
  return { id: GO_ENV_SECRET_ID, src };
}

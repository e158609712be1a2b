/**
 * The BuildKit secrets that carry this machine's Go module settings (GOPROXY, GOSUMDB, GOPRIVATE,
 * ...) and its .netrc (credentials for private module proxies and hosts) to the Go steps that mount
 * them. The settings are written for one build into its private scratch folder (outside every build
 * context, readable by its owner only), removed with it; the .netrc is handed over where it lies.
 * The values are never logged: the build's command line names the files only.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../nx-runtime';
import { GO_ENV_SECRET_ID, GO_NETRC_SECRET_ID, goEnvFilePath, goNetrcPaths, goEnvFileText, machineGoNetworkSettings, machineOnlySettings } from '../go/go-network-settings';
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
 * Warns, naming the setting, when one names a place only this machine reaches.
 */
export function goEnvSecretFor(
  { projectName, dockerfileText, secrets, network }: { projectName: string; dockerfileText: string; secrets?: Secret[]; network?: string },
  scratch: string,
  env: NodeJS.ProcessEnv = process.env,
): Secret | undefined {
  if (!dockerfileText.includes(`id=${GO_ENV_SECRET_ID}`)) return undefined;
  if (secrets?.some((s) => s.id === GO_ENV_SECRET_ID)) return undefined;
  const settings = machineGoNetworkSettings(env, machineGoEnvFile(env));
  if (settings.length === 0) return undefined;
  for (const key of machineOnlySettings(settings)) {
    if (network !== 'host') {
      logger.warn(
        `nx-docker-stages: ${projectName}: the machine's ${key} names a proxy on this machine's loopback or a file: path (the value is not shown), ` +
          'which the build steps in the engine cannot reach; set "network": "host" in the docker-build options (loopback only), or give the builds their own settings with a "goenv" entry in "secrets"',
      );
    }
  }
  const src = join(scratch, GO_ENV_SECRET_ID);
  writeFileSync(src, goEnvFileText(settings), { mode: 0o600 });
  return { id: GO_ENV_SECRET_ID, src };
}

/** Whether `path` is a file that can be read. */
function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The .netrc secret of a build of `dockerfileText`: the file Go on this machine reads ($NETRC, else
 * ~/.netrc), when a step mounts it, the options provide none of that id (the user's own wins), and the
 * file exists. Nothing when it does not: Go then sends no credentials, as on the machine.
 */
export function goNetrcSecretFor(
  { dockerfileText, secrets }: { dockerfileText: string; secrets?: Secret[] },
  env: NodeJS.ProcessEnv = process.env,
): Secret | undefined {
  if (!dockerfileText.includes(`id=${GO_NETRC_SECRET_ID}`)) return undefined;
  if (secrets?.some((s) => s.id === GO_NETRC_SECRET_ID)) return undefined;
  const src = goNetrcPaths(env).find(isReadableFile);
  return src ? { id: GO_NETRC_SECRET_ID, src } : undefined;
}

/** The options' secrets and the Go secrets a build of `dockerfileText` adds to them. */
export function withGoBuildSecrets(
  build: { projectName: string; dockerfileText: string; secrets?: Secret[]; network?: string },
  scratch: string,
  env: NodeJS.ProcessEnv = process.env,
): Secret[] | undefined {
  const added = [goEnvSecretFor(build, scratch, env), goNetrcSecretFor(build, env)].filter((s): s is Secret => s !== undefined);
  return added.length > 0 ? [...(build.secrets ?? []), ...added] : build.secrets;
}

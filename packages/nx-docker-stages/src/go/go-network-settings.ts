/**
 * The Go settings of the machine that decide where `go` fetches modules from and how it checks them
 * (GOPROXY, GOSUMDB, GOPRIVATE, ...), as the Go steps of the images receive them: a BuildKit secret in the
 * format of Go's own env file (`go env -w`), which those steps name with GOENV. A secret, because a
 * proxy URL may hold a token: never a build arg, an ENV, a layer or metadata.json. Pure: the
 * machine's environment and env-file text in, the secret's text out.
 */

/** The id of the secret, shared by the stages that mount it and the build that provides it. */
export const GO_ENV_SECRET_ID = 'goenv';

/** Where the Go steps mount it. */
export const GO_ENV_SECRET_PATH = `/run/secrets/${GO_ENV_SECRET_ID}`;

/**
 * The settings that decide where modules are fetched from and how they are checked (go help
 * environment). Nothing that changes what is built: a secret is not part of any cache key, so a
 * machine's GOFLAGS (`-tags`, `-mod`, `-ldflags`), GOOS or CGO_ENABLED reaching a build would give
 * two machines different images under one cache entry. Those are the image's and the options'.
 */
export const GO_NETWORK_SETTINGS = ['GOPROXY', 'GONOPROXY', 'GOPRIVATE', 'GONOSUMDB', 'GOSUMDB', 'GOINSECURE', 'GOAUTH', 'GOVCS'] as const;

/**
 * The env file Go reads (cmd/go's GOENV): $GOENV, none when it is "off", else os.UserConfigDir()/go/env
 * ($XDG_CONFIG_HOME, else $HOME/.config, on Linux). Undefined when there is none to read.
 */
export function goEnvFilePath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GOENV) return env.GOENV === 'off' ? undefined : env.GOENV;
  const config = env.XDG_CONFIG_HOME || (env.HOME ? `${env.HOME}/.config` : undefined);
  return config ? `${config}/go/env` : undefined;
}

/** `KEY=VALUE` lines of a Go env file, as cmd/go reads them (blank lines and lines without `=` skipped). */
function envFileEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) entries.set(line.slice(0, eq).trim(), line.slice(eq + 1).replace(/\r$/, ''));
  }
  return entries;
}

/**
 * The network settings Go on this machine uses: each from the environment when set there and not
 * empty (as cmd/go reads them), else from its env file. A value with a line break cannot be written
 * to an env file and is left out.
 */
export function machineGoNetworkSettings(env: Readonly<Record<string, string | undefined>>, envFileText = ''): Array<[string, string]> {
  const fromFile = envFileEntries(envFileText);
  const settings: Array<[string, string]> = [];
  for (const key of GO_NETWORK_SETTINGS) {
    const value = env[key] || fromFile.get(key);
    if (value && !/[\r\n]/.test(value)) settings.push([key, value]);
  }
  return settings;
}

/** The secret's text: a Go env file of those settings. */
export function goEnvFileText(settings: Array<[string, string]>): string {
  return settings.map(([key, value]) => `${key}=${value}\n`).join('');
}

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
 * The id of the secret that carries the machine's .netrc: the credentials Go sends to module proxies
 * and hosts over HTTPS (and git's HTTPS fetches of GOPRIVATE modules read too). A secret for the same
 * reasons as the settings, and never part of any cache key.
 */
export const GO_NETRC_SECRET_ID = 'netrc';

/** Where the Go steps mount it: the .netrc of the stages' root user, where both Go and git (through curl) look. */
export const GO_NETRC_TARGET = '/root/.netrc';

/**
 * The settings that decide where modules are fetched from and how they are checked (go help
 * environment). Nothing that changes what is built: a secret is not part of any cache key, so a
 * machine's GOFLAGS (`-tags`, `-mod`, `-ldflags`), GOOS or CGO_ENABLED reaching a build would give
 * two machines different images under one cache entry. Those are the image's and the options'.
 */
export const GO_NETWORK_SETTINGS = ['GOPROXY', 'GONOPROXY', 'GOPRIVATE', 'GONOSUMDB', 'GOSUMDB', 'GOINSECURE', 'GOAUTH', 'GOVCS'] as const;

/**
 * The env file Go reads (cmd/go's GOENV): $GOENV, none when it is "off", else <user config folder>/go/env,
 * the folder as Go's os.UserConfigDir finds it on each platform. Undefined when there is none to read.
 */
export function goEnvFilePath(env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): string | undefined {
  if (env.GOENV) return env.GOENV === 'off' ? undefined : env.GOENV;
  const config = userConfigDir(env, platform);
  return config ? `${config}${platform === 'win32' ? '\\' : '/'}go${platform === 'win32' ? '\\' : '/'}env` : undefined;
}

/**
 * The files, in order, of which Go on this machine reads the first that exists as its .netrc (cmd/go's
 * netrcPath): $NETRC alone when set; else in the home folder `.netrc`, on Windows `_netrc` first.
 */
export function goNetrcPaths(env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): string[] {
  if (env.NETRC) return [env.NETRC];
  const home = platform === 'win32' ? env.USERPROFILE : env.HOME;
  if (!home) return [];
  return platform === 'win32' ? [`${home}\\_netrc`, `${home}\\.netrc`] : [`${home}/.netrc`];
}

/** Go's os.UserConfigDir: %AppData% on Windows, ~/Library/Application Support on macOS, else $XDG_CONFIG_HOME or ~/.config. */
function userConfigDir(env: Readonly<Record<string, string | undefined>>, platform: string): string | undefined {
  if (platform === 'win32') return env.AppData || env.APPDATA || undefined;
  if (platform === 'darwin') return env.HOME ? `${env.HOME}/Library/Application Support` : undefined;
  return env.XDG_CONFIG_HOME || (env.HOME ? `${env.HOME}/.config` : undefined);
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

/**
 * The settings whose value only this machine can follow: a proxy on loopback (localhost, 127.0.0.0/8,
 * ::1) or a file: URL. A build step in the engine reaches neither unless it shares the host's network
 * (loopback) or never (a path of the host). Names only: the values may hold a token.
 */
export function machineOnlySettings(settings: Array<[string, string]>): string[] {
  const local = /(^|[,|])\s*(file:|[a-z]+:\/\/(?:[^@/,|]*@)?(?:localhost|127(?:\.\d+){3}|\[::1\])(?:[:/,|]|$))/i;
  return settings.filter(([key, value]) => (key === 'GOPROXY' || key === 'GOSUMDB') && local.test(value)).map(([key]) => key);
}


/**
 * The build settings of a Go app's image (the docker-build options goTags, goLdflags and goEnv): checked,
 * then turned into the build args its build stage declares. They are options, so part of the task's
 * hash; the version stamp in goLdflags ({sha}, {shortSha}, {describe}) is not: it is filled in when
 * the task runs, from the commit being built. Pure: options and stamp values in, build args out.
 */
import { GO_NETWORK_SETTINGS } from './go-network-settings';

/** The build args of the Go build stage (render-go-stages.ts declares them, the executor passes them). */
export const GO_BUILD_ARGS = { tags: 'GO_TAGS', ldflags: 'GO_LDFLAGS', env: 'GO_ENV' } as const;

/**
 * Separates the entries of GO_ENV: the build step splits on it alone (IFS), so a value may hold spaces
 * and quotes (GOFLAGS=-tags=a -mod=mod). A control character no setting needs.
 */
export const GO_ENV_SEPARATOR = '\x1f';

/** The stamp placeholders of goLdflags, filled in from the commit being built. */
export const STAMP_PLACEHOLDERS = ['sha', 'shortSha', 'describe'] as const;
export type StampPlaceholder = (typeof STAMP_PLACEHOLDERS)[number];
export type StampValues = Partial<Record<StampPlaceholder, string>>;

export interface GoBuildSettings {
  goTags?: string[];
  goLdflags?: string;
  goEnv?: Record<string, string>;
}

/**
 * What the stages decide themselves (the platform, the stage's folders, the image's Go) or what comes
 * from the machine (where modules come from): not settable per app. CGO_ENABLED is, but the generated
 * stages follow it (the runtime image must hold the C library a cgo binary links): see cgoSetting.
 */
const STAGE_OWNED_ENV = new Set(['GOOS', 'GOARCH', 'GOTOOLCHAIN', 'GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOWORK', 'GOENV', 'GOROOT', 'GOBIN']);
const NETWORK_ENV = new Set<string>(GO_NETWORK_SETTINGS);

/** A build tag as Go accepts it: letters, digits, `_` and `.` (go/build). */
const BUILD_TAG = /^[\p{L}\p{N}_.]+$/u;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The stamp placeholders a goLdflags value uses, each once. */
export function stampPlaceholdersIn(ldflags: string | undefined): StampPlaceholder[] {
  const used = new Set<StampPlaceholder>();
  for (const [, name] of (ldflags ?? '').matchAll(PLACEHOLDER)) {
    if ((STAMP_PLACEHOLDERS as readonly string[]).includes(name)) used.add(name as StampPlaceholder);
  }
  return [...used];
}

/**
 * The first problem of the settings, named with the option and the fix, or undefined. `credentialShapeOf`
 * tells a value that looks like a credential: build args are recorded in the image history.
 */
export function goBuildSettingsProblem(
  projectName: string,
  settings: GoBuildSettings & { buildArgs?: Record<string, string> },
  credentialShapeOf: (value: string) => string | undefined,
): string | undefined {
  const { goTags, goLdflags, goEnv, buildArgs } = settings;
  for (const name of Object.values(GO_BUILD_ARGS)) {
    if (buildArgs && Object.prototype.hasOwnProperty.call(buildArgs, name)) {
      return `${projectName}: build arg "${name}" is set from the Go build settings; remove it from "buildArgs" and use "goTags", "goLdflags" or "goEnv"`;
    }
  }
  for (const tag of goTags ?? []) {
    if (typeof tag !== 'string' || !BUILD_TAG.test(tag)) {
      return `${projectName}: "goTags" holds ${JSON.stringify(tag)}, which is not a Go build tag (letters, digits, '_' and '.'); fix "goTags"`;
    }
  }
  if (goLdflags !== undefined) {
    if (/[\r\n\0]/.test(goLdflags)) return `${projectName}: "goLdflags" holds a line break; write the flags on one line`;
    for (const [placeholder, name] of goLdflags.matchAll(PLACEHOLDER)) {
      if (!(STAMP_PLACEHOLDERS as readonly string[]).includes(name)) {
        return `${projectName}: "goLdflags" uses ${placeholder}, which is not a stamp placeholder; use ${STAMP_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
      }
    }
    const shape = credentialShapeOf(goLdflags);
    if (shape) return `${projectName}: "goLdflags" looks like it holds ${shape} (not shown here), and the flags are recorded in the image history and metadata.json; keep credentials out of the binary`;
  }
  for (const [key, value] of Object.entries(goEnv ?? {})) {
    if (!ENV_NAME.test(key)) return `${projectName}: "goEnv" has the name ${JSON.stringify(key)}, which is not an environment variable name; fix "goEnv"`;
    if (STAGE_OWNED_ENV.has(key)) {
      return `${projectName}: "goEnv" sets ${key}, which the Go stages set themselves (a static build for the runtime stage, in the stage's folders, with the image's Go); remove it from "goEnv"`;
    }
    if (NETWORK_ENV.has(key)) {
      return `${projectName}: "goEnv" sets ${key}, which the Go steps take from the machine's Go settings (see docs/go.md#module-downloads-and-the-machines-go-settings); remove it from "goEnv"`;
    }
    if (typeof value !== 'string' || /[\r\n\0\x1f]/.test(value)) return `${projectName}: "goEnv".${key} must be a string on one line; fix "goEnv"`;
    if (key === 'CGO_ENABLED' && value !== '0' && value !== '1') return `${projectName}: "goEnv".CGO_ENABLED is "${value}"; set it to "1" (build with cgo) or "0" (without)`;
    const shape = credentialShapeOf(value);
    if (shape) {
      return `${projectName}: "goEnv".${key} looks like ${shape} (not shown here), and the settings are recorded in the image history and metadata.json; pass it in "secrets" instead`;
    }
  }
  return undefined;
}

/** goLdflags with its placeholders filled in. Throws when a value it uses is missing. */
export function stampedLdflags(ldflags: string, stamp: StampValues): string {
  return ldflags.replace(PLACEHOLDER, (whole, name: StampPlaceholder) => {
    const value = stamp[name];
    if (value === undefined) throw new Error(`no value for ${whole}`);
    return value;
  });
}

/** The build args of the settings (only those set), the stamp filled in. */
export function goBuildArgs(settings: GoBuildSettings, stamp: StampValues): Record<string, string> {
  const args: Record<string, string> = {};
  if (settings.goTags?.length) args[GO_BUILD_ARGS.tags] = settings.goTags.join(',');
  if (settings.goLdflags) args[GO_BUILD_ARGS.ldflags] = stampedLdflags(settings.goLdflags, stamp);
  // CGO_ENABLED is the generated stages' (cgoSetting): the build stage sets it, and the runtime image follows.
  const env = Object.entries(settings.goEnv ?? {}).filter(([key]) => key !== 'CGO_ENABLED');
  if (env.length) args[GO_BUILD_ARGS.env] = env.map(([key, value]) => `${key}=${value}`).join(GO_ENV_SEPARATOR);
  return args;
}

/** Whether any setting is given. */
export function hasGoBuildSettings(settings: GoBuildSettings): boolean {
  return Boolean(settings.goTags?.length || settings.goLdflags || Object.keys(settings.goEnv ?? {}).length);
}

/**
 * What goEnv says about cgo: true for CGO_ENABLED "1", false for "0", undefined when it does not set it
 * (the app is then built with cgo when one of its packages uses it). Read by the generators from the
 * options they can see, so that the stages match.
 */
export function cgoSetting(goEnv: unknown): boolean | undefined {
  const value = goEnv && typeof goEnv === 'object' ? (goEnv as Record<string, unknown>).CGO_ENABLED : undefined;
  return value === '1' ? true : value === '0' ? false : undefined;
}

/** Whether a Dockerfile's Go build stage builds with cgo (render-go-stages.ts writes the line). */
export function buildsWithCgo(dockerfileText: string): boolean {
  return /^ENV CGO_ENABLED=1\s*$/m.test(dockerfileText);
}

/**
 * A CGO_ENABLED in goEnv that the Dockerfile's stages do not follow (set where the generators cannot read
 * it, or the stages not synced since): the image would be built one way and run on the other's base.
 */
export function cgoMismatchProblem(projectName: string, goEnv: Record<string, string> | undefined, dockerfile: string, dockerfileText: string): string | undefined {
  const wanted = cgoSetting(goEnv);
  if (wanted === undefined || wanted === buildsWithCgo(dockerfileText)) return undefined;
  return (
    `${projectName}: "goEnv" sets CGO_ENABLED=${wanted ? 1 : 0}, and the stages of ${dockerfile} build ${wanted ? 'without' : 'with'} cgo; ` +
    'set it in the options nx sync reads (the project\'s project.json, or nx.json targetDefaults without a filter, not a configuration or the command line) and run `nx sync`'
  );
}

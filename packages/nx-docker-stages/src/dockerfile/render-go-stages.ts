/**
 * Renders the Dockerfile stages of Go apps: one base stage per unit (go.work
 * or module), then per app a build stage and a runtime stage. Pure: plain
 * data in, managed blocks out.
 */
import { goImageOfUnit } from '../go/go-image';
import { GO_BUILD_ARGS, GO_ENV_SEPARATOR } from '../go/go-build-settings';
import { GoAppPlan } from '../go/go-plan';
import { GO_ENV_SECRET_ID, GO_ENV_SECRET_PATH, GO_NETRC_SECRET_ID, GO_NETRC_TARGET } from '../go/go-network-settings';
import { GoUnit } from '../go/go-workspace';
import { pathInDir } from '../workspace/workspace-paths';
import { ManagedBlock, blockBody } from './managed-blocks';
import { NON_ROOT_USER } from './non-root-user';
import { blockIds, stageNames } from './stage-names';

export interface GoImages {
  /** Toolchain image of the base and build stages; unset: the image of the Go each unit asks for (goImageFor). */
  goImage?: string;
  /** Image of the runtime stages; `scratch` is allowed. */
  goRuntimeImage: string;
  /** Image of the runtime stages of apps built with cgo: one with the C library they link. */
  goCgoRuntimeImage: string;
}

const MOD_CACHE = '/go/pkg/mod';
/** The machine's Go module settings and .netrc: secrets the build provides (engine/go-build-secrets.ts), absent when it has none. */
const GO_ENV_MOUNT = `--mount=type=secret,id=${GO_ENV_SECRET_ID}`;
const GO_NETRC_MOUNT = `--mount=type=secret,id=${GO_NETRC_SECRET_ID},target=${GO_NETRC_TARGET}`;
const BUILD_CACHE = '/root/.cache/go-build';
/**
 * Standard library packages the base stage compiles: an HTTP service's, with their imports about half
 * the library (151 of 304 packages in Go 1.23; compiling them took 34 s, the other half 33 s more).
 * All exist since Go 1.0, so the step works with any Go image.
 */
const PRECOMPILED_STD = ['encoding/json', 'flag', 'net/http', 'os/signal'];

/** Absolute destinations under /src mirror the workspace layout, whatever the WORKDIR. */
function srcDir(dir: string): string {
  return `${pathInDir('/src', dir)}/`;
}

/** Paths the plain form of COPY would split or misread (whitespace, quotes, a leading `[`). */
const NEEDS_JSON_FORM = /[\s"'\\]|^\[/;

/** `COPY a b dest/`, in the JSON form when a path holds a space or a quote, so every path stays one argument. */
function copyInstruction(paths: string[]): string {
  return paths.some((p) => NEEDS_JSON_FORM.test(p)) ? `COPY ${JSON.stringify(paths).replace(/","/g, '", "')}` : `COPY ${paths.join(' ')}`;
}

/** A shell word: as it is when it is plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function renderGoBaseStage(unit: GoUnit, images: Pick<GoImages, 'goImage'>): ManagedBlock {
  const lines = [
    `# Base stage for the Go ${unit.kind === 'work' ? `workspace ${pathInDir(unit.dir, 'go.work')}` : `module ${pathInDir(unit.dir, 'go.mod')}`}:`,
    '# module files only, so dependencies download once and stay cached until they change.',
    `FROM ${images.goImage ?? goImageOfUnit(unit).image} AS ${stageNames.goBase(unit.id)}`,
    // GOWORK=off: a module outside any go.work must not be built in workspace mode because a go.work sits above it.
    `ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOPATH=/go GOMODCACHE=${MOD_CACHE} GOCACHE=${BUILD_CACHE}${unit.kind === 'module' ? ' GOWORK=off' : ''}`,
    // Go (1.20+) ships no compiled standard library; without this, every app's build stage would compile
    // what it imports of it, all at once when Nx runs them in parallel. Outside any module, and before the
    // module files, so that neither a go.work nor a go.mod change runs it again. Same flags as the app
    // builds (-trimpath). A fixed list, not the workspace's imports: an import must not change the base.
    '# The standard library packages services use (and what they import), compiled once into the shared',
    '# build cache for every app of this base; the rest compiles in the app builds that import it.',
    `RUN --mount=type=cache,target=${BUILD_CACHE} cd / && GOWORK=off go build -trimpath ${PRECOMPILED_STD.join(' ')}`,
  ];
  if (unit.kind === 'work') {
    const files = ['go.work', ...(unit.hasGoWorkSum ? ['go.work.sum'] : [])].map((f) => pathInDir(unit.dir, f));
    lines.push(copyInstruction([...files, srcDir(unit.dir)]));
  }
  for (const moduleDir of unit.moduleDirs) {
    const files = [pathInDir(moduleDir, 'go.mod'), ...(unit.goSumDirs.includes(moduleDir) ? [pathInDir(moduleDir, 'go.sum')] : [])];
    lines.push(copyInstruction([...files, srcDir(moduleDir)]));
  }
  if (unit.vendorDir) lines.push(copyInstruction([unit.vendorDir, srcDir(unit.vendorDir)]));
  lines.push(`WORKDIR ${pathInDir('/src', unit.dir)}`);
  if (unit.vendorDir) {
    lines.push(`# Vendored modules (${pathInDir(unit.vendorDir, 'modules.txt')}): the builds read ${unit.vendorDir}/ (-mod=vendor); nothing is downloaded.`);
  } else if (unit.kind === 'work' && unit.goSumDirs.length === 0 && !unit.hasGoWorkSum) {
    // `go mod download` in workspace mode (measured with Go 1.19 and 1.23) also fetches the required versions of the
    // workspace's own modules, which exist nowhere; with no go.sum there is nothing external to fetch.
    lines.push('# No go.sum in this workspace: no external modules to download.');
  } else {
    lines.push(
      "# The machine's module settings (GOPROXY, GOSUMDB, GOPRIVATE...) and .netrc come as BuildKit secrets, never a layer.",
      `RUN --mount=type=cache,target=${MOD_CACHE} \\`,
      `    ${GO_ENV_MOUNT} \\`,
      `    ${GO_NETRC_MOUNT} \\`,
      `    GOENV=${GO_ENV_SECRET_PATH} go mod download`,
    );
  }
  return { id: blockIds.goBase(unit.id), body: blockBody(lines) };
}

/** The path of a package relative to the unit's directory, as `go build` wants it. */
function packageArg(unitDir: string, pkgDir: string): string {
  if (unitDir === '.') return pkgDir === '.' ? '.' : `./${pkgDir}`;
  if (pkgDir === unitDir) return '.';
  return `./${pkgDir.slice(unitDir.length + 1)}`;
}

/** goEnv's entries are split on their separator alone (no globbing), so values keep their spaces and quotes. */
const SPLIT_GO_ENV = `set -f; IFS="$(printf '\\${GO_ENV_SEPARATOR.charCodeAt(0).toString(8).padStart(3, '0')}')";`;

/** The line a static build's cgo check prints before it stops (build-failure.ts recognises it). */
export const CGO_CHECK_MESSAGE = 'nx-docker-stages: packages that use cgo in an app built without it:';

function modFlag(app: GoAppPlan): string {
  return app.unit.vendorDir ? ' -mod=vendor' : '';
}

/**
 * A static app's check that no package it imports uses cgo. The plan sees cgo in the workspace's own
 * packages only (it does not read the module cache), and a module's cgo package built without cgo
 * compiles its pure-Go stand-in, which may fail only at run time (go-sqlite3's does): Go itself lists
 * the packages with cgo files, as they would build with cgo, and the step stops naming them.
 */
function cgoCheckStep(app: GoAppPlan): string[] {
  const { tags, env } = GO_BUILD_ARGS;
  const list = `CGO_ENABLED=1 go list${modFlag(app)} -deps -tags="$${tags}" -f '{{if and (not .Standard) .CgoFiles}}{{.ImportPath}} {{end}}'`;
  return [
    "# Stops when a package the app imports uses cgo (a module's, say): built without cgo, its pure-Go stand-in would be.",
    `RUN --mount=type=cache,target=${MOD_CACHE} \\`,
    `    ${GO_ENV_MOUNT} \\`,
    `    ${GO_NETRC_MOUNT} \\`,
    `    ${SPLIT_GO_ENV} cgo="$(env $${env} GOENV=${GO_ENV_SECRET_PATH} ${list} ${shellWord(packageArg(app.unit.dir, app.mainPackageDir))} | tr -d '\\n')"; \\`,
    `    if [ -n "$cgo" ]; then echo "${CGO_CHECK_MESSAGE} $cgo" >&2; exit 1; fi`,
  ];
}

export function renderGoAppStages(app: GoAppPlan, images: GoImages): ManagedBlock {
  const build = stageNames.build(app.projectName);
  const runtime = stageNames.runtime(app.projectName);
  const binary = `/usr/local/bin/${runtime}`;
  const runtimeImage = app.cgo ? images.goCgoRuntimeImage : images.goRuntimeImage;
  // The options refuse scratch for cgo apps (nx/plugin-options.ts).
  const scratch = runtimeImage === 'scratch';
  const { tags, ldflags, env } = GO_BUILD_ARGS;
  // scratch has no zoneinfo: embed it in the binary instead of copying a folder. Go ignores the empty tag of "timetzdata,".
  const tagList = scratch ? `timetzdata,$${tags}` : `$${tags}`;
  const lines = [
    app.cgo
      ? `# Build stage for ${app.projectName}: copies only its package closure and compiles a binary linked with the C library (cgo).`
      : `# Build stage for ${app.projectName}: copies only its package closure and compiles a static binary.`,
    `FROM ${stageNames.goBase(app.unit.id)} AS ${build}`,
    ...(app.cgo ? ['ENV CGO_ENABLED=1'] : []),
    ...app.copyDirs.map((dir) => copyInstruction([dir, srcDir(dir)])),
    '# The docker-build options goTags, goLdflags (its stamp filled in when the task runs) and goEnv (entries split on \\037 alone).',
    `ARG ${tags}=""`,
    `ARG ${ldflags}=""`,
    `ARG ${env}=""`,
    ...(app.cgo || app.cgoSetByPerson ? [] : cgoCheckStep(app)),
    `RUN --mount=type=cache,target=${MOD_CACHE} \\`,
    `    --mount=type=cache,target=${BUILD_CACHE} \\`,
    `    ${GO_ENV_MOUNT} \\`,
    `    ${GO_NETRC_MOUNT} \\`,
    `    ${SPLIT_GO_ENV} env $${env} GOENV=${GO_ENV_SECRET_PATH} \\`,
    `    go build${modFlag(app)} -trimpath -tags="${tagList}" -ldflags="-s -w $${ldflags}" -o /out/app ${shellWord(packageArg(app.unit.dir, app.mainPackageDir))}`,
    '',
    app.cgo
      ? `# Runtime stage for ${app.projectName}: only the binary, on an image with the C library it links, as a non-root user.`
      : `# Runtime stage for ${app.projectName}: only the binary${scratch ? ' and CA certificates' : ''}, as a non-root user.`,
    `FROM ${runtimeImage} AS ${runtime}`,
    ...(scratch ? [`COPY --from=${stageNames.goBase(app.unit.id)} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt`] : []),
    `COPY --from=${build} /out/app ${binary}`,
    `USER ${NON_ROOT_USER}`,
    `ENTRYPOINT ["${binary}"]`,
  ];
  return { id: blockIds.app(app.projectName), body: blockBody(lines) };
}

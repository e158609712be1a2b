import { GoAppPlan } from '../go/go-plan';
import { GoUnit } from '../go/go-workspace';
import { dockerfileStages } from './dockerfile-stages';
import { mergeManagedBlocks } from './managed-blocks';
import { CGO_CHECK_MESSAGE, renderGoAppStages, renderGoBaseStage } from './render-go-stages';

const images = { goImage: 'golang:1.23', goRuntimeImage: 'gcr.io/distroless/static:nonroot', goCgoRuntimeImage: 'gcr.io/distroless/base:nonroot' };
const unit: GoUnit = { id: 'go', kind: 'module', dir: '.', moduleDirs: ['.'], goSumDirs: ['.'], hasGoWorkSum: false, goVersion: {}, inputFiles: ['go.mod', 'go.sum'] };
const app = (mainPackageDir: string, copyDirs: string[]): GoAppPlan => ({ projectName: 'api', projectRoot: mainPackageDir, unit, mainPackageDir, copyDirs, cgo: false });

describe('the Go stages', () => {
  it('copies plain paths in the plain form', () => {
    const body = renderGoAppStages(app('cmd/api', ['cmd/api', 'internal/greet']), images).body;
    expect(body).toContain('COPY cmd/api /src/cmd/api/\nCOPY internal/greet /src/internal/greet/');
    expect(body).toContain('-o /out/app ./cmd/api');
  });

  it('keeps a path with a space one argument: COPY in the JSON form, the package quoted for the shell', () => {
    const body = renderGoAppStages(app('cmd/My App', ['cmd/My App', 'internal/greet']), images).body;
    expect(body).toContain('COPY ["cmd/My App", "/src/cmd/My App/"]\nCOPY internal/greet /src/internal/greet/');
    expect(body).toContain("-o /out/app './cmd/My App'");
  });

  it('keeps a project name with a line break on its comment line, adding no line to the Dockerfile', () => {
    // Found by render-dockerfile.fuzz.spec.ts: a package.json name with a line break wrote a forged end marker and a FROM into the file.
    const named = { ...app('cmd/api', ['cmd/api']), projectName: 'b\n# <<< nx-docker-stages managed "app:b"\nFROM scratch' };
    const { text } = mergeManagedBlocks(null, [renderGoBaseStage(unit, images), renderGoAppStages(named, images)], 'cmd/api/Dockerfile');
    expect(text).toContain('# Build stage for b # <<< nx-docker-stages managed "app:b" FROM scratch: copies');
    expect(dockerfileStages(text)).toHaveLength(3);
    expect(mergeManagedBlocks(text, [renderGoBaseStage(unit, images), renderGoAppStages(named, images)], 'cmd/api/Dockerfile').editedBlocks).toEqual([]);
  });

  it('copies module files of a folder with a space in the JSON form', () => {
    const spaced: GoUnit = { ...unit, id: 'tools-my-mod', dir: 'tools/my mod', moduleDirs: ['tools/my mod'], goSumDirs: [] };
    expect(renderGoBaseStage(spaced, images).body).toContain('COPY ["tools/my mod/go.mod", "/src/tools/my mod/"]');
  });

  it("gives the download and build steps the machine's module settings as the goenv secret, named by GOENV, and its .netrc as the root user's, and nothing else of them", () => {
    const base = renderGoBaseStage(unit, images).body;
    expect(base).toContain(
      'RUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=secret,id=goenv \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    GOENV=/run/secrets/goenv go mod download',
    );
    const build = renderGoAppStages(app('cmd/api', ['cmd/api']), images).body;
    expect(build).toContain("    --mount=type=secret,id=goenv \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    set -f; IFS=\"$(printf '\\037')\"; env $GO_ENV GOENV=/run/secrets/goenv \\\n    go build -trimpath");
    // No ARG or ENV could carry them into the image.
    expect(`${base}\n${build}`).not.toMatch(/^(ARG|ENV) .*GO(PROXY|SUMDB|PRIVATE|NOSUMDB|FLAGS)/m);
  });

  it('builds a vendored unit from its vendor tree: copied into the base stage, no download step, -mod=vendor', () => {
    const vendored: GoUnit = { ...unit, dir: 'svc', moduleDirs: ['svc'], goSumDirs: ['svc'], vendorDir: 'svc/vendor', inputFiles: [] };
    const base = renderGoBaseStage(vendored, images).body;
    expect(base).toContain('COPY svc/go.mod svc/go.sum /src/svc/\nCOPY svc/vendor /src/svc/vendor/\nWORKDIR /src/svc\n');
    expect(base).not.toContain('go mod download');
    const build = renderGoAppStages({ ...app('svc', ['svc']), unit: vendored }, images).body;
    expect(build).toContain('go build -mod=vendor -trimpath');
  });

  it('builds each unit with the image of the Go it asks for when goImage is not set, and with goImage when it is', () => {
    const newer: GoUnit = { ...unit, id: 'billing', dir: 'billing', moduleDirs: ['billing'], goVersion: { go: '1.24.1' } };
    const pinned: GoUnit = { ...unit, goVersion: { go: '1.24', toolchain: '1.24.7' } };
    expect(renderGoBaseStage(newer, {}).body).toContain('FROM golang:1.24-bookworm AS billing-base');
    expect(renderGoBaseStage(pinned, {}).body).toContain('FROM golang:1.24.7-bookworm AS go-base');
    expect(renderGoBaseStage(newer, images).body).toContain('FROM golang:1.23 AS billing-base');
  });
});


describe('the build settings of the Go build stage', () => {
  const unitOf: GoUnit = { id: 'root', kind: 'module', dir: '.', moduleDirs: ['.'], goSumDirs: [], inputFiles: [], goVersion: {}, hasGoWorkSum: false } as GoUnit;
  const stageOf = (runtime: string) => renderGoAppStages({ projectName: 'api', projectRoot: 'cmd/api', unit: unitOf, mainPackageDir: 'cmd/api', copyDirs: ['cmd/api'] } as never, { goRuntimeImage: runtime, goCgoRuntimeImage: 'base' }).body;

  it('declares GO_TAGS, GO_LDFLAGS and GO_ENV, empty by default, and hands them to go build: tags after timetzdata on scratch, flags after -s -w, entries of GO_ENV split on \\037 alone', () => {
    const scratch = stageOf('scratch');
    expect(scratch).toContain('ARG GO_TAGS=""\nARG GO_LDFLAGS=""\nARG GO_ENV=""\n');
    expect(scratch).toContain(`set -f; IFS="$(printf '\\037')"; env $GO_ENV GOENV=/run/secrets/goenv \\\n    go build -trimpath -tags="timetzdata,$GO_TAGS" -ldflags="-s -w $GO_LDFLAGS" -o /out/app ./cmd/api`);
    expect(stageOf('gcr.io/distroless/static-debian12:nonroot')).toContain('go build -trimpath -tags="$GO_TAGS" -ldflags="-s -w $GO_LDFLAGS" -o /out/app ./cmd/api');
  });
});

describe('the stages of an app built with cgo', () => {
  const unitOf = { id: 'go', kind: 'module', dir: '.', moduleDirs: ['.'], goSumDirs: [], inputFiles: [], goVersion: {}, hasGoWorkSum: false } as unknown as GoUnit;
  const images = { goRuntimeImage: 'scratch', goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot' };
  const stagesOf = (cgo: boolean) =>
    renderGoAppStages({ projectName: 'api', projectRoot: 'cmd/api', unit: unitOf, mainPackageDir: 'cmd/api', copyDirs: ['cmd/api'], cgo }, images).body;

  it('builds with CGO_ENABLED=1 and runs on the cgo runtime image, non-root, without the scratch extras', () => {
    const cgo = stagesOf(true);
    expect(cgo).toContain('FROM go-base AS api-build\nENV CGO_ENABLED=1\nCOPY cmd/api /src/cmd/api/\n');
    expect(cgo).toContain('-tags="$GO_TAGS"');
    expect(cgo).toContain('FROM gcr.io/distroless/base-debian12:nonroot AS api\nCOPY --from=api-build /out/app /usr/local/bin/api\nUSER 65532:65532\n');
    expect(cgo).not.toContain('ca-certificates');
  });

  it('leaves a static app on the static runtime image', () => {
    const plain = stagesOf(false);
    expect(plain).not.toContain('ENV CGO_ENABLED');
    expect(plain).toContain('FROM scratch AS api');
  });
});

describe("a static app's check that no package it imports uses cgo", () => {
  const unitOf = { id: 'go', kind: 'module', dir: 'svc', moduleDirs: ['svc'], goSumDirs: ['svc'], inputFiles: [], goVersion: {}, hasGoWorkSum: false } as unknown as GoUnit;
  const images = { goRuntimeImage: 'gcr.io/distroless/static-debian12:nonroot', goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot' };
  const stagesOf = (plan: Partial<GoAppPlan>) =>
    renderGoAppStages({ projectName: 'api', projectRoot: 'svc/cmd/api', unit: unitOf, mainPackageDir: 'svc/cmd/api', copyDirs: ['svc/cmd/api'], cgo: false, ...plan }, images).body;

  it('lists, with Go, the non-standard packages that have cgo files, and stops naming them, before the build', () => {
    const body = stagesOf({});
    expect(body).toContain(
      `set -f; IFS="$(printf '\\037')"; cgo="$(env $GO_ENV GOENV=/run/secrets/goenv CGO_ENABLED=1 go list -deps -tags="$GO_TAGS" -f '{{if and (not .Standard) .CgoFiles}}{{.ImportPath}} {{end}}' ./cmd/api | tr -d '\\n')"; \\\n` +
        `    if [ -n "$cgo" ]; then echo "${CGO_CHECK_MESSAGE} $cgo" >&2; exit 1; fi\n`,
    );
    expect(body.indexOf('go list')).toBeLessThan(body.indexOf('go build'));
    expect(stagesOf({ unit: { ...unitOf, vendorDir: 'svc/vendor' } })).toContain('CGO_ENABLED=1 go list -mod=vendor -deps');
  });

  it('is left out of apps built with cgo, and of those a person set CGO_ENABLED for', () => {
    expect(stagesOf({ cgo: true })).not.toContain('go list');
    expect(stagesOf({ cgoSetByPerson: true })).not.toContain('go list');
  });
});

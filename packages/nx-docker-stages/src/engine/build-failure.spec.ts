import { explainBuildFailure } from './build-failure';

const ctx = { projectName: 'api', dockerfile: 'Dockerfile', target: 'api' };
const explain = (output: string, exitCode: number | undefined = 1) => explainBuildFailure(output, exitCode, ctx);
const where = 'api: building stage "api" of Dockerfile failed';

/** `--progress plain` output of Docker 20.10 (BuildKit) around a failing base-image lookup. */
const docker2010 = (error: string) =>
  [
    '#1 [internal] load build definition from Dockerfile',
    '#1 DONE 0.0s',
    '#3 [internal] load metadata for docker.io/library/golang:1.23-bookworm',
    `#3 ERROR: ${error.replace(/^.*failed to create LLB definition: /, '')}`,
    '------',
    ' > [internal] load metadata for docker.io/library/golang:1.23-bookworm:',
    '------',
    error,
  ].join('\n');

describe('explainBuildFailure', () => {
  describe('a base image that is not in the engine', () => {
    it('tells Docker 20.10 users whose pull was denied to load the image or set goImage and rerun setup', () => {
      const message = explain(
        docker2010(
          'failed to solve with frontend dockerfile.v0: failed to create LLB definition: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
        ),
      );
      expect(message).toMatch(new RegExp(`^${where}: .* is not in the engine and could not be pulled`));
      expect(message).toContain('docker pull / docker load');
      expect(message).toContain('goImage');
      expect(message).toContain('nx g nx-docker-stages:setup');
    });

    it('gives the same advice when Docker 20.10 cannot reach the registry', () => {
      const message = explain(
        docker2010(
          'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/1.23-bookworm": dial tcp: lookup registry-1.docker.io: no such host',
        ),
      );
      expect(message).toMatch(new RegExp(`^${where}: .* is not in the engine and could not be pulled`));
      expect(message).toContain('goImage');
    });

    it('names the runtime image that is missing, not the toolchain image Docker 20.10 loaded first', () => {
      const head = 'failed to do request: Head "https://registry-1.docker.io/v2/team/nope/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
      const output = [
        '#2 [internal] load metadata for docker.io/library/golang:1.23',
        '#2 DONE 0.0s',
        '#3 [internal] load metadata for docker.io/team/nope:1',
        `#3 ERROR: ${head}`,
        '------',
        ' > [internal] load metadata for docker.io/team/nope:1:',
        '------',
        `failed to solve with frontend dockerfile.v0: failed to create LLB definition: ${head}`,
      ].join('\n');
      expect(explain(output)).toMatch(new RegExp(`^${where}: "docker.io/team/nope:1" is not in the engine and could not be pulled`));
    });

    it('says that a local image is for the engine\'s own platform when the build asks for another', () => {
      const message = explainBuildFailure(
        docker2010('failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/1.23-bookworm": no such host'),
        1,
        { ...ctx, platform: 'linux/arm64' },
      );
      expect(message).toBe(
        `${where}: "golang:1.23-bookworm" for platform linux/arm64 is not in the engine and could not be pulled. The engine holds local images for its own platform only; ` +
          'load that platform\'s variant of the image into the engine, or leave out the "platform" option to build for the engine\'s own platform.',
      );
    });

    it('names the image, without docker.io/library/, when BuildKit says which one it could not resolve', () => {
      const message = explain(
        'ERROR: failed to solve: failed to resolve source metadata for docker.io/library/golang:1.23-bookworm: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/1.23-bookworm": dial tcp: lookup registry-1.docker.io: no such host',
      );
      expect(message).toContain(`${where}: "golang:1.23-bookworm" is not in the engine`);
      expect(message).toContain('goImage / goRuntimeImage / nodeImage / nodeRuntimeImage');
    });

    it('names the image when newer BuildKit reports the tag as not found', () => {
      const message = explain(
        'ERROR: failed to solve: golang:1.99: failed to resolve source metadata for docker.io/library/golang:1.99: docker.io/library/golang:1.99: not found',
      );
      expect(message).toContain('"golang:1.99" is not in the engine');
    });

    it('keeps the registry of an image outside Docker Hub', () => {
      const message = explain('failed to resolve source metadata for registry.example.com:5000/base/go:1.23: unexpected status: 401 Unauthorized');
      expect(message).toContain('"registry.example.com:5000/base/go:1.23" is not in the engine');
    });
  });

  it('says the stage is missing and to run setup when BuildKit cannot find the target stage', () => {
    const message = explain('failed to solve with frontend dockerfile.v0: failed to create LLB definition: target stage api could not be found');
    expect(message).toBe(`${where}: the Dockerfile has no stage api; run \`nx g nx-docker-stages:setup\` to add the app's stages.`);
  });

  it('quotes the failing RUN command and its exit code from Docker 20.10', () => {
    const output = [
      '#12 [build 4/5] RUN go build -o /out/app ./cmd/api',
      '#12 0.873 cmd/api/main.go:7:2: undefined: handler',
      '#12 ERROR: executor failed running [/bin/sh -c go build -o /out/app ./cmd/api]: exit code: 1',
      'executor failed running [/bin/sh -c go build -o /out/app ./cmd/api]: exit code: 1',
    ].join('\n');
    expect(explain(output)).toBe(`${where}: the step \`go build -o /out/app ./cmd/api\` exited with code 1; its output is above.`);
  });

  it("names both Go versions and the goImage fix when the module (or a dependency) needs a newer Go than the image's", () => {
    const output = [
      '#9 [go-base 5/5] RUN --mount=type=cache,target=/go/pkg/mod --mount=type=secret,id=goenv GOENV=/run/secrets/goenv go mod download',
      '#9 0.112 go: go.mod requires go >= 1.25.0 (running go 1.23.5; GOTOOLCHAIN=local)',
      '#9 ERROR: executor failed running [/bin/sh -c GOENV=/run/secrets/goenv go mod download]: exit code: 1',
    ].join('\n');
    expect(explain(output)).toBe(
      `${where}: go.mod requires Go 1.25.0, and the Go image of the stage has Go 1.23.5. ` +
        'Use a Go image of Go 1.25.0 or newer: set goImage in the nx-docker-stages options in nx.json (for example golang:1.25-bookworm) and run `nx sync`.',
    );
    const dependency = '#9 0.2 go: github.com/example/new@v1.2.0 requires go >= 1.24 (running go 1.23.5; GOTOOLCHAIN=local)\nexit code: 1';
    expect(explain(dependency)).toContain(': github.com/example/new@v1.2.0 requires Go 1.24, and the Go image of the stage has Go 1.23.5. ');
  });

  it('names the host that refused a module download and how the credentials reach the build, never the user info of the URL', () => {
    const output = [
      '#9 [go-base 5/5] RUN --mount=type=cache,target=/go/pkg/mod --mount=type=secret,id=goenv --mount=type=secret,id=netrc,target=/root/.netrc GOENV=/run/secrets/goenv go mod download',
      '#9 0.31 go: example.test/private/greet@v1.0.0: reading https://goproxy.corp.example:8443/example.test/private/greet/@v/v1.0.0.mod: 401 Unauthorized',
      '#9 0.31 \tserver response: credentials required',
      '#9 ERROR: executor failed running [/bin/sh -c GOENV=/run/secrets/goenv go mod download]: exit code: 1',
    ].join('\n');
    expect(explain(output)).toBe(
      `${where}: goproxy.corp.example:8443 refused a Go module download (401 Unauthorized): the build had no credentials for it, or not the right ones. ` +
        'The Go steps get the machine\'s .netrc ($NETRC, else ~/.netrc) as the BuildKit secret "netrc": add "machine goproxy.corp.example:8443 login <user> password <token>" to it, ' +
        'or give the builds their own with a "netrc" entry in "secrets"; see docs/go.md#private-modules.',
    );
    const withUserInfo = 'go: reading https://ci:tok3n@git.corp.example/mod/@v/list: 403 Forbidden\nexit code: 1';
    expect(explain(withUserInfo)).toContain(': git.corp.example refused a Go module download (403 Forbidden)');
    expect(explain(withUserInfo)).not.toContain('tok3n');
    expect(explain('go: reading http://127.0.0.1:3000/mod/@v/list: 401 Unauthorized\nexit code: 1')).toBe(
      `${where}: 127.0.0.1:3000 refused a Go module download (401 Unauthorized), and Go sends credentials over HTTPS only. ` +
        'Serve the proxy or module host over HTTPS (an https:// URL in GOPROXY); see docs/go.md#private-modules.',
    );
  });

  it("names the packages a static app's cgo check found, not the check's own command line, and both fixes", () => {
    const command = 'set -f; cgo="$(go list ...)"; if [ -n "$cgo" ]; then echo "nx-docker-stages: packages that use cgo in an app built without it: $cgo" >&2; exit 1; fi';
    const output = [
      `#13 [api-build 4/5] RUN --mount=type=cache,target=/go/pkg/mod ${command}`,
      '#13 0.734 nx-docker-stages: packages that use cgo in an app built without it: github.com/mattn/go-sqlite3 example.test/c ',
      `#13 ERROR: executor failed running [/bin/sh -c ${command}]: exit code: 1`,
    ].join('\n');
    expect(explain(output)).toBe(
      `${where}: github.com/mattn/go-sqlite3, example.test/c use cgo, and api is built without it (a static binary), which would build their pure-Go stand-in, if they have one, instead. ` +
        'To build the app with cgo (on goCgoRuntimeImage), set "goEnv": { "CGO_ENABLED": "1" } in the docker-build options of its project.json and run `nx sync`; to build it static on purpose, set "CGO_ENABLED": "0" there.',
    );
    expect(explain(output.replace(' example.test/c ', ' '))).toContain(': github.com/mattn/go-sqlite3 uses cgo, and api is built without it');
    // The command line alone (the step failed otherwise) is no finding.
    expect(explain(`#13 [api-build 4/5] RUN ${command}\n#13 ERROR: executor failed running [/bin/sh -c ${command}]: exit code: 2`)).toContain('exited with code 2');
  });

  it('quotes the failing RUN command and its exit code from newer BuildKit', () => {
    const output = [
      '#12 [build 4/5] RUN go build ./cmd/api',
      '#12 ERROR: process "/bin/sh -c go build ./cmd/api" did not complete successfully: exit code: 1',
      'ERROR: failed to solve: process "/bin/sh -c go build ./cmd/api" did not complete successfully: exit code: 1',
    ].join('\n');
    expect(explain(output)).toBe(`${where}: the step \`go build ./cmd/api\` exited with code 1; its output is above.`);
  });

  it('quotes a step of continued lines on one line, as written in the Dockerfile', () => {
    const output = '#14 ERROR: executor failed running [/bin/sh -c set -f; env $GO_ENV GOENV=/run/secrets/goenv     go build -trimpath -o /out/app ./cmd/api]: exit code: 1';
    expect(explain(output)).toBe(`${where}: the step \`set -f; env $GO_ENV GOENV=/run/secrets/goenv go build -trimpath -o /out/app ./cmd/api\` exited with code 1; its output is above.`);
  });

  it('falls back to the exit code when the output is not recognised', () => {
    expect(explain('something unexpected happened', 17)).toBe(`${where} (exit code 17); the engine's output is above.`);
  });

  it('says the exit code is unknown when the build was killed by a signal', () => {
    expect(explainBuildFailure('', undefined, ctx)).toContain('(exit code unknown)');
  });

  it('quotes a failing RUN command that contains double quotes', () => {
    const output = 'ERROR: failed to solve: process "/bin/sh -c go build -ldflags \\"-s -w\\" ./cmd/api" did not complete successfully: exit code: 2';
    expect(explain(output, 1)).toContain('exited with code 2');
  });

  it('quotes a failing RUN command that contains brackets', () => {
    const output = 'executor failed running [/bin/sh -c if [ -f go.sum ]; then go build ./cmd/api; fi]: exit code: 1';
    expect(explain(output, 1)).toContain('exited with code 1');
  });

  it('blames the RUN step, not a base image, when the step printed "failed to resolve …: not found"', () => {
    const output = [
      '#12 [build 3/5] RUN go generate ./...',
      '#12 1.5 gen: failed to resolve schema ./api/openapi.yaml: not found',
      'ERROR: failed to solve: process "/bin/sh -c go generate ./..." did not complete successfully: exit code: 1',
    ].join('\n');
    expect(explain(output)).toContain('the step `go generate ./...` exited with code 1');
  });
});

describe('a file the Dockerfile copies is missing', () => {
  it('names the file and points at .dockerignore, not at a base image', () => {
    const output = [
      '#10 [shop-ping-deps 3/4] COPY dist/docker/@shop/ping/deps/ ./',
      '#10 ERROR: "/dist/docker/@shop/ping/deps" not found: not found',
      'failed to compute cache key: "/dist/docker/@shop/ping/deps" not found: not found',
    ].join('\n');
    const message = explainBuildFailure(output, 1, { projectName: '@shop/ping', dockerfile: 'Dockerfile', target: 'shop-ping' });
    expect(message).toContain('dist/docker/@shop/ping/deps, which the Dockerfile copies, is not in the build context');
    expect(message).toContain('.dockerignore');
  });
});

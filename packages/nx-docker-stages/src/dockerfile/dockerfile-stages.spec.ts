import { baseImageOfStage, declaredBuildArgs, dockerfileStages, hasStage } from './dockerfile-stages';

const dockerfile = [
  '# generated',
  'FROM --platform=linux/amd64 golang:1.23-bookworm AS go-base',
  'RUN go mod download',
  'FROM go-base AS api-build',
  'FROM gcr.io/distroless/static-debian12:nonroot AS api',
  'COPY --from=api-build /out/app /app',
  'FROM api AS api-debug',
  'FROM scratch AS Tiny',
  'ARG BASE=node:22',
  'FROM ${BASE} AS variable',
  'FROM node:22-slim',
].join('\n');

describe('dockerfile stages', () => {
  it('lists each stage with what its FROM names, ignoring flags', () => {
    expect(dockerfileStages(dockerfile)).toEqual([
      { name: 'go-base', from: 'golang:1.23-bookworm' },
      { name: 'api-build', from: 'go-base' },
      { name: 'api', from: 'gcr.io/distroless/static-debian12:nonroot' },
      { name: 'api-debug', from: 'api' },
      { name: 'tiny', from: 'scratch' },
      { name: 'variable', from: '${BASE}' },
      { name: null, from: 'node:22-slim' },
    ]);
  });

  it('finds stages by name, case-insensitively as BuildKit does', () => {
    expect(hasStage(dockerfileStages(dockerfile), 'api')).toBe(true);
    expect(hasStage(dockerfileStages(dockerfile), 'tiny')).toBe(true);
    expect(hasStage(dockerfileStages(dockerfile), 'worker')).toBe(false);
  });

  it('follows stages built on stages down to the image', () => {
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'api')).toBe('gcr.io/distroless/static-debian12:nonroot');
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'api-debug')).toBe('gcr.io/distroless/static-debian12:nonroot');
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'api-build')).toBe('golang:1.23-bookworm');
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'tiny')).toBe('scratch');
  });

  it('gives no base for a missing stage or one chosen by a build argument', () => {
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'worker')).toBeNull();
    expect(baseImageOfStage(dockerfileStages(dockerfile), 'variable')).toBeNull();
  });

  it('reads an escape directive only among the directives at the top, as Docker does', () => {
    // After a plain comment, `# escape=` is a comment: the backtick continues nothing and stage c is there.
    expect(dockerfileStages('# build file\n# escape=`\nFROM a AS b\nRUN echo `\nFROM b AS c\n').map((s) => s.name)).toEqual(['b', 'c']);
    // At the top it is the escape character: the backtick continues the RUN onto the next line.
    expect(dockerfileStages('# escape=`\nFROM a AS b\nRUN echo `\nFROM b AS c\n').map((s) => s.name)).toEqual(['b']);
    expect(dockerfileStages('# syntax=docker/dockerfile:1\n# escape=`\nFROM a AS b\nRUN echo `\n  x\nFROM b AS c\n').map((s) => s.name)).toEqual(['b', 'c']);
  });

  it('reads stages across continued lines and comment and blank lines inside them, as Docker joins them', () => {
    expect(dockerfileStages('FROM golang:1.23 \\\n# a comment\n\n  AS build\nFROM scratch AS app\n')).toEqual([
      { name: 'build', from: 'golang:1.23' },
      { name: 'app', from: 'scratch' },
    ]);
    // Found by dockerfile-stages.fuzz.spec.ts: an escape at the very end continues nothing, as dockerfile-ast reads it.
    expect(dockerfileStages('FROM\\')).toEqual([]);
    expect(dockerfileStages('FROM\\\n')).toEqual([{ name: null, from: '' }]);
    expect(dockerfileStages('FROM a AS b\nRUN x \\')).toEqual([{ name: 'b', from: 'a' }]);
  });
});


describe('declared build args', () => {
  it('names every ARG of every stage, with or without a default, several per line, continued lines, not commented ones', () => {
    const text = 'ARG BASE=golang:1.23\nFROM $BASE AS build\n# ARG COMMENTED\nARG GO_TAGS="" \\\n  GO_LDFLAGS\nARG GO_ENV=""\nFROM scratch\narg lower=1\n';
    expect(declaredBuildArgs(text)).toEqual(['BASE', 'GO_TAGS', 'GO_LDFLAGS', 'GO_ENV', 'lower']);
    expect(declaredBuildArgs('FROM scratch\n')).toEqual([]);
  });
});

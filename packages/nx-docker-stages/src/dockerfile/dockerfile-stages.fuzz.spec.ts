import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { anyText, assertParser, assertProperty, largeTextOf, nothingThrown } from '../workspace/test-fuzz';
import { baseImageOfStage, dockerfileStages, hasStage } from './dockerfile-stages';

/** The words of a Dockerfile's stages: FROM lines, names, build args, continuations, directives, heredocs. */
const DOCKERFILE_TOKENS = [
  'FROM', 'from', 'AS', 'as', ' ', '\n', '\\\n', '\\', '#', '# syntax=docker/dockerfile:1', '# escape=`', '`', 'ARG', 'ARG BASE=golang', '${BASE}', '$BASE', '--platform=$BUILDPLATFORM',
  'golang:1.23', 'scratch', 'go-base', 'api-build', 'API-Build', 'RUN', '<<EOF', 'EOF', 'COPY --from=go-base', '"', "'", '=', '@sha256:abc',
];

describe('dockerfileStages on any Dockerfile text', () => {
  it('lists stages with a lower-case name or none and a FROM text, and never throws', () => {
    assertParser(anyText(DOCKERFILE_TOKENS), dockerfileStages, nothingThrown, (stages) => {
      for (const stage of stages) {
        expect(stage.name === null || stage.name === stage.name.toLowerCase()).toBe(true);
        expect(typeof stage.from).toBe('string');
      }
    });
  });

  it('follows any stage to its base image or null, and never loops', () => {
    const stageName = fc.constantFrom('go-base', 'api-build', 'API-Build', 'scratch', '');
    const baseOf = ([text, stage]: [string, string]) => {
      const stages = dockerfileStages(text);
      return hasStage(stages, stage) ? baseImageOfStage(stages, stage) : null;
    };
    assertParser(fc.tuple(anyText(DOCKERFILE_TOKENS), stageName), baseOf, nothingThrown, (base) => expect(base === null || typeof base === 'string').toBe(true));
  });

  it('reads the stages dockerfile-ast reads from the whole text (comment and blank lines dropped and continued lines joined first change none)', () => {
    const astStages = (text: string) =>
      DockerfileParser.parse(text)
        .getFROMs()
        .map((from) => ({ name: from.getBuildStage()?.toLowerCase() ?? null, from: from.getImage() ?? '' }));
    assertProperty(fc.property(anyText(DOCKERFILE_TOKENS), (text) => expect(dockerfileStages(text)).toEqual(astStages(text))));
  });

  // Up to 40 KB, larger than any Dockerfile: dockerfile-ast alone takes its time to the square of the lines of one
  // continued instruction, comment and blank lines among them (0.5 s at 40 KB, 4 s at 160 KB); they are joined first.
  it('stays fast on large Dockerfiles, long continued instructions with comment and blank lines included', () => {
    const text = largeTextOf(['FROM a AS b\n', 'FROM b AS c\n', 'RUN x \\\n', '# c\n', '  # c \\\n', 'ARG A\n', '\n'], 40_000);
    assertParser(text, dockerfileStages, nothingThrown, undefined, 10);
  });
});

/**
 * What a Dockerfile's stages are built from, read with dockerfile-ast (the
 * parser of the Docker language server). Pure: text in, answers out.
 */
import { DockerfileParser } from 'dockerfile-ast';

export interface Stage {
  /** The stage's name (`AS <name>`), lower-cased as BuildKit matches it; null for an unnamed stage. */
  name: string | null;
  /** What its FROM names: an image reference, another stage, `scratch`, or text with build-arg variables. */
  from: string;
}

const COMMENT_LINE = /^\s*#/;

/**
 * The text without its comment lines below the leading ones (where the parser directives are):
 * Docker drops them, inside continued instructions too, so no stage changes; and dockerfile-ast's
 * time grows with the square of comment lines inside continued instructions.
 */
function withoutCommentLines(text: string): string {
  const lines = text.split('\n');
  let leading = 0;
  while (leading < lines.length && COMMENT_LINE.test(lines[leading])) leading++;
  return [...lines.slice(0, leading), ...lines.slice(leading).filter((line) => !COMMENT_LINE.test(line))].join('\n');
}

export function dockerfileStages(text: string): Stage[] {
  return DockerfileParser.parse(withoutCommentLines(text))
    .getFROMs()
    .map((from) => ({ name: from.getBuildStage()?.toLowerCase() ?? null, from: from.getImage() ?? '' }));
}

/** Whether the stages (from dockerfileStages) include one of that name. */
export function hasStage(stages: Stage[], stage: string): boolean {
  return stages.some((s) => s.name === stage.toLowerCase());
}

/**
 * The image a stage's file system starts from, following stages built on other stages:
 * `scratch` for none, null when the stage is missing or its base depends on a build argument.
 */
export function baseImageOfStage(stages: Stage[], stage: string): string | null {
  const seen = new Set<string>();
  let current = stage.toLowerCase();
  for (;;) {
    const index = stages.findIndex((s) => s.name === current);
    if (index === -1 || seen.has(current)) return null;
    seen.add(current);
    const from = stages[index].from;
    if (from.includes('$')) return null;
    // A FROM names an earlier stage only; a later stage of the same name would be an image reference.
    if (!stages.slice(0, index).some((s) => s.name === from.toLowerCase())) return from;
    current = from.toLowerCase();
  }
}

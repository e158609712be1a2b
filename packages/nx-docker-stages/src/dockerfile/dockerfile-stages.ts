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
const COMMENT_OR_BLANK_LINE = /^\s*(?:#|$)/;

/**
 * The text as Docker reads its instructions: below the leading comments (where the parser
 * directives are), comment and blank lines dropped and continued lines joined, as Docker drops and
 * joins them, so no stage changes. dockerfile-ast's time grows with the square of the lines of one
 * continued instruction (seconds for some thousands).
 */
function instructionLines(text: string): string {
  const lines = text.split('\n');
  let leading = 0;
  while (leading < lines.length && COMMENT_LINE.test(lines[leading])) leading++;
  const escape = /^\s*#\s*escape\s*=\s*`/im.test(lines.slice(0, leading).join('\n')) ? '`' : '\\';
  const continued = new RegExp(`\\${escape}[ \\t]*\\r?$`);
  const joined: string[] = [];
  let open = false;
  for (const line of lines.slice(leading)) {
    if (COMMENT_OR_BLANK_LINE.test(line)) continue;
    const piece = line.replace(continued, '');
    if (open) joined[joined.length - 1] += piece;
    else joined.push(piece);
    open = continued.test(line);
  }
  return [...lines.slice(0, leading), ...joined].join('\n');
}

export function dockerfileStages(text: string): Stage[] {
  return DockerfileParser.parse(instructionLines(text))
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

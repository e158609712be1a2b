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
  const escape = escapeCharacter(lines);
  const continued = new RegExp(`\\${escape}[ \\t]*\\r?$`);
  const joined: string[] = [];
  let open = false;
  lines.forEach((line, i) => {
    if (i < leading || COMMENT_OR_BLANK_LINE.test(line)) return;
    // An escape continues the line only before a line break: at the very end of the text it stays, as dockerfile-ast reads it.
    const piece = i < lines.length - 1 ? line.replace(continued, '') : line;
    if (open) joined[joined.length - 1] += piece;
    else joined.push(piece);
    open = continued.test(line);
  });
  return [...lines.slice(0, leading), ...joined].join('\n');
}

/**
 * The escape character: `\` unless an `escape` parser directive says otherwise. Directives are read
 * from the first line on and only until the first line that is not one (a comment, a blank line,
 * an instruction), as Docker reads them.
 */
function escapeCharacter(lines: string[]): string {
  for (const line of lines) {
    const directive = /^\s*#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S*)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && directive[2] === '`') return '`';
  }
  return '\\';
}

export function dockerfileStages(text: string): Stage[] {
  return DockerfileParser.parse(instructionLines(text))
    .getFROMs()
    .map((from) => ({ name: from.getBuildStage()?.toLowerCase() ?? null, from: from.getImage() ?? '' }));
}

/** The names of the build args the Dockerfile declares (`ARG NAME[=default]`), in any stage. */
export function declaredBuildArgs(text: string): string[] {
  const names = new Set<string>();
  for (const instruction of DockerfileParser.parse(instructionLines(text)).getInstructions()) {
    if (instruction.getKeyword() !== 'ARG') continue;
    for (const arg of instruction.getArguments()) names.add(arg.getValue().split('=')[0]);
  }
  return [...names];
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

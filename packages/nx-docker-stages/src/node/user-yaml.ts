/**
 * YAML files of the user's workspace (pnpm-lock.yaml, pnpm-workspace.yaml, .yarnrc.yml), parsed
 * with the yaml library as fast on broken text as on good text: its "pretty" errors scan the text
 * for each error's line (seconds for some tens of kilobytes of broken YAML), and its warnings would
 * be printed to the Nx output. Pure: text in, data out.
 */
import { parse, YAMLParseError } from 'yaml';

/** The line and column (1-based) of an offset in a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/** The file's data. Throws an Error whose message is the library's first line, with the line and column of the first error. */
export function parseUserYaml(text: string): unknown {
  try {
    return parse(text, { prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const { line, column } = lineAndColumn(text, error.pos[0]);
    throw new Error(`${error.message.split('\n')[0]} at line ${line}, column ${column}`);
  }
}

/**
 * Readers for `go.mod` and `go.work`: only the directives the plugin needs
 * (module path, local `replace` targets, `use` entries). Pure: text in, data out.
 */
import { WorkspaceFileError } from '../workspace/workspace-file-error';

export interface GoModFile {
  /** The module path declared by the `module` directive. */
  modulePath: string;
  /** `require`d module paths (versions are not needed by the plugin). */
  requires: string[];
  /** `replace` directives whose target is a local directory, relative to the go.mod's directory. */
  localReplaces: Array<{ modulePath: string; directory: string }>;
  /** The Go the module asks for: its `go` and `toolchain` directives. */
  goVersion: GoVersionDirectives;
}

export interface GoWorkFile {
  /** Directories named by `use`, relative to the go.work's directory, normalised (no `./`). */
  use: string[];
  /** The Go the workspace asks for: its `go` and `toolchain` directives. */
  goVersion: GoVersionDirectives;
}

/** The `go` (language version, a minimum: `1.23` or `1.23.4`) and `toolchain` (`go1.24.2`) directives, when present and well-formed. */
export interface GoVersionDirectives {
  go?: string;
  toolchain?: string;
}

const GO_VERSION = /^1\.\d+(?:\.\d+)?$/;
const TOOLCHAIN = /^go(1\.\d+(?:\.\d+)?)(?:-\S+)?$/;

function goVersionOf(directive: string[][]): GoVersionDirectives {
  const version: GoVersionDirectives = {};
  for (const [verb, arg] of directive) {
    if (verb === 'go' && arg && GO_VERSION.test(arg)) version.go = arg;
    const toolchain = verb === 'toolchain' && arg ? TOOLCHAIN.exec(arg) : null;
    if (toolchain) version.toolchain = toolchain[1];
  }
  return version;
}

/** Splits a go.mod/go.work text into logical directives: `[verb, ...args]`, expanding `verb ( ... )` blocks. */
function directives(text: string): string[][] {
  const result: string[][] = [];
  let blockVerb: string | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (blockVerb !== null) {
      if (line === ')') {
        blockVerb = null;
        continue;
      }
      result.push([blockVerb, ...tokens(line)]);
      continue;
    }
    const words = tokens(line);
    if (words.length === 2 && words[1] === '(') {
      blockVerb = words[0];
      continue;
    }
    result.push(words);
  }
  return result;
}

function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** A replace target is local when it is a file path (Go's rule: starts with `./`, `../` or `/`). */
function isLocalPath(target: string): boolean {
  return target.startsWith('./') || target.startsWith('../') || target.startsWith('/') || target === '.' || target === '..';
}

export function normaliseRelativeDir(dir: string): string {
  const parts: string[] = [];
  for (const part of dir.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/') || '.';
}

/**
 * Parses a go.mod. Throws when there is no `module` directive, because every other
 * answer the plugin gives about that module would be wrong.
 */
export function parseGoMod(text: string, fileName = 'go.mod'): GoModFile {
  let modulePath = '';
  const requires: string[] = [];
  const localReplaces: GoModFile['localReplaces'] = [];
  const all = directives(text);
  for (const [verb, ...args] of all) {
    if (verb === 'module' && args[0]) modulePath = args[0];
    else if (verb === 'require' && args[0]) requires.push(args[0]);
    else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      if (arrow > 0 && args[arrow + 1] && isLocalPath(args[arrow + 1])) {
        const target = args[arrow + 1];
        // Absolute targets stay absolute: they point outside the workspace.
        localReplaces.push({ modulePath: args[0], directory: target.startsWith('/') ? target : normaliseRelativeDir(target) });
      }
    }
  }
  if (!modulePath) {
    throw new WorkspaceFileError(fileName, `${fileName}: no "module" directive found; add "module <path>" at the top of the file`);
  }
  return { modulePath, requires, localReplaces, goVersion: goVersionOf(all) };
}

/** Parses a go.work: the `use` directories, relative to the go.work's directory. */
export function parseGoWork(text: string): GoWorkFile {
  const use: string[] = [];
  const all = directives(text);
  for (const [verb, ...args] of all) {
    // An absolute path stays one: it names a folder outside the workspace, not one inside it.
    if (verb === 'use' && args[0]) use.push(args[0].startsWith('/') ? `/${normaliseRelativeDir(args[0])}` : normaliseRelativeDir(args[0]));
  }
  return { use, goVersion: goVersionOf(all) };
}

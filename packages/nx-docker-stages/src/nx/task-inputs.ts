/**
 * Whether a workspace file is among a task's inputs, by Nx's rules for `inputs`: file patterns with
 * `{projectRoot}` and `{workspaceRoot}`, `!` patterns that take files out, named inputs (the
 * project's over nx.json's, `default` when a target names none) and `{ fileset }` entries; inputs
 * of dependencies (`^name`, `{ input, dependencies }`) and non-file inputs do not count. A file the
 * build reads that no input covers would let a cache hit serve an image built from its old
 * content. Pure.
 */
import type { TargetConfiguration } from '@nx/devkit';
import picomatch from 'picomatch';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** Nx's own default when neither the project nor nx.json defines `default`. */
const NX_DEFAULT_NAMED_INPUT: Input[] = ['{projectRoot}/**/*'];

function filePatterns(inputs: readonly Input[], namedInputs: Record<string, readonly Input[]>, seen: Set<string>): string[] {
  const patterns: string[] = [];
  for (const input of inputs) {
    let value: string | undefined;
    if (typeof input === 'string') value = input;
    else if ('fileset' in input && typeof input.fileset === 'string') value = input.fileset;
    else if ('input' in input && typeof input.input === 'string' && !('dependencies' in input && input.dependencies) && !('projects' in input && input.projects)) value = input.input;
    if (!value || value.startsWith('^')) continue;
    const negated = value.startsWith('!');
    const body = negated ? value.slice(1) : value;
    if (body.includes('{projectRoot}') || body.includes('{workspaceRoot}') || body.includes('/') || body.includes('*')) {
      patterns.push(value);
      continue;
    }
    // A named input (only a positive one names one).
    if (negated || seen.has(body)) continue;
    const named = namedInputs[body] ?? (body === 'default' ? NX_DEFAULT_NAMED_INPUT : undefined);
    if (named) patterns.push(...filePatterns(named, namedInputs, new Set([...seen, body])));
  }
  return patterns;
}

/**
 * Whether `file` (workspace-relative) is among the file inputs of a target of the project at
 * `projectRoot`. `inputs` undefined means Nx's default (`default` and `^default`).
 */
export function isTaskInput(file: string, inputs: readonly Input[] | undefined, namedInputs: Record<string, readonly Input[]>, projectRoot: string): boolean {
  const resolve = (pattern: string) =>
    pattern
      .replace(/^\{workspaceRoot\}\/?/, '')
      .replace(/\{projectRoot\}/g, projectRoot === '.' ? '' : projectRoot)
      .replace(/^\/+/, '');
  const patterns = filePatterns(inputs ?? ['default', '^default'], namedInputs, new Set());
  const matches = (pattern: string) => picomatch(resolve(pattern), { dot: true })(file);
  const included = patterns.filter((p) => !p.startsWith('!')).some(matches);
  return included && !patterns.filter((p) => p.startsWith('!')).some((p) => matches(p.slice(1)));
}

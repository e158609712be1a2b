/**
 * Where an Nx build of a Node app leaves what it runs: the output folder of the build target, and
 * the file in it that starts the app, found the way Nx's own `@nx/js:node` serve executor finds it
 * (esbuild, webpack and rspack name the file after `main`, or `outputFileName`; tsc and swc keep
 * `main`'s folder below the project root, except the folder swc compiles when it strips leading paths). Pure: the target's options in, paths out.
 */
import { posix } from 'node:path';

/** A build target's options for the configuration that runs (its `defaultConfiguration`). */
export function optionsForConfiguration(target: { options?: Record<string, unknown>; configurations?: Record<string, Record<string, unknown>>; defaultConfiguration?: string }): Record<string, unknown> {
  // The configuration a project.json names, when it names one by a string and has it (not an inherited property).
  const name = target.defaultConfiguration;
  const configuration = typeof name === 'string' && target.configurations && Object.hasOwn(target.configurations, name) ? target.configurations[name] : undefined;
  return { ...target.options, ...configuration };
}

/** A path up to its first glob segment: `libs/a/dist/**\/*.js` → `libs/a/dist`. */
export function globBase(path: string): string {
  const segments = path.split('/');
  const glob = segments.findIndex((s) => /[*?{}[\]!]/.test(s));
  return (glob === -1 ? segments : segments.slice(0, glob)).join('/') || '.';
}

/** The folder a build writes the app to, workspace-relative: `outputPath`, else its first output's folder; null when it says neither. */
export function buildOutputDir(options: Record<string, unknown>, outputs: string[]): string | null {
  // `/` trimmed is empty: `.`, which the staging refuses as the whole workspace.
  if (typeof options.outputPath === 'string' && options.outputPath) return posix.normalize(options.outputPath).replace(/\/$/, '') || '.';
  const first = outputs.find((o) => o.trim() !== '');
  return first ? globBase(posix.normalize(first.replace(/^\{workspaceRoot\}\/?/, ''))) : null;
}

const NAME_ONLY_EXECUTORS = new Set(['@nx/js:tsc', '@nx/js:swc']);
const isSwc = (executor: string | undefined) => (executor ?? '').replace(/^@nrwl\//, '@nx/') === '@nx/js:swc';
const within = (dir: string, folder: string) => dir === folder || dir.startsWith(`${folder}/`);

/**
 * The files that may start the app, relative to its output folder, most likely first: the file Nx's
 * serve executor would run, then the same name as `.cjs` and `.mjs` (as that executor tries too).
 */
export function entryCandidates(executor: string | undefined, options: Record<string, unknown>, projectRoot: string): string[] {
  const main = typeof options.main === 'string' ? options.main : undefined;
  let entry: string;
  if (typeof options.outputFileName === 'string' && options.outputFileName) entry = options.outputFileName;
  else if (!main) entry = 'main.js';
  else {
    const fileName = `${posix.parse(main).name}.js`;
    if (!NAME_ONLY_EXECUTORS.has((executor ?? '').replace(/^@nrwl\//, '@nx/'))) entry = fileName;
    else {
      // tsc and swc keep the source layout below rootDir (the project root by default), or below the output path.
      const outputPath = typeof options.outputPath === 'string' ? posix.normalize(options.outputPath) : '';
      const mainDir = posix.dirname(posix.normalize(main));
      const base = outputPath && within(mainDir, outputPath) ? outputPath : typeof options.rootDir === 'string' ? options.rootDir : projectRoot;
      // swc's --strip-leading-paths drops the folder it compiles: the project's src/ when main is in it.
      const swcSource = posix.join(projectRoot, 'src');
      const stripped = isSwc(executor) && options.stripLeadingPaths === true && within(mainDir, swcSource) ? swcSource : base;
      const relativeDir = posix.relative(stripped, mainDir);
      entry = relativeDir ? `${relativeDir}/${fileName}` : fileName;
    }
  }
  const stem = entry.replace(/\.js$/, '');
  return [...new Set([entry, `${stem}.cjs`, `${stem}.mjs`])];
}

/**
 * How a package's `start` script starts it, when it is `node [flags] <file> [args]`: the flags
 * (with the values some of them take as a separate word), the entry file and its arguments, or why
 * a production image cannot start it that way. Pure.
 */

/** A start command the image can run as `node <flags> <entry> <args>`, the entry relative to the package folder. */
export interface StartCommand {
  flags: string[];
  entry: string;
  args: string[];
}

export type StartScript =
  | { kind: 'node'; command: StartCommand }
  /** A node command the image cannot run, with the reason and the fix. */
  | { kind: 'refused'; why: string; fix: string }
  /** Not a plain node command (another program, shell syntax): the package's main or bin may still tell. */
  | { kind: 'other' };

const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~%]/;

/** Node's options that take their value as the next word (`-r mod`); `--flag=value` needs no entry here. */
const FLAGS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '--env-file',
  '--env-file-if-exists',
  '--title',
  '--input-type',
  '--disable-warning',
  '--redirect-warnings',
  '--diagnostic-dir',
  '--report-dir',
  '--report-directory',
  '--report-filename',
  '--report-signal',
  '--heapsnapshot-signal',
  '--unhandled-rejections',
  '--dns-result-order',
  '--openssl-config',
  '--icu-data-dir',
  '--inspect-port',
  '--watch-path',
  '--stack-size',
  '--secure-heap',
  '--secure-heap-min',
  '--cpu-prof-dir',
  '--cpu-prof-name',
  '--heap-prof-dir',
  '--heap-prof-name',
]);

/** Flags that load a module before the entry: the module must exist at run time. */
const PRELOAD_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);

/** Well-known loaders that run TypeScript (or other sources) directly: development tools, not production runtimes. */
const SOURCE_LOADERS = /^(tsx|ts-node|esbuild-register|@swc-node\/register|@swc\/register|@babel\/register|@esbuild-kit\/|sucrase)/;

const TYPESCRIPT_SOURCE = /\.(ts|tsx|mts|cts)$/;

/**
 * Reads a start script. `devDependencies` are the names a production install leaves out (the
 * package's own and the workspace root's): a module a flag preloads must not be one of them.
 * `dependencies`, when given, are the package's production dependencies: a package a flag
 * preloads must be one of them, as the image installs those and nothing else.
 */
export function parseStartScript(script: string, devDependencies: ReadonlySet<string>, dependencies?: ReadonlySet<string>, file = 'package.json'): StartScript {
  const text = script.trim();
  if (SHELL_SYNTAX.test(text)) return { kind: 'other' };
  const words = text.split(/\s+/);
  if (words[0] !== 'node') return { kind: 'other' };
  const flags: string[] = [];
  let i = 1;
  for (; i < words.length && words[i].startsWith('-'); i++) {
    const flag = words[i];
    const name = flag.split('=')[0];
    const value = flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : FLAGS_WITH_VALUE.has(flag) ? words[i + 1] : undefined;
    if (FLAGS_WITH_VALUE.has(flag)) {
      if (value === undefined) return { kind: 'refused', why: `its start script "${text}" ends with ${flag} and no value`, fix: `give ${flag} its value` };
      flags.push(flag, value);
      i++;
    } else {
      flags.push(flag);
    }
    if (PRELOAD_FLAGS.has(name) && value !== undefined) {
      const module = value;
      const pkg = packageNameOf(module);
      if (SOURCE_LOADERS.test(module) || devDependencies.has(pkg)) {
        return {
          kind: 'refused',
          why: `its start script "${text}" loads ${module} with ${name}, a development dependency that a production image does not install`,
          fix: 'build the app to JavaScript (an Nx build target, or a "build" script) and start the output: "start": "node dist/main.js"',
        };
      }
      if (dependencies && !pkg.startsWith('.') && !pkg.startsWith('/') && !pkg.startsWith('node:') && !dependencies.has(pkg)) {
        return {
          kind: 'refused',
          why: `its start script "${text}" loads ${module} with ${name}, but ${pkg} is not among the dependencies of ${file}, which are all its image installs`,
          fix: `add ${pkg} to the "dependencies" of ${file}`,
        };
      }
    }
    if (name === '--env-file' || name === '--env-file-if-exists') {
      return {
        kind: 'refused',
        why: `its start script "${text}" reads ${value} with ${name}; environment files are kept out of images, as they usually hold credentials`,
        fix: 'pass the settings as environment variables when the container runs (docker run -e / --env-file), and drop the flag from the start script',
      };
    }
  }
  const entry = words[i];
  if (entry === undefined) return { kind: 'other' };
  if (TYPESCRIPT_SOURCE.test(entry)) {
    return {
      kind: 'refused',
      why: `its start script "${text}" runs the TypeScript source ${entry}`,
      fix: 'build the app to JavaScript (an Nx build target, or a "build" script) and start the output: "start": "node dist/main.js"',
    };
  }
  return { kind: 'node', command: { flags, entry, args: words.slice(i + 1) } };
}

/** The modules a start command preloads (`-r ./setup.js`, `--import dotenv/config`), in order. */
export function preloadedModules(command: StartCommand): string[] {
  return command.flags.filter((_, i) => PRELOAD_FLAGS.has(command.flags[i - 1] ?? '') && !command.flags[i].startsWith('-'));
}

/** `@scope/pkg/register` → `@scope/pkg`; `dotenv/config` → `dotenv`; a relative path stays as it is. */
export function packageNameOf(specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

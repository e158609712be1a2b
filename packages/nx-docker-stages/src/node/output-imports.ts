/**
 * The npm packages built JavaScript loads by name, read from its text, and what of them an app's
 * production install lacks. A build can add imports its sources do not make, which Nx's project
 * graph (made from the sources) cannot see: swc's and tsc's helper packages (`@swc/helpers`,
 * `tslib`), a bundler's externals. Pure.
 */
import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules);

/** Where a package is loaded and how: a static ESM import always runs; `require()` and `import()` may sit in a try block. */
export interface PackageImport {
  /** The file that loads it, relative to the staged context. */
  file: string;
  /** A static `import`/`export ... from`: loading the file fails without the package. */
  static: boolean;
}

// `import x from 'p'`, `import { a } from "p"`, `import 'p'`, `export * from 'p'`, minified or across lines.
// The clause before `from` starts with a non-space: a run of whitespace after the keyword has one way to match, not
// thousands (with `\s*` on both sides of a clause that may hold spaces, 1000 spaces after `import` took half a second).
const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{},][\w$*{}\s,]*?from\s*)?(['"])([^'"\n]+)\1/g;
// `require('p')`, `import('p')` with a literal name.
const CALL_IMPORT = /(?:^|[^\w$.])(?:require|import)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for a relative path, URL, subpath import or Node built-in. */
export function packageOfSpecifier(specifier: string): string | null {
  if (/^(\.|\/|#|[a-z][a-z0-9+.-]*:)/i.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (BUILTINS.has(name) || BUILTINS.has(specifier)) return null;
  return name && !(specifier.startsWith('@') && parts.length < 2) ? name : null;
}

/** The packages one file loads by name: package → whether some load of it is static. */
export function importedPackages(code: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const [pattern, isStatic] of [[STATIC_IMPORT, true], [CALL_IMPORT, false]] as const) {
    for (const match of code.matchAll(pattern)) {
      const name = packageOfSpecifier(match[2]);
      if (name) found.set(name, found.get(name) === true || isStatic);
    }
  }
  return found;
}

/** Whether a staged file is JavaScript Node may load. */
export const isJavaScriptFile = (path: string): boolean => /\.(c|m)?js$/.test(path);

export interface MissingImports {
  /** Packages the workspace has installed (name → the version to install): added to the production install. */
  added: Record<string, string>;
  /** Packages the workspace does not have, loaded statically: the image could not start. */
  unavailable: Array<[string, PackageImport]>;
  /** Packages the workspace does not have, loaded by `require()`/`import()` (perhaps optionally). */
  unresolved: Array<[string, PackageImport]>;
}

/**
 * What `imports` (package → where it is loaded) needs beyond `installed` (the production
 * manifest's dependencies) and `provided` (the workspace packages the image holds, the app's own
 * name): each package the workspace knows (`workspaceVersion`) to be added, the rest sorted by
 * whether the image certainly fails without it.
 */
export function missingImports(
  imports: ReadonlyMap<string, PackageImport>,
  installed: Record<string, string>,
  provided: ReadonlySet<string>,
  workspaceVersion: (name: string) => string | undefined,
): MissingImports {
  const added: Array<[string, string]> = [];
  const result: Omit<MissingImports, 'added'> = { unavailable: [], unresolved: [] };
  for (const [name, where] of [...imports].sort(([a], [b]) => a.localeCompare(b))) {
    // Own entries only, and `added` made from entries: a package named like an inherited property
    // ("constructor", "__proto__") is neither installed by its name nor lost when added.
    if (Object.hasOwn(installed, name) || provided.has(name)) continue;
    const version = workspaceVersion(name);
    if (version) added.push([name, version]);
    else (where.static ? result.unavailable : result.unresolved).push([name, where]);
  }
  return { added: Object.fromEntries(added), ...result };
}

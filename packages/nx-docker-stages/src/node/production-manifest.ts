/**
 * The manifest of an app's production install: the production dependencies its package.json and
 * its workspace libraries' declare, and those Nx's project graph finds its code (and theirs)
 * importing; never a workspace package (the image gets those as built packages) nor a
 * devDependency. Pure.
 */
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { pathInDir } from '../workspace/workspace-paths';
import { PackageManifest } from './node-workspace';

export interface DeclaringPackage {
  /** Workspace-relative folder. */
  dir: string;
  manifest: PackageManifest;
}

export interface ProductionManifest {
  manifest: { name: string; version: string; private: true; dependencies: Record<string, string> };
  /** For each dependency, the workspace folder whose manifest (or, for `.`, whose graph) it comes from: where its locked version is read. */
  sources: Record<string, string>;
}

/**
 * `declaring`: the app's package (when it has a package.json) first, then its libraries'.
 * `detected`: what Nx's createPackageJson found production code needs (name → version or range),
 * from a file map without tests, tooling and devDependency declarations (nx/node-image-context.ts).
 * Throws a WorkspaceFileError, naming both packages, when two declare different ranges of one
 * dependency: one flat install cannot hold both.
 */
export function productionManifest(
  app: { name: string; version?: string },
  declaring: DeclaringPackage[],
  detected: Record<string, string>,
  workspacePackages: ReadonlySet<string>,
): ProductionManifest {
  // Maps, not objects: a dependency named like an inherited property ("constructor") is a dependency like any other.
  const dependencies = new Map<string, string>();
  const sources = new Map<string, string>();
  const owner = new Map<string, DeclaringPackage>();
  for (const pkg of declaring) {
    for (const [name, range] of Object.entries({ ...pkg.manifest.optionalDependencies, ...pkg.manifest.dependencies })) {
      if (workspacePackages.has(name)) continue;
      const first = owner.get(name);
      if (first && dependencies.get(name) !== range) {
        throw new WorkspaceFileError(
          pathInDir(pkg.dir, 'package.json'),
          `${app.name}: ${first.manifest.name ?? first.dir} wants ${name}@${dependencies.get(name)} and ${pkg.manifest.name ?? pkg.dir} wants ${name}@${range}; ` +
            'one production install cannot hold both. Align the two ranges in their package.json files.',
        );
      }
      dependencies.set(name, range);
      if (!sources.has(name)) sources.set(name, pkg.dir);
      if (!owner.has(name)) owner.set(name, pkg);
    }
  }
  for (const [name, version] of Object.entries(detected)) {
    if (workspacePackages.has(name) || dependencies.has(name)) continue;
    dependencies.set(name, version);
    sources.set(name, '.');
  }
  const sorted = Object.fromEntries([...dependencies].sort(([a], [b]) => a.localeCompare(b)));
  return { manifest: { name: app.name, version: app.version ?? '0.0.0', private: true, dependencies: sorted }, sources: Object.fromEntries(sources) };
}

/** Dependencies whose specifier points at the file system (`file:`, `link:`, `portal:`): outside any image's build context. */
export function localPathDependencies(dependencies: Record<string, string>): Array<[string, string]> {
  return Object.entries(dependencies).filter(([, spec]) => /^(file|link|portal):/.test(spec));
}

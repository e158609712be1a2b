/**
 * The files npm packs from a package folder, by npm's own rules (npm-packlist, the library `npm
 * pack` uses): `files`, `.npmignore`, else the `.gitignore` files from the workspace root down,
 * and the files npm always packs (package.json, README, LICENSE, `main`, `bin`). An I/O edge: it
 * walks the folder.
 */
import { PackageManifest } from '../node/node-workspace';

// npm-packlist ships no types; this is the part used here.
type Packlist = (tree: PackTree, options?: { path?: string; prefix?: string; workspaces?: string[] }) => Promise<string[]>;
interface PackTree {
  path: string;
  package: PackageManifest;
  isProjectRoot: boolean;
  edgesOut: Map<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const packlist = require('npm-packlist') as Packlist;

/**
 * The workspace-relative files of the package in `packageDir` (absolute), packed with `manifest`
 * (whose `files` may differ from the package.json on disk). `workspaceRoot`, when the package is a
 * workspace package, makes the ignore files above it count, as `npm pack --workspace` does.
 */
export async function packFiles(packageDir: string, manifest: PackageManifest, workspaceRoot?: string): Promise<string[]> {
  // Bundled dependencies come from an installed tree, which a workspace package does not have here.
  const { bundleDependencies: _bundled, ...pkg } = manifest as PackageManifest & { bundleDependencies?: unknown };
  const tree: PackTree = { path: packageDir, package: pkg, isProjectRoot: true, edgesOut: new Map() };
  const options = workspaceRoot && workspaceRoot !== packageDir ? { path: packageDir, prefix: workspaceRoot, workspaces: [packageDir] } : { path: packageDir };
  return (await packlist(tree, options)).sort();
}

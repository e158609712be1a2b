/** Go import edges as dependencies between Nx projects. Pure. */
import { deepestContaining } from '../workspace/workspace-paths';
import { GoImportEdge } from './go-import-graph';

/** One project importing another: a static dependency for Nx, with the file whose import makes it. */
export interface GoProjectDependency {
  source: string;
  target: string;
  sourceFile: string;
}

/**
 * Maps package import edges onto the projects Nx knows (each package belongs to the deepest
 * project root above it): one dependency per ordered pair of different projects, with the file
 * of the first edge that makes it. Packages outside every project make none.
 */
export function goProjectDependencies(edges: GoImportEdge[], projectNamesByRoot: ReadonlyMap<string, string>): GoProjectDependency[] {
  const projectOf = (packageDir: string) => projectNamesByRoot.get(deepestContaining(packageDir, projectNamesByRoot) ?? '');
  const dependencies: GoProjectDependency[] = [];
  const seen = new Set<string>();
  for (const edge of edges) {
    const source = projectOf(edge.fromPackage);
    const target = projectOf(edge.toPackage);
    if (!source || !target || source === target || seen.has(`${source}>${target}`)) continue;
    seen.add(`${source}>${target}`);
    dependencies.push({ source, target, sourceFile: edge.sourceFile });
  }
  return dependencies;
}

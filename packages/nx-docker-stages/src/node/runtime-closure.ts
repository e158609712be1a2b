/**
 * The workspace projects a Node app needs when it runs: what it depends on in Nx's project graph,
 * transitively, through edges that production code makes (the caller says which: an import from a
 * test file, or a package declared only as a devDependency, makes none). npm packages are left out:
 * the pruned lockfile installs those. Pure.
 */

export interface DependencyGraph {
  nodes: Record<string, unknown>;
  dependencies: Record<string, ReadonlyArray<{ target: string }>>;
}

/** The projects `projectName` needs at run time, transitively, in name order; itself not included. */
export function runtimeWorkspaceClosure(graph: DependencyGraph, projectName: string, madeByProductionCode: (source: string, target: string) => boolean): string[] {
  const seen = new Set<string>([projectName]);
  const queue = [projectName];
  while (queue.length) {
    const source = queue.shift()!;
    for (const { target } of graph.dependencies[source] ?? []) {
      if (seen.has(target) || !(target in graph.nodes) || !madeByProductionCode(source, target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  seen.delete(projectName);
  return [...seen].sort();
}

/** Files whose imports only tests or tooling run: they make no run-time dependency. */
const TEST_OR_TOOLING_FILE =
  /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|e2e|cypress|playwright)\/|\.(spec|test|e2e-spec|cy|stories)\.[cm]?[jt]sx?$|(^|\/)(jest|vitest|vite|cypress|playwright|eslint|webpack|rspack|rollup|esbuild)\.config\.[cm]?[jt]s$|(^|\/)test-setup\.[cm]?[jt]s$/;

export function isTestOrToolingFile(file: string): boolean {
  return TEST_OR_TOOLING_FILE.test(file);
}

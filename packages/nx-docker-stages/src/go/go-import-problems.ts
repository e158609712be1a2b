/**
 * Imports Go would refuse to build, found before any image build: a cycle between workspace
 * packages, an import of a workspace module's package that is not there, and an import of a module
 * that no go.mod requires. Setup, `nx sync` and `nx sync:check` name each with its file and the
 * fix instead of an image build failing later. Pure: the workspace model in, problems out.
 */
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { pathInDir } from '../workspace/workspace-paths';
import { GoImportEdge, workspaceDirOfImport } from './go-import-graph';
import { GoWorkspace, unitOfModule } from './go-workspace';

/** `edges`: the workspace's import graph (goImportGraph), which the Go plan has computed already. */
export function goImportProblems(ws: GoWorkspace, edges: GoImportEdge[]): WorkspaceFileError[] {
  return [...missingImports(ws), ...importCycles(ws, edges)];
}

/** Go's rule: a standard-library path has no dot in its first element (and "C" is cgo). */
function isStandardLibrary(importPath: string): boolean {
  return !importPath.split('/')[0].includes('.');
}

function missingImports(ws: GoWorkspace): WorkspaceFileError[] {
  const problems: WorkspaceFileError[] = [];
  const requiredBy = new Map<string, string[]>();
  /** Every module a build of this module sees required: its unit's modules' requirements (go.work builds with all of them). */
  const requiredFrom = (moduleDir: string) => {
    const unit = unitOfModule(ws, moduleDir);
    let required = requiredBy.get(unit.id);
    if (!required) requiredBy.set(unit.id, (required = unit.moduleDirs.flatMap((dir) => ws.modules.get(dir)?.requires ?? [])));
    return required;
  };
  for (const pkg of ws.packages.values()) {
    const goMod = pathInDir(pkg.moduleDir, 'go.mod');
    for (const { file, imports } of pkg.sources) {
      for (const importPath of imports) {
        const inWorkspace = workspaceDirOfImport(ws, pkg.moduleDir, importPath);
        if (inWorkspace) {
          if (!ws.packages.has(inWorkspace.packageDir)) {
            problems.push(
              new WorkspaceFileError(
                file,
                `${file}: imports "${importPath}", but module ${inWorkspace.modulePath} has no package in ${inWorkspace.packageDir} (no Go file there that builds for linux); fix the import path or add the package`,
              ),
            );
          }
          continue;
        }
        if (isStandardLibrary(importPath)) continue;
        if (requiredFrom(pkg.moduleDir).some((m) => importPath === m || importPath.startsWith(`${m}/`))) continue;
        problems.push(
          new WorkspaceFileError(
            file,
            `${file}: imports "${importPath}", which no module in ${goMod} (or the go.work it builds in) requires; run "go get ${importPath}" (or "go mod tidy") in ${pkg.moduleDir === '.' ? 'the workspace root' : pkg.moduleDir} and commit ${goMod} and go.sum`,
          ),
        );
      }
    }
  }
  return problems;
}

/** One problem per import cycle between workspace packages (per strongly connected group), naming each step. */
function importCycles(ws: GoWorkspace, edges: GoImportEdge[]): WorkspaceFileError[] {
  const out = new Map<string, GoImportEdge[]>();
  for (const e of edges) out.set(e.fromPackage, [...(out.get(e.fromPackage) ?? []), e]);
  return stronglyConnected([...ws.packages.keys()].sort(), (dir) => (out.get(dir) ?? []).map((e) => e.toPackage))
    .filter((group) => group.length > 1)
    .map((group) => {
      const members = new Set(group);
      const cycle = cycleThrough(group.sort()[0], members, out);
      const steps = cycle.map((e) => `${e.fromPackage} imports ${e.toPackage} (${e.sourceFile})`).join(', ');
      return new WorkspaceFileError(
        cycle[0].sourceFile,
        `import cycle not allowed: ${steps}; Go refuses to build any of them: move what they share into a package that imports neither`,
      );
    });
}

/** A shortest cycle from `start` back to it, through the group only (breadth-first). */
function cycleThrough(start: string, members: ReadonlySet<string>, out: ReadonlyMap<string, GoImportEdge[]>): GoImportEdge[] {
  const via = new Map<string, GoImportEdge>();
  const queue = [start];
  while (queue.length) {
    const dir = queue.shift()!;
    for (const e of out.get(dir) ?? []) {
      if (!members.has(e.toPackage)) continue;
      if (e.toPackage === start) {
        const path = [e];
        for (let at = dir; at !== start; at = via.get(at)!.fromPackage) path.unshift(via.get(at)!);
        return path;
      }
      if (!via.has(e.toPackage)) {
        via.set(e.toPackage, e);
        queue.push(e.toPackage);
      }
    }
  }
  return [];
}

/** Tarjan's strongly connected components, iteratively (a deep import chain must not overflow the stack). */
function stronglyConnected(nodes: string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; children: string[]; i: number }> = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node), i: 0 });
    };
    enter(root);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++];
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}

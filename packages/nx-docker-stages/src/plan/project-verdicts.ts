/**
 * The verdict on every project of the workspace, Go and Node, as setup prints it: an app (and how
 * its image is made), a library, or skipped with the reason and the fix, so nobody has to guess
 * why a project got no image. Pure.
 */
import { WorkspacePlan } from './workspace-plan';

export interface ProjectVerdict {
  project: string;
  root: string;
  toolchain: 'go' | 'node';
  verdict: 'app' | 'library' | 'skipped';
  why: string;
  /** For a skipped project: what to change so it gets an image. */
  fix?: string;
}

export function projectVerdicts(plan: WorkspacePlan): ProjectVerdict[] {
  const cgoApps = new Set(plan.go.apps.filter((a) => a.cgo).map((a) => a.projectName));
  const binary = (name: string) => (cgoApps.has(name) ? 'a binary linked with the C library (a package it imports uses cgo)' : 'the static binary');
  const go: ProjectVerdict[] = plan.go.projects.map((p) => ({
    project: p.name,
    root: p.root,
    toolchain: 'go',
    verdict: p.type === 'app' ? 'app' : 'library',
    why: p.type === 'app' ? `a Go main package (${p.mainPackageDir}); its image holds ${binary(p.name)}` : 'Go packages without a main package',
  }));
  const node: ProjectVerdict[] = (plan.node?.verdicts ?? []).map((v) => ({
    project: v.project,
    root: v.root,
    toolchain: 'node',
    verdict: v.verdict,
    why: v.verdict === 'skipped' ? `${v.file}: ${v.why}` : v.why,
    ...(v.verdict === 'skipped' ? { fix: v.fix } : {}),
  }));
  return [...go, ...node].sort((a, b) => a.root.localeCompare(b.root) || a.project.localeCompare(b.project));
}

/** The verdicts as lines for a terminal, apps first, then skipped projects, then libraries. */
export function verdictReport(verdicts: ProjectVerdict[]): string[] {
  const order = { app: 0, skipped: 1, library: 2 } as const;
  return [...verdicts]
    .sort((a, b) => order[a.verdict] - order[b.verdict])
    .map((v) => {
      const where = v.root === '.' ? 'the workspace root' : v.root;
      const head = `${v.project} (${where}, ${v.toolchain === 'go' ? 'Go' : 'Node'}): ${v.verdict === 'app' ? 'app' : v.verdict === 'library' ? 'library, no image' : 'skipped, no image'}`;
      return `${head}: ${v.why}${v.fix ? `. Fix: ${v.fix}` : ''}`;
    });
}

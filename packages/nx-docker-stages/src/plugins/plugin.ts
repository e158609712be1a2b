/**
 * Inference and graph: every Go app gets a cacheable `docker-build` target,
 * Go code without an Nx project gets an inferred one, and the Go import graph
 * becomes Nx project dependencies.
 */
import {
  AggregateCreateNodesError,
  CreateDependencies,
  CreateNodesContextV2,
  CreateNodesResult,
  CreateNodesV2,
  DependencyType,
  RawProjectGraphDependency,
  TargetConfiguration,
  validateDependency,
} from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoAppPlan } from '../docker/render-go-stages';
import { blockIds, stageNames } from '../docker/stage-names';
import { goImportGraph } from '../go/go-import-graph';
import { planGo } from '../go/go-plan';
import { DeclaredProject } from '../go/go-projects';
import { declaredProjects } from './declared-projects';
import { deepestContaining } from '../go/go-workspace';
import { isGoWorkspaceFile, readGoWorkspaceFromDisk } from './go-files';
import { DockerStagesPluginOptions, NormalizedPluginOptions, normalizePluginOptions } from './options';

export const createNodes: CreateNodesV2<DockerStagesPluginOptions> = [
  '**/{go.mod,go.sum,go.work,go.work.sum,*.go,project.json,package.json}',
  async (files, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const goFiles = files.filter(isGoWorkspaceFile);
    if (!goFiles.some((f) => f.endsWith('go.mod'))) return [];
    try {
      const declared = declaredProjects(files, (file) => readFileSync(join(context.workspaceRoot, file), 'utf8'));
      return inferGoProjects(goFiles, declared, options, context);
    } catch (error) {
      // One message for the whole Go model: it is computed for the workspace at once.
      throw new AggregateCreateNodesError([[goFiles.find((f) => f.endsWith('go.mod')) ?? null, error as Error]], []);
    }
  },
];

/** Nx 21 and earlier name the v2 API `createNodesV2`; Nx 22+ read `createNodes`. */
export const createNodesV2 = createNodes;

function inferGoProjects(
  goFiles: string[],
  declared: DeclaredProject[],
  options: NormalizedPluginOptions,
  context: CreateNodesContextV2,
): Array<readonly [string, CreateNodesResult]> {
  const ws = readGoWorkspaceFromDisk(context.workspaceRoot, goFiles);
  const plan = planGo(ws, declared);
  const apps = new Map(plan.apps.map((a) => [a.projectName, a]));
  const moduleDirs = [...ws.modules.keys()];
  const results: Array<readonly [string, CreateNodesResult]> = [];
  for (const project of plan.projects) {
    const app = apps.get(project.name);
    const moduleDir = deepestContaining(project.root, moduleDirs) ?? '.';
    const goMod = moduleDir === '.' ? 'go.mod' : `${moduleDir}/go.mod`;
    results.push([
      goMod,
      {
        projects: {
          [project.root]: {
            name: project.name,
            projectType: project.type === 'app' ? 'application' : 'library',
            tags: ['lang:go'],
            targets: app ? { [options.targetName]: dockerBuildTarget(app, options, context.workspaceRoot) } : {},
          },
        },
      },
    ]);
  }
  return results;
}

/** The command Nx runs to fingerprint only this app's part of the shared Dockerfile. */
function fingerprintCommand(workspaceRoot: string, dockerfile: string, ids: string[]): string {
  const script = 'node_modules/nx-docker-stages/bin/stage-fingerprint.js';
  // Relative to the workspace root, so the command (and so the hash) is the same on every clone.
  const local = existsSync(join(workspaceRoot, script)) ? script : require.resolve('../../bin/stage-fingerprint.js');
  return ['node', local, dockerfile, ...ids].join(' ');
}

export function dockerBuildTarget(
  app: GoAppPlan,
  options: NormalizedPluginOptions,
  workspaceRoot: string,
): TargetConfiguration {
  const moduleFiles = app.unit.moduleDirs.flatMap((dir) =>
    ['go.mod', ...(app.unit.goSumDirs.includes(dir) ? ['go.sum'] : [])].map((f) => `{workspaceRoot}/${dir === '.' ? f : `${dir}/${f}`}`),
  );
  const workFiles =
    app.unit.kind === 'work'
      ? ['go.work', ...(app.unit.hasGoWorkSum ? ['go.work.sum'] : [])].map((f) => `{workspaceRoot}/${app.unit.dir === '.' ? f : `${app.unit.dir}/${f}`}`)
      : [];
  const stage = stageNames.runtime(app.projectName);
  return {
    executor: 'nx-docker-stages:docker-build',
    cache: true,
    options: { dockerfile: options.dockerfile, target: stage },
    inputs: [
      '{projectRoot}/**/*',
      '!{projectRoot}/**/*_test.go',
      { input: 'default', dependencies: true } as never,
      ...moduleFiles,
      ...workFiles,
      '{workspaceRoot}/.dockerignore',
      { runtime: fingerprintCommand(workspaceRoot, options.dockerfile, [blockIds.goBase(app.unit.id), blockIds.app(app.projectName)]) },
    ],
    outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
    metadata: {
      technologies: ['docker', 'go'],
      description: `Build the "${stage}" image of ${app.projectName} from ${options.dockerfile}`,
      help: {
        command: `docker build --target ${stage} -f ${options.dockerfile} .`,
        example: { options: { tags: ['latest', '1.0.0'], network: 'host' } },
      },
    },
  };
}

/** Go import edges as static project dependencies, each with the file whose import makes it. */
export const createDependencies: CreateDependencies<DockerStagesPluginOptions> = async (_options, context) => {
  const allFiles = [
    ...Object.values(context.fileMap.projectFileMap).flatMap((files) => files.map((f) => f.file)),
    ...context.fileMap.nonProjectFiles.map((f) => f.file),
  ];
  const goFiles = allFiles.filter(isGoWorkspaceFile);
  if (!goFiles.some((f) => f.endsWith('go.mod'))) return [];
  const ws = readGoWorkspaceFromDisk(context.workspaceRoot, goFiles);
  const roots = new Map(Object.entries(context.projects).map(([name, p]) => [p.root, name]));
  const dependencies: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();
  for (const edge of goImportGraph(ws)) {
    const source = roots.get(deepestContaining(edge.fromPackage, roots.keys()) ?? '');
    const target = roots.get(deepestContaining(edge.toPackage, roots.keys()) ?? '');
    if (!source || !target || source === target || seen.has(`${source}>${target}`)) continue;
    seen.add(`${source}>${target}`);
    const dependency: RawProjectGraphDependency = { source, target, sourceFile: edge.sourceFile, type: DependencyType.static };
    validateDependency(dependency, context);
    dependencies.push(dependency);
  }
  return dependencies;
};

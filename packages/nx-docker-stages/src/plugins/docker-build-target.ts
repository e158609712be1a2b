/**
 * The inferred docker-build target of an app: cacheable, with inputs that
 * cover exactly what its image is built from, and the metadata `nx show
 * project` explains it with.
 */
import { TargetConfiguration } from '@nx/devkit';
import { relative, resolve, sep } from 'node:path';
import { GoAppPlan } from '../docker/render-go-stages';
import { blockIds, stageNames } from '../docker/stage-names';
import { NodeAppPlan } from '../node/node-apps';
import { NodeWorkspace } from '../node/node-workspace';
import { NormalizedPluginOptions } from './options';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** The command Nx runs to fingerprint only this app's part of the shared Dockerfile. */
function fingerprintCommand(workspaceRoot: string, dockerfile: string, ids: string[]): string {
  // Relative to the workspace root (node_modules/… or .nx/installation/node_modules/…), so the
  // command, and so the hash, is the same on every clone; Nx runs it from the workspace root.
  const script = relative(workspaceRoot, require.resolve('../../bin/stage-fingerprint.js')).split(sep).join('/');
  return ['node', script.startsWith('..') ? resolve(workspaceRoot, script) : script, dockerfile, ...ids].join(' ');
}

function target(
  projectName: string,
  technology: 'go' | 'node',
  inputs: Input[],
  baseBlock: string,
  options: NormalizedPluginOptions,
  workspaceRoot: string,
  extraOptions: Record<string, unknown> = {},
): TargetConfiguration {
  const stage = stageNames.runtime(projectName);
  return {
    executor: 'nx-docker-stages:docker-build',
    cache: true,
    // Keeps this app's stages current as the graph changes; `nx sync:check` fails in CI while they are stale.
    syncGenerators: ['nx-docker-stages:sync'],
    options: { dockerfile: options.dockerfile, target: stage, ...extraOptions },
    inputs: [
      '{projectRoot}/**/*',
      ...inputs,
      '{workspaceRoot}/.dockerignore',
      { runtime: fingerprintCommand(workspaceRoot, options.dockerfile, [baseBlock, blockIds.app(projectName)]) },
      // Without this Nx hashes every external dependency of the workspace, so any lockfile change would
      // rebuild every image. Listing none leaves the versions of the project's own npm dependencies
      // (from the project graph) in the hash, and nothing else; the plugin's version is in the fingerprint.
      { externalDependencies: [] },
    ],
    outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
    metadata: {
      technologies: ['docker', technology],
      description: `Build the "${stage}" image of ${projectName} from ${options.dockerfile}`,
      help: {
        command: `docker build --target ${stage} -f ${options.dockerfile} .`,
        example: { options: { tags: ['latest', '1.0.0'], network: 'host' } },
      },
    },
  };
}

const inWorkspace = (dir: string, file: string) => `{workspaceRoot}/${dir === '.' ? file : `${dir}/${file}`}`;

export function goDockerBuildTarget(app: GoAppPlan, options: NormalizedPluginOptions, workspaceRoot: string): TargetConfiguration {
  const moduleFiles = app.unit.moduleDirs.flatMap((dir) =>
    ['go.mod', ...(app.unit.goSumDirs.includes(dir) ? ['go.sum'] : [])].map((f) => inWorkspace(dir, f)),
  );
  const workFiles = app.unit.kind === 'work' ? ['go.work', ...(app.unit.hasGoWorkSum ? ['go.work.sum'] : [])].map((f) => inWorkspace(app.unit.dir, f)) : [];
  return target(
    app.projectName,
    'go',
    ['!{projectRoot}/**/*_test.go', { input: 'default', dependencies: true } as Input, ...moduleFiles, ...workFiles],
    blockIds.goBase(app.unit.id),
    options,
    workspaceRoot,
  );
}

/**
 * The lockfile itself is not an input: Nx hashes the versions of the app's own
 * npm dependencies from the project graph, so a lockfile change that touches
 * only another app's dependencies leaves this app's hash alone.
 */
export function nodeDockerBuildTarget(
  app: NodeAppPlan,
  ws: NodeWorkspace,
  options: NormalizedPluginOptions,
  workspaceRoot: string,
): TargetConfiguration {
  return target(
    app.projectName,
    'node',
    [{ input: 'default', dependencies: true } as Input, '{workspaceRoot}/package.json', ...ws.installFiles.map((f) => `{workspaceRoot}/${f}`)],
    blockIds.nodeBase,
    options,
    workspaceRoot,
    { pruneDependencies: true },
  );
}

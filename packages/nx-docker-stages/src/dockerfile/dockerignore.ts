/**
 * The managed block of the workspace's .dockerignore: what never enters a build context. Pure.
 */
import { pathInDir, prunedDependenciesDir } from '../workspace/workspace-paths';
import { ManagedBlock } from './managed-blocks';
import { StagePlan } from './render-dockerfile';

/**
 * The files the docker-build executor writes for each Node app's dependencies stage. They sit under
 * dist/, which the context leaves out, so each is let back in by name: the engine's ignore matching
 * does not let wildcard exceptions reach into an excluded folder.
 */
export function prunedDependencyFiles(node: StagePlan['node']): string[] {
  if (!node) return [];
  const files = ['package.json', node.ws.lockfile, ...(node.ws.packageManager === 'pnpm' ? ['pnpm-workspace.yaml'] : [])];
  return node.apps.flatMap((app) => files.map((f) => pathInDir(prunedDependenciesDir(app.projectName), f))).sort();
}

/**
 * Keeps the VCS, dependencies, build output, environment files and keys out of every build context,
 * and the apps' Dockerfiles too (BuildKit reads a Dockerfile apart from the context): a stage that
 * copies an app's folder must not ship its Dockerfile, nor rebuild when only another stage changed.
 */
export function dockerignoreBlock(prunedFiles: string[] = [], dockerfileName = 'Dockerfile'): ManagedBlock {
  return {
    id: 'ignore',
    body: [
      '# Never part of an image: VCS data, installed dependencies, build output and caches, secrets.',
      '.git',
      `**/${dockerfileName}`,
      '**/node_modules',
      'dist',
      ...(prunedFiles.length ? ["# Let back in: each Node app's pruned manifest and lockfile, written by docker-build for its dependencies stage."] : []),
      ...prunedFiles.map((f) => `!${f}`),
      'tmp',
      '.nx',
      '**/.env',
      '**/.env.*',
      '**/.npmrc',
      '**/*.pem',
      '**/*.key',
      '**/*.p12',
      '**/*.pfx',
      '**/id_rsa*',
      '**/id_ed25519*',
      '**/id_ecdsa*',
    ].join('\n'),
  };
}

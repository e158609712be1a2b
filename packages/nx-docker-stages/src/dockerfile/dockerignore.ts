/**
 * The managed block of the workspace's .dockerignore: what never enters a build context from the
 * workspace root (the Go apps' context; a Node app's context is staged apart). Pure.
 */
import { CREDENTIAL_FILE_PATTERNS } from '../workspace/credential-files';
import { ManagedBlock } from './managed-blocks';

/**
 * Keeps the VCS, dependencies, build output, environment files and keys out of every build context,
 * and the apps' Dockerfiles too (BuildKit reads a Dockerfile apart from the context): a stage that
 * copies an app's folder must not ship its Dockerfile, nor rebuild when only another stage changed.
 */
export function dockerignoreBlock(dockerfileName = 'Dockerfile'): ManagedBlock {
  return {
    id: 'ignore',
    body: [
      '# Never part of an image: VCS data, installed dependencies, build output and caches, secrets.',
      '.git',
      `**/${dockerfileName}`,
      '**/node_modules',
      'dist',
      'tmp',
      '.nx',
      ...CREDENTIAL_FILE_PATTERNS,
    ].join('\n'),
  };
}

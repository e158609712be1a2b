/** The argument array of one image build. Pure: options in, argv out; never a shell string. */
import { resolve } from 'node:path';
import { EngineError } from './engine-error';
import { ImageBuildOptions } from './image-build-options';
import { credentialShapeOf } from './secret-values';

export interface BuildRequest {
  projectName: string;
  workspaceRoot: string;
  /** `dockerfile` is relative to the workspace root, or absolute (the per-build copy). */
  options: ImageBuildOptions;
  /** The full references to tag the image with (imageReferences). */
  refs: string[];
  buildCommand: string[];
  iidFile: string;
}

// Docker's reference grammar: lower-case path components, and tags of up to 128 characters.
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SECRET_LIKE = /(TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

export function defaultImageName(projectName: string): string {
  return projectName.toLowerCase().replace(/^@/, '').replace(/[^a-z0-9._/-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
}

/** The full references (`registry/name:tag`) the image gets. Throws on a name Docker would refuse. */
export function imageReferences(projectName: string, options: ImageBuildOptions): string[] {
  const name = options.imageName ?? defaultImageName(projectName);
  for (const part of name.split('/')) {
    if (!NAME_COMPONENT.test(part)) {
      throw new EngineError(`${projectName}: image name "${name}" is not valid for Docker (lower-case letters, digits, '.', '_', '-', '/'); set "imageName"`);
    }
  }
  const tags = options.tags?.length ? options.tags : ['latest'];
  for (const tag of tags) {
    if (!TAG.test(tag)) throw new EngineError(`${projectName}: tag "${tag}" is not valid for Docker (letters, digits, '_', '.', '-'; at most 128); fix "tags"`);
  }
  const prefix = options.registry ? `${options.registry.replace(/\/+$/, '')}/` : '';
  return tags.map((tag) => `${prefix}${name}:${tag}`);
}

/** A build arg or label whose value looks like a credential: refused before anything is logged or written, the value never repeated. */
function refuseCredentialValue(projectName: string, what: 'build arg' | 'label', key: string, value: string): void {
  const shape = credentialShapeOf(String(value));
  if (!shape) return;
  throw new EngineError(
    `${projectName}: the value of ${what} "${key}" looks like ${shape} (not shown here), and ${what}s are recorded in the image, the build log and metadata.json; ` +
      'pass it in "secrets" instead and read it with RUN --mount=type=secret,id=...',
  );
}

export function buildArgv(request: BuildRequest): string[] {
  const { options, projectName, workspaceRoot } = request;
  const argv = [...request.buildCommand, '--file', resolve(workspaceRoot, options.dockerfile ?? 'Dockerfile'), '--target', options.target];
  argv.push('--iidfile', request.iidFile, '--progress', 'plain');
  for (const ref of request.refs) argv.push('--tag', ref);
  if (options.network) argv.push('--network', options.network);
  if (options.platform) argv.push('--platform', options.platform);
  if (options.pull) argv.push('--pull');
  if (options.noCache) argv.push('--no-cache');
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) {
    if (SECRET_LIKE.test(key)) {
      throw new EngineError(
        `${projectName}: build arg "${key}" looks like a secret, and build args are recorded in the image history; ` +
          `pass it in "secrets" instead and read it with RUN --mount=type=secret,id=...`,
      );
    }
    refuseCredentialValue(projectName, 'build arg', key, value);
    argv.push('--build-arg', `${key}=${value}`);
  }
  for (const [key, value] of Object.entries(options.labels ?? {})) {
    refuseCredentialValue(projectName, 'label', key, value);
    argv.push('--label', `${key}=${value}`);
  }
  for (const secret of options.secrets ?? []) {
    if (!secret.id || (secret.src === undefined) === (secret.env === undefined)) {
      throw new EngineError(`${projectName}: each entry of "secrets" needs an "id" and exactly one of "src" (a file) or "env" (a variable)`);
    }
    if (secret.env !== undefined && !request.buildCommand.includes('buildx')) {
      throw new EngineError(
        `${projectName}: secret "${secret.id}" is read from an environment variable, which needs a docker client with buildx; ` +
          `write it to a file and use "src", or install buildx`,
      );
    }
    const source = secret.src !== undefined ? `src=${resolve(workspaceRoot, secret.src)}` : `env=${secret.env}`;
    argv.push('--secret', `id=${secret.id},${source}`);
  }
  // The workspace root (Go stages copy workspace-relative paths), or the folder docker-build staged for a Node app.
  argv.push(resolve(workspaceRoot, options.context ?? '.'));
  return argv;
}

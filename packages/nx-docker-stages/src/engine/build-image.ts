/**
 * One engine build of an app's image: the argument array (no shell), the
 * engine's output handed on as it comes, cancelled with the process on
 * SIGINT/SIGTERM, and the image id it produced. Used by the docker-build
 * executor and by the restore of a cached result whose image the engine lacks.
 */
import { logger } from '../nx-runtime';
import execa from 'execa';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArgv } from './build-argv';
import { explainBuildFailure } from './build-failure';
import { BuildClient } from './docker-client';
import { EngineError } from './engine-error';
import { withGoBuildSecrets } from './go-build-secrets';
import { ResolvedImageBuildOptions } from './image-build-options';

/** How much of the engine's output is kept to explain a failure. */
const OUTPUT_TAIL = 256 * 1024;

export interface ImageBuild {
  projectName: string;
  workspaceRoot: string;
  options: ResolvedImageBuildOptions;
  /** The full references to tag the image with (imageReferences). */
  refs: string[];
  client: BuildClient;
  /** Receives the engine's output as it comes, from the stream it came on. */
  onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
}

/** Builds the image; returns its id. Throws an EngineError (with the output's tail when the engine ran). */
export async function buildImage({ projectName, workspaceRoot, options, refs, client, onOutput }: ImageBuild): Promise<{ imageId: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'nx-docker-stages-'));
  try {
    const iidFile = join(scratch, 'iid');
    const dockerfile = copyForBuild(join(workspaceRoot, options.dockerfile), scratch, options.target);
    // The machine's Go module settings and .netrc, for Go steps that mount them; not options, so never in metadata.json.
    const secrets = withGoBuildSecrets({ projectName, dockerfileText: readFileSync(dockerfile, 'utf8'), secrets: options.secrets, network: options.network }, scratch);
    const argv = buildArgv({ projectName, workspaceRoot, options: { ...options, dockerfile, secrets }, refs, buildCommand: client.buildCommand, iidFile });
    logger.info(`nx-docker-stages: ${client.path} ${argv.join(' ')}`);
    const child = execa(client.path, argv, {
      cwd: workspaceRoot,
      env: { ...process.env, ...client.env },
      reject: false,
      stdin: 'ignore',
      buffer: false,
    });
    let tail = '';
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      onOutput(chunk, stream);
      tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', keep('stdout'));
    child.stderr?.on('data', keep('stderr'));
    // Ctrl-C or SIGTERM from Nx must not leave a build running in the engine.
    const stop = () => child.kill('SIGTERM', { forceKillAfterTimeout: 5_000 });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const result = await child;
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    if (result.exitCode !== 0 || !existsSync(iidFile)) {
      throw new EngineError(explainBuildFailure(tail, result.exitCode, { projectName, dockerfile: options.dockerfile, target: options.target, platform: options.platform }), tail);
    }
    return { imageId: readFileSync(iidFile, 'utf8').trim() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Dockerfile the engine reads: a copy under a name of its own. BuildKit keeps the Dockerfile it
 * received under its file name between builds and re-sends only what changed by size and time, so
 * two apps' Dockerfiles of the same name (every app's is `Dockerfile`) can be read as each other
 * (moby/buildkit#1368; seen here as "target stage … could not be found" in parallel runs). A
 * `<Dockerfile>.dockerignore` beside it goes along, as BuildKit looks for it next to the file.
 */
function copyForBuild(dockerfile: string, scratch: string, target: string): string {
  const copy = join(scratch, `${target.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${randomBytes(4).toString('hex')}.Dockerfile`);
  copyFileSync(dockerfile, copy);
  if (existsSync(`${dockerfile}.dockerignore`)) copyFileSync(`${dockerfile}.dockerignore`, `${copy}.dockerignore`);
  return copy;
}

/**
 * Choosing a docker client that can build with BuildKit. Docker 23+ clients
 * build with BuildKit only through the buildx component; older clients (such
 * as Debian's docker.io 20.10) have BuildKit built in behind DOCKER_BUILDKIT=1.
 */
import execa from 'execa';
import { EngineError } from './engine-error';

export interface ClientProbe {
  path: string;
  clientVersion?: string;
  serverVersion?: string;
  /** Why the engine did not answer through this client. */
  serverError?: string;
  buildx: boolean;
}

export interface BuildClient {
  path: string;
  /** Arguments before the build options: `buildx build --load` or `build`. */
  buildCommand: string[];
  env: Record<string, string>;
  serverVersion: string;
}

export const DEFAULT_CLIENTS = ['docker', '/usr/bin/docker'];

function major(version: string | undefined): number {
  return Number.parseInt((version ?? '').split('.')[0], 10);
}

/** Picks the first client that reaches an engine and can use BuildKit, or explains why none can. */
export function chooseBuildClient(probes: ClientProbe[]): { client: BuildClient } | { error: string } {
  for (const p of probes) {
    if (!p.serverVersion) continue;
    if (p.buildx) {
      return { client: { path: p.path, buildCommand: ['buildx', 'build', '--load'], env: {}, serverVersion: p.serverVersion } };
    }
    if (major(p.clientVersion) < 23) {
      return { client: { path: p.path, buildCommand: ['build'], env: { DOCKER_BUILDKIT: '1' }, serverVersion: p.serverVersion } };
    }
  }
  const tried = probes.map((p) => `  - ${p.path}${p.clientVersion ? ` (client ${p.clientVersion})` : ''}: ${describe(p)}`).join('\n');
  if (!probes.some((p) => p.serverVersion)) {
    return {
      error:
        `no Docker engine answers. Tried:\n${tried}\n` +
        'Start the engine (dockerd, Docker Desktop) or point DOCKER_HOST at one, then run the target again.',
    };
  }
  return {
    error:
      `the engine answers, but no client here can build with BuildKit. Tried:\n${tried}\n` +
      'Docker 23 and newer need the buildx component for BuildKit: install it (Debian: apt-get install docker-buildx), ' +
      'or set the "docker" option to a client with built-in BuildKit (Docker 20.10 or older, such as Debian\'s docker.io at /usr/bin/docker).',
  };
}

function describe(p: ClientProbe): string {
  if (!p.clientVersion) return p.serverError ?? 'not found';
  if (!p.serverVersion) return `engine not reachable (${p.serverError ?? 'no answer'})`;
  if (!p.buildx) return 'no buildx component, and this client refuses BuildKit without it';
  return 'usable';
}

/** Asks one client for its version, its engine's version and whether buildx is there. */
export async function probeClient(path: string): Promise<ClientProbe> {
  // Both questions at once: each is a process start of the client.
  const [version, buildx] = await Promise.all([
    execa(path, ['version', '--format', '{{json .}}'], { reject: false, timeout: 30_000 }),
    execa(path, ['buildx', 'version'], { reject: false, timeout: 30_000 }),
  ]);
  if ((version as { failed?: boolean; exitCode?: number }).exitCode === undefined || version.stdout === '') {
    return { path, buildx: false, serverError: firstLine(version.stderr) || lastLine((version as { shortMessage?: string }).shortMessage) || 'not found' };
  }
  let parsed: { Client?: { Version?: string }; Server?: { Version?: string } | null } = {};
  try {
    parsed = JSON.parse(version.stdout);
  } catch {
    // Older clients print the client part and then fail on the server part.
  }
  return {
    path,
    clientVersion: parsed.Client?.Version,
    serverVersion: parsed.Server?.Version,
    serverError: parsed.Server?.Version ? undefined : firstLine(version.stderr),
    buildx: buildx.exitCode === 0,
  };
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').pop() ?? '';
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

/**
 * Probes the configured client, or the defaults (all at once), and picks the first usable in order.
 * Throws an EngineError saying why none is.
 */
export async function resolveBuildClient(configured?: string): Promise<BuildClient> {
  const candidates = configured ? [configured] : DEFAULT_CLIENTS;
  const choice = chooseBuildClient(await Promise.all(candidates.map(probeClient)));
  if ('error' in choice) throw new EngineError(choice.error);
  return choice.client;
}

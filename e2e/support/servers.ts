/**
 * Servers the CI-path suites need, on loopback only, started and stopped by
 * the suites themselves: Nx's self-hosted remote cache (its HTTP API) and a
 * container registry (Debian's docker-registry).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './workspace';

export interface RemoteCache {
  url: string;
  /** Hashes stored in the cache so far. */
  stored(): string[];
  /** Hashes served from it so far. */
  served(): string[];
  close(): Promise<void>;
}

/** Nx's self-hosted remote cache API (GET and PUT /v1/cache/<hash>), served by a separate process. */
export async function startRemoteCache(): Promise<RemoteCache> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-remote-cache-'));
  const child = spawn(process.execPath, [join(__dirname, 'remote-cache-server.js'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`remote cache server exited (${code})`)));
  });
  const listing = () => readdirSync(dir).filter((f) => f.endsWith('.tar')).map((f) => f.slice(0, -4));
  const served = () => (existsSync(join(dir, 'served.log')) ? readFileSync(join(dir, 'served.log'), 'utf8').split('\n').filter(Boolean) : []);
  return {
    url: `http://127.0.0.1:${port}`,
    stored: listing,
    served,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface Registry {
  /** host:port, usable as the `registry` option; the engine allows plain HTTP to 127.0.0.0/8. */
  address: string;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port with its storage in a temp folder. */
export async function startRegistry(): Promise<Registry> {
  const binary = execFileSync('bash', [join(REPO_ROOT, 'scripts/engine/ensure-registry.sh')], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-registry-'));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', `  filesystem:`, `    rootdirectory: ${join(dir, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['serve', config], { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${address}/v2/`);
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (i > 100) {
      child.kill();
      throw new Error(`docker-registry did not answer on ${address} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

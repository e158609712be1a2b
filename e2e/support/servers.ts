/**
 * Servers the suites need, on loopback only, started and stopped by the
 * suites themselves: Nx's self-hosted remote cache (its HTTP API), a container
 * registry (Debian's docker-registry) and a Go module proxy.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './workspace';

export interface RemoteCache {
  url: string;
  /** Hashes stored in the cache so far. */
  stored(): string[];
  /** Hashes served from it so far. */
  served(): string[];
  close(): Promise<void>;
}

/** A Node server script of this folder, run as a separate process with its own temp folder: its port, folder, and how to stop it. */
async function startScriptServer(script: string, prefix: string, args: string[] = [], scheme = 'http'): Promise<{ url: string; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const child = spawn(process.execPath, [join(__dirname, script), dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    dir,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Nx's self-hosted remote cache API (GET and PUT /v1/cache/<hash>), served by a separate process. */
export async function startRemoteCache(): Promise<RemoteCache> {
  const { url, dir, close } = await startScriptServer('remote-cache-server.js', 'nx-docker-stages-remote-cache-');
  const listing = () => readdirSync(dir).filter((f) => f.endsWith('.tar')).map((f) => f.slice(0, -4));
  const served = () => (existsSync(join(dir, 'served.log')) ? readFileSync(join(dir, 'served.log'), 'utf8').split('\n').filter(Boolean) : []);
  return { url, stored: listing, served, close };
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

export interface GoProxy {
  /** The GOPROXY value. */
  url: string;
  /** Serves a module version made of these files (paths relative to the module root, go.mod among them). */
  publish(modulePath: string, version: string, files: Record<string, string>): void;
  /** The requests so far, in order. */
  requests(): Array<{ status: number; path: string }>;
  close(): Promise<void>;
}

/** A throwaway certificate authority's certificate, and a server key and certificate it signed for 127.0.0.1 (openssl, in `dir`). */
export interface LoopbackTls {
  caFile: string;
  keyFile: string;
  certFile: string;
}

export function makeLoopbackTls(dir: string): LoopbackTls {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=nx-docker-stages e2e CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  return { caFile: join(dir, 'ca.crt'), keyFile: join(dir, 'server.key'), certFile: join(dir, 'server.crt') };
}

/**
 * A Go module proxy on loopback: the modules published to it, and for others what the machine's Go
 * module proxy serves; it logs each request. With `tls`, HTTPS only; with `auth` ("user:password"),
 * it answers only requests with those credentials, as a company's private proxy does.
 */
export async function startGoProxy(options: { tls?: LoopbackTls; auth?: string } = {}): Promise<GoProxy> {
  const args = [...(options.tls ? [`--tls=${options.tls.keyFile},${options.tls.certFile}`] : []), ...(options.auth ? [`--auth=${options.auth}`] : [])];
  const { url, dir, close } = await startScriptServer('go-proxy-server.js', 'nx-docker-stages-goproxy-', args, options.tls ? 'https' : 'http');
  const log = join(dir, 'requests.log');
  return {
    url,
    publish(modulePath, version, files) {
      for (const [file, content] of Object.entries(files)) {
        const path = join(dir, 'modules', modulePath, version, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    },
    requests: () =>
      (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []).map((line) => {
        const [status, path] = line.split(' ');
        return { status: Number(status), path };
      }),
    close,
  };
}

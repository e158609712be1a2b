/**
 * A minimal Nx remote cache on 127.0.0.1, speaking Nx's self-hosted cache
 * protocol (OpenAPI spec "Nx custom remote cache specification": PUT and GET
 * /v1/cache/{hash}, tar archives as bodies). Nx uses it when
 * NX_SELF_HOSTED_REMOTE_CACHE_SERVER names it. Entries are files in `dir`.
 */
const http = require('node:http');
const { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pipeline } = require('node:stream/promises');

async function startRemoteCache(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const stats = { puts: 0, gets: 0, hits: 0, misses: 0, bytesStored: 0, bytesServed: 0 };
  const server = http.createServer(async (req, res) => {
    const m = /^\/v1\/cache\/([A-Za-z0-9._-]+)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const file = join(dir, m[1]);
    try {
      if (req.method === 'PUT') {
        stats.puts++;
        if (existsSync(file)) {
          req.resume();
          res.writeHead(409).end('Cannot override an existing record');
          return;
        }
        const temporary = `${file}.tmp`;
        await pipeline(req, createWriteStream(temporary));
        renameSync(temporary, file);
        stats.bytesStored += statSync(file).size;
        res.writeHead(200).end();
      } else if (req.method === 'GET') {
        stats.gets++;
        if (!existsSync(file)) {
          stats.misses++;
          res.writeHead(404).end();
          return;
        }
        stats.hits++;
        const size = statSync(file).size;
        stats.bytesServed += size;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
        await pipeline(createReadStream(file), res);
      } else {
        res.writeHead(405).end();
      }
    } catch (e) {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, stats, close: () => new Promise((resolve) => server.close(resolve)) };
}

module.exports = { startRemoteCache };

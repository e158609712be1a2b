// Nx's self-hosted remote cache API on loopback, as a separate process (the tests run Nx
// synchronously, so a server inside the test process could not answer):
// GET and PUT /v1/cache/<hash>, entries stored as files in the folder given.
// Usage: node remote-cache-server.js <folder>; prints the port, then serves until killed.
const { createServer } = require('node:http');
const { existsSync, readFileSync, writeFileSync, appendFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.argv[2];
const server = createServer((req, res) => {
  appendFileSync(join(dir, 'requests.log'), `${req.method} ${req.url}\n`);
  const hash = /^\/v1\/cache\/([A-Za-z0-9_-]+)(?:\?|$)/.exec(req.url || '')?.[1];
  if (!hash) return res.writeHead(404).end();
  const file = join(dir, `${hash}.tar`);
  if (req.method === 'GET') {
    if (!existsSync(file)) return res.writeHead(404).end();
    appendFileSync(join(dir, 'served.log'), `${hash}\n`);
    const body = readFileSync(file);
    return res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
  }
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (existsSync(file)) return res.writeHead(409).end();
      writeFileSync(file, Buffer.concat(chunks));
      res.writeHead(200).end();
    });
    return;
  }
  res.writeHead(405).end();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));

// A Go module proxy on loopback, as a company's own proxy would be: it serves the modules published
// to it (folders <folder>/modules/<module path>/<version>/, made into module zips on request), and
// for every other module what the machine's Go module proxy serves (https://proxy.golang.org, or the
// second argument). Every request is logged, so a test can tell which builds fetched modules through
// it. With --tls=<key file>,<cert file> it answers HTTPS only, and with --auth=<user>:<password> it
// answers only requests that carry those credentials (HTTP basic authentication, as Go sends what a
// .netrc holds), as a private module proxy does. A separate process: the tests run Nx synchronously.
// Usage: node go-proxy-server.js <folder> [--tls=key,cert] [--auth=user:password] [upstream]; prints
// the port, then serves until killed; requests go to <folder>/requests.log as "<status> <path>".
const { createServer } = require('node:http');
const { createServer: createTlsServer } = require('node:https');
const { appendFileSync, existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const [dir, ...rest] = process.argv.slice(2);
const flag = (name) => rest.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const upstream = rest.find((a) => !a.startsWith('--')) ?? 'https://proxy.golang.org';
const tls = flag('tls')?.split(',');
const expectedAuthorization = flag('auth') && `Basic ${Buffer.from(flag('auth')).toString('base64')}`;
const published = join(dir, 'modules');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zip of stored (uncompressed) entries, as Go's module zips may be. */
function zipOf(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const filesUnder = (root) =>
  readdirSync(root, { recursive: true })
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort();

/** The answer for a published module, or undefined when the path names none. */
function publishedAnswer(path) {
  const m = /^\/(.+)\/@v\/(list|(.+)\.(info|mod|zip))$/.exec(path);
  if (!m) return undefined;
  const moduleDir = join(published, m[1]);
  if (!existsSync(moduleDir)) return undefined;
  if (m[2] === 'list') return [200, `${readdirSync(moduleDir).join('\n')}\n`];
  const versionDir = join(moduleDir, m[3]);
  if (!existsSync(versionDir)) return [404, 'not found\n'];
  if (m[4] === 'info') return [200, JSON.stringify({ Version: m[3], Time: '2026-12-01T00:00:00Z' })];
  if (m[4] === 'mod') return [200, readFileSync(join(versionDir, 'go.mod'))];
  return [200, zipOf(filesUnder(versionDir).map((f) => [`${m[1]}@${m[3]}/${f}`, readFileSync(join(versionDir, f))]))];
}

const handle = async (req, res) => {
  const log = (status) => appendFileSync(join(dir, 'requests.log'), `${status} ${req.url}\n`);
  if (expectedAuthorization && req.headers.authorization !== expectedAuthorization) {
    log(401);
    return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private modules"', 'Content-Type': 'text/plain' }).end('credentials required\n');
  }
  const own = publishedAnswer(req.url);
  if (own) {
    log(own[0]);
    return res.writeHead(own[0]).end(own[1]);
  }
  try {
    const answer = await fetch(`${upstream}${req.url}`, { redirect: 'follow' });
    const body = Buffer.from(await answer.arrayBuffer());
    log(answer.status);
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/octet-stream', 'Content-Length': body.length }).end(body);
  } catch (error) {
    log(502);
    res.writeHead(502).end(`upstream: ${error.message}\n`);
  }
};
const server = tls ? createTlsServer({ key: readFileSync(tls[0]), cert: readFileSync(tls[1]) }, handle) : createServer(handle);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

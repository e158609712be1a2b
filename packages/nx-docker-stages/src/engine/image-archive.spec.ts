import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { ImageLoadError, loadImage, saveImage } from './image-archive';

// The engine is a stub here: a script that answers as `docker` 20.10 would, from stub.json.
// That the real engine loads such an archive (it skips the layers it has without opening their
// files) is a property of the engine, not of this module; these specs check the archive's content.
const STUB = `#!/usr/bin/env node
const fs = require('fs');
const stub = JSON.parse(fs.readFileSync(__dirname + '/stub.json', 'utf8'));
const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'info') { process.stdout.write(JSON.stringify(stub.driverStatus)); process.exit(0); }
if (cmd === 'image') {
  const ref = rest[rest.length - 1];
  if (!stub.images[ref]) { process.stderr.write('Error: No such image: ' + ref + '\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify(stub.images[ref]) + '\\n'); process.exit(0);
}
if (cmd === 'save') {
  if (stub.saveError) { process.stderr.write(stub.saveError + '\\n'); process.exit(1); }
  const tarFile = fs.readFileSync(__dirname + '/saved.tar');
  if (rest[0] === '--output') fs.writeFileSync(rest[1], tarFile); else process.stdout.write(tarFile);
  process.exit(0);
}
if (cmd === 'load') {
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    fs.writeFileSync(__dirname + '/loaded.tar', Buffer.concat(chunks));
    if (stub.loadError) { process.stderr.write(stub.loadError + '\\n'); process.exit(1); }
    process.exit(0);
  });
}
`;

const BASE_LAYER = Buffer.alloc(64 * 1024, 'b');
const APP_LAYER = Buffer.from('the layer the app adds');
const CONFIG = JSON.stringify({ rootfs: { type: 'layers', diff_ids: ['sha256:base1', 'sha256:app1'] } });
const MANIFEST = JSON.stringify([{ Config: 'cfg.json', RepoTags: ['api:latest'], Layers: ['aaa/layer.tar', 'bbb/layer.tar'] }]);

/** A tar laid out as Docker 20.10's `docker save` lays it out. */
const DOCKER_20_LAYOUT: [string, Buffer | string | null][] = [
  ['aaa/', null],
  ['bbb/', null],
  ['aaa/VERSION', '1.0'],
  ['aaa/layer.tar', BASE_LAYER],
  ['bbb/VERSION', '1.0'],
  ['bbb/layer.tar', APP_LAYER],
  ['cfg.json', CONFIG],
  ['manifest.json', MANIFEST],
];

async function savedTar(files = DOCKER_20_LAYOUT): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of files) {
    if (body === null) pack.entry({ name, type: 'directory' });
    else pack.entry({ name }, body);
  }
  pack.finalize();
  return readAll(pack as unknown as Readable);
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The files of a gzipped tar, name → content. */
async function filesOf(gzipped: Buffer): Promise<Map<string, string>> {
  const extract = tar.extract();
  const files = new Map<string, string>();
  Readable.from([gunzipSync(gzipped)]).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) files.set(entry.header.name, (await readAll(entry)).toString());
  return files;
}

let dir: string;
let client: { path: string };
const stub = (config: object) =>
  writeFileSync(join(dir, 'stub.json'), JSON.stringify({ driverStatus: [['Backing Filesystem', 'extfs']], images: {}, ...config }));
const archive = () => join(dir, 'out', 'image.tar.gz');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'image-archive-spec-'));
  writeFileSync(join(dir, 'docker'), STUB);
  chmodSync(join(dir, 'docker'), 0o755);
  writeFileSync(join(dir, 'saved.tar'), await savedTar());
  client = { path: join(dir, 'docker') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saving the image into the cached result', () => {
  it('leaves out the layer files the base image brings, and keeps everything else as saved', async () => {
    stub({ images: { 'node:20-slim': ['sha256:base1'] } });
    const saved = await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' });
    expect(saved).toEqual({ archiveBase: 'node:20-slim', omittedLayers: 1 });
    const files = await filesOf(readFileSync(archive()));
    expect([...files.keys()]).toEqual(['aaa/', 'bbb/', 'aaa/VERSION', 'bbb/VERSION', 'bbb/layer.tar', 'cfg.json', 'manifest.json']);
    expect(files.get('bbb/layer.tar')).toBe(APP_LAYER.toString());
    expect(files.get('manifest.json')).toBe(MANIFEST);
  });

  it('reads the content-addressed layout of Docker 25 and newer as well', async () => {
    const manifest = JSON.stringify([{ Config: 'blobs/sha256/c0', RepoTags: ['api:latest'], Layers: ['blobs/sha256/b1', 'blobs/sha256/a1'] }]);
    writeFileSync(
      join(dir, 'saved.tar'),
      await savedTar([
        ['blobs/', null],
        ['blobs/sha256/', null],
        ['blobs/sha256/a1', APP_LAYER],
        ['blobs/sha256/b1', BASE_LAYER],
        ['blobs/sha256/c0', CONFIG],
        ['index.json', '{}'],
        ['manifest.json', manifest],
        ['oci-layout', '{"imageLayoutVersion":"1.0.0"}'],
      ]),
    );
    stub({ images: { 'node:20-slim': ['sha256:base1'] } });
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' })).toEqual({ archiveBase: 'node:20-slim', omittedLayers: 1 });
    expect([...(await filesOf(readFileSync(archive()))).keys()]).toEqual([
      'blobs/', 'blobs/sha256/', 'blobs/sha256/a1', 'blobs/sha256/c0', 'index.json', 'manifest.json', 'oci-layout',
    ]);
  });

  it('keeps every layer when the saved tar has no manifest.json to tell them apart', async () => {
    writeFileSync(join(dir, 'saved.tar'), await savedTar(DOCKER_20_LAYOUT.filter(([name]) => name !== 'manifest.json')));
    stub({ images: { 'node:20-slim': ['sha256:base1'] } });
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' })).toEqual({ omittedLayers: 0 });
    expect((await filesOf(readFileSync(archive()))).has('aaa/layer.tar')).toBe(true);
  });

  it('keeps every layer when no base image is given, or the base is scratch', async () => {
    stub({});
    expect(await saveImage(client, ['api:latest'], archive())).toEqual({ omittedLayers: 0 });
    expect((await filesOf(readFileSync(archive()))).has('aaa/layer.tar')).toBe(true);
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'scratch' })).toEqual({ omittedLayers: 0 });
  });

  it('keeps every layer when the engine does not have the base image', async () => {
    stub({});
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' })).toEqual({ omittedLayers: 0 });
    expect((await filesOf(readFileSync(archive()))).get('aaa/layer.tar')).toBe(BASE_LAYER.toString());
  });

  it('keeps every layer on an engine with the containerd image store, whose load wants every blob', async () => {
    stub({ images: { 'node:20-slim': ['sha256:base1'] }, driverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] });
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' })).toEqual({ omittedLayers: 0 });
    expect((await filesOf(readFileSync(archive()))).has('aaa/layer.tar')).toBe(true);
  });

  it('records no base when the image shares no layer with it', async () => {
    stub({ images: { 'node:22-slim': ['sha256:other'] } });
    expect(await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:22-slim' })).toEqual({ omittedLayers: 0 });
  });

  it('says what the engine said and leaves no half archive when the save fails', async () => {
    for (const options of [{}, { baseImage: 'node:20-slim' }]) {
      stub({ images: { 'node:20-slim': ['sha256:base1'] }, saveError: 'Error response from daemon: reference does not exist' });
      await expect(saveImage(client, ['api:latest'], archive(), options)).rejects.toThrow(
        'docker save api:latest failed: Error response from daemon: reference does not exist',
      );
      expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
    }
  });
});

describe('loading a cached archive', () => {
  it('feeds the engine the archive, unzipped', async () => {
    stub({ images: { 'node:20-slim': ['sha256:base1'] } });
    await saveImage(client, ['api:latest'], archive(), { baseImage: 'node:20-slim' });
    await loadImage(client, archive());
    expect(gunzipSync(readFileSync(archive())).equals(readFileSync(join(dir, 'loaded.tar')))).toBe(true);
  });

  it('reports what the engine said when the load fails', async () => {
    stub({ loadError: 'open /var/lib/docker/tmp/docker-import-1/aaa/layer.tar: no such file or directory' });
    await saveImage(client, ['api:latest'], archive());
    const failure = loadImage(client, archive());
    await expect(failure).rejects.toBeInstanceOf(ImageLoadError);
    await expect(failure).rejects.toMatchObject({ engineMessage: 'open /var/lib/docker/tmp/docker-import-1/aaa/layer.tar: no such file or directory' });
  });
});

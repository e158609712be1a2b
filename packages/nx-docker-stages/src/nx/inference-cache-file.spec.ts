import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFile } from 'nx/src/hasher/file-hasher';
import { InferenceCache, cacheKey, fileHash, inferenceCache } from './inference-cache-file';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-docker-stages-cache-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the inference cache', () => {
  it('gives back a result only for the key it was stored under', () => {
    const cache = new InferenceCache(join(dir, 'c.json'));
    cache.set('plan', 'k1', { apps: ['api'] });
    expect(cache.get('plan', 'k1')).toEqual({ apps: ['api'] });
    expect(cache.get('plan', 'k2')).toBeUndefined();
    expect(cache.get('other', 'k1')).toBeUndefined();
  });

  it('keeps results for the next Nx command in its file', () => {
    const path = join(dir, 'data', 'c.json');
    const cache = new InferenceCache(path);
    cache.set('plan', 'k1', { apps: ['api'] });
    cache.save();
    expect(new InferenceCache(path).get('plan', 'k1')).toEqual({ apps: ['api'] });
    expect(readdirSync(join(dir, 'data'))).toEqual(['c.json']);
  });

  it('hands out copies, so a caller that changes a result cannot change the next one', () => {
    const cache = new InferenceCache(join(dir, 'c.json'));
    const value = { apps: ['api'] };
    cache.set('plan', 'k', value);
    value.apps.push('changed after set');
    cache.get<{ apps: string[] }>('plan', 'k')!.apps.push('changed after get');
    expect(cache.get('plan', 'k')).toEqual({ apps: ['api'] });
  });

  it.each([
    ['not JSON', '{"format": 1, "entr'],
    ['JSON of another shape', '[1, 2, 3]'],
    ['null', 'null'],
    ['another layout', JSON.stringify({ format: 999, plugin: '0.1.0', entries: { plan: { key: 'k', value: 1 } } })],
    ['another plugin version', JSON.stringify({ format: 1, plugin: '0.0.1-old', entries: { plan: { key: 'k', value: 1 } } })],
    ['entries without a key', JSON.stringify({ format: 1, plugin: '0.1.0', entries: { plan: { value: 1 }, deps: 'x' } })],
  ])('treats a cache file holding %s as empty, and replaces it on the next save', (_, text) => {
    const path = join(dir, 'c.json');
    writeFileSync(path, text);
    const cache = new InferenceCache(path);
    expect(cache.get('plan', 'k')).toBeUndefined();
    cache.set('plan', 'k', 2);
    cache.save();
    expect(new InferenceCache(path).get('plan', 'k')).toBe(2);
  });

  it('never fails the graph when its file cannot be written', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const cache = new InferenceCache(join(dir, 'a-file', 'c.json'));
    cache.set('plan', 'k', 1);
    expect(() => cache.save()).not.toThrow();
    expect(cache.get('plan', 'k')).toBe(1);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });

  it('keeps one file per set of plugin options, shared by every caller in the process', () => {
    const a = inferenceCache({ targetName: 'docker-build' }, dir);
    expect(inferenceCache({ targetName: 'docker-build' }, dir)).toBe(a);
    expect(inferenceCache({ targetName: 'image' }, dir).path).not.toBe(a.path);
    expect(a.path).toMatch(/[/\\]nx-docker-stages-[0-9a-f]{16}\.json$/);
  });
});

describe('cache keys', () => {
  it('hashes a file as Nx does in the file map of createDependencies', () => {
    const file = join(dir, 'main.go');
    for (const text of ['package main\n', '', 'π ≈ 3.14 — ünïcode\r\n']) {
      writeFileSync(file, text);
      expect(fileHash(readFileSync(file, 'utf8'))).toBe(hashFile(file));
    }
  });

  it('differ when any input differs, and only then', () => {
    expect(cacheKey([['a.go', 'h1']])).toBe(cacheKey([['a.go', 'h1']]));
    expect(cacheKey([['a.go', 'h1']])).not.toBe(cacheKey([['a.go', 'h2']]));
    expect(cacheKey([['a.go', 'h1']])).not.toBe(cacheKey([['b.go', 'h1']]));
    expect(cacheKey('plan', [])).not.toBe(cacheKey('dependencies', []));
  });
});

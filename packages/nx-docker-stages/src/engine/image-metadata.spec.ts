import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from './engine-error';
import { readMetadata, writeMetadata } from './image-metadata';

/** When set, every write puts half its bytes on the disk, then finds it full. */
const mockDisk = { full: false };
jest.mock('node:fs', () => {
  const actual = jest.requireActual('node:fs');
  return {
    ...actual,
    writeFileSync: (file: string, data: string, ...rest: unknown[]) => {
      if (!mockDisk.full) return actual.writeFileSync(file, data, ...rest);
      actual.writeFileSync(file, String(data).slice(0, 10));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
});

describe('writeMetadata', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'metadata-'))));
  afterEach(() => {
    mockDisk.full = false;
    rmSync(dir, { recursive: true, force: true });
  });
  const metadata = { imageId: 'sha256:1', tags: ['api:latest'] } as unknown as Parameters<typeof writeMetadata>[1];

  it('writes the file whole, leaving no temporary file', () => {
    const path = join(dir, 'api', 'metadata.json');
    writeMetadata(path, metadata);
    expect(readMetadata(path)).toEqual(metadata);
    expect(readdirSync(join(dir, 'api'))).toEqual(['metadata.json']);
  });

  it('on a full disk fails as the plugin says it, naming the file, and leaves neither the file nor half of it', () => {
    mockDisk.full = true;
    const path = join(dir, 'api', 'metadata.json');
    expect(() => writeMetadata(path, metadata)).toThrow(EngineError);
    expect(() => writeMetadata(path, metadata)).toThrow(`writing ${path} failed: the disk is full (ENOSPC); free space`);
    expect(readdirSync(join(dir, 'api'))).toEqual([]);
  });
});

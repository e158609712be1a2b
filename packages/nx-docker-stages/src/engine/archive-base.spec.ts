import { baseLayerFiles, isMissingLayerFile, missingBaseMessage } from './archive-base';

const BASE = ['sha256:b1', 'sha256:b2'];
const entry = (layers: string[]) => ({ Config: 'c.json', RepoTags: ['api:latest'], Layers: layers });
const configs = (diffIds: string[]) => (name: string) => (name === 'c.json' ? diffIds : undefined);

describe('which layer files the image archive leaves out', () => {
  it('leaves out the files of the layers the image shares with its base image', () => {
    const manifest = [entry(['l1/layer.tar', 'l2/layer.tar', 'l3/layer.tar'])];
    expect(baseLayerFiles(manifest, configs(['sha256:b1', 'sha256:b2', 'sha256:app']), BASE)).toEqual(['l1/layer.tar', 'l2/layer.tar']);
  });

  it('leaves out only the shared leading layers when the base image has changed since the build', () => {
    const manifest = [entry(['l1/layer.tar', 'l2/layer.tar', 'l3/layer.tar'])];
    expect(baseLayerFiles(manifest, configs(['sha256:b1', 'sha256:old', 'sha256:app']), BASE)).toEqual(['l1/layer.tar']);
  });

  it('keeps every file when the image does not start with the base image layers', () => {
    const manifest = [entry(['l1/layer.tar', 'l2/layer.tar'])];
    expect(baseLayerFiles(manifest, configs(['sha256:other', 'sha256:b1']), BASE)).toEqual([]);
  });

  it('keeps every file when the config cannot be read or does not match the layer list', () => {
    expect(baseLayerFiles([entry(['l1/layer.tar'])], () => undefined, BASE)).toEqual([]);
    expect(baseLayerFiles([entry(['l1/layer.tar'])], configs(['sha256:b1', 'sha256:app']), BASE)).toEqual([]);
  });

  it('keeps a file that an app layer also names (content-addressed layouts share files)', () => {
    const manifest = [entry(['blobs/sha256/b1', 'blobs/sha256/b2', 'blobs/sha256/b1'])];
    expect(baseLayerFiles(manifest, configs(['sha256:b1', 'sha256:b2', 'sha256:b1']), BASE)).toEqual(['blobs/sha256/b2']);
  });
});

describe('a failed load of an archive without its base layers', () => {
  it('is recognised by the message of Docker 20.10', () => {
    const said =
      'open /var/lib/docker/tmp/docker-import-3163472792/7608b97638298d03be7db5ee780102ff41dd4def6ef9eb833005106199ec7170/layer.tar: no such file or directory';
    expect(isMissingLayerFile(said)).toBe(true);
    expect(isMissingLayerFile('write /var/lib/docker/tmp/x: no space left on device')).toBe(false);
  });

  const context = { project: 'api', targetName: 'docker-build', archive: 'dist/docker/api/image.tar.gz', baseImage: 'node:20-slim' };

  it('names the project, the archive, the base image and both fixes', () => {
    const message = missingBaseMessage(context, { kind: 'pull-failed', pullError: 'dial tcp: lookup registry-1.docker.io: no such host' });
    expect(message).toBe(
      'api: the Nx cache restored docker-build, but its image archive (dist/docker/api/image.tar.gz) holds only the layers api adds ' +
        'to its base image node:20-slim, and this engine lacks the base layers: the engine does not have node:20-slim, and ' +
        '"docker pull node:20-slim" failed: dial tcp: lookup registry-1.docker.io: no such host. ' +
        'Fix: pull or build node:20-slim (the version the build used) and run again, or rebuild the image with: nx run api:docker-build --skip-nx-cache',
    );
  });

  it('says when the engine has the base image, but another version of it', () => {
    expect(missingBaseMessage(context, { kind: 'differs' })).toContain('the engine has node:20-slim, but not the version api was built on');
  });

  it('says when a pull brought another version of the base image', () => {
    expect(missingBaseMessage(context, { kind: 'pulled-differs' })).toContain('"docker pull node:20-slim" brought another version than the one api was built on');
  });
});

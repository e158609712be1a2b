import { cachedImageAction } from './cached-image';

const metadata = { project: 'api', imageId: 'sha256:abc', tags: ['api:latest'] };

describe('a docker-build result taken from the cache', () => {
  it('needs nothing when the image was pushed: it is in its registry by digest', () => {
    expect(cachedImageAction('api', 'docker-build', { ...metadata, repoDigests: ['r/api@sha256:1'] }, false, false)).toEqual({ kind: 'pushed' });
  });

  it('only needs its tags checked when the engine holds the image', () => {
    expect(cachedImageAction('api', 'docker-build', metadata, true, true)).toEqual({ kind: 'present' });
  });

  it('loads the image from the archive in the cache entry when the engine lacks it', () => {
    expect(cachedImageAction('api', 'docker-build', metadata, false, true)).toEqual({ kind: 'load' });
  });

  it('builds it again from the options it records when the image is gone and there is no archive', () => {
    const build = { target: 'api', dockerfile: 'apps/api/Dockerfile', network: 'none' };
    expect(cachedImageAction('api', 'docker-build', { ...metadata, build }, false, false)).toEqual({ kind: 'rebuild', build });
  });

  it('prefers the archive to a rebuild when the entry has both', () => {
    expect(cachedImageAction('api', 'docker-build', { ...metadata, build: { target: 'api', dockerfile: 'Dockerfile' } }, false, true)).toEqual({ kind: 'load' });
  });

  it('says clearly, with the command that rebuilds it, when the image is gone and the entry (from an older version) records no build options', () => {
    const action = cachedImageAction('api', 'docker-build', metadata, false, false);
    expect(action).toEqual({
      kind: 'missing',
      message: expect.stringMatching(/^api: the Nx cache restored docker-build \(image sha256:abc, api:latest\), but the engine does not hold that image, .* nx run api:docker-build --skip-nx-cache$/),
    });
  });
});

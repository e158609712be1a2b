import { cachedDockerBuilds } from './restore-cached-images';

const result = (project: string, target: string, status: string) => ({ task: { target: { project, target } }, status });

describe('which results to check after a run', () => {
  it('picks the docker-build results that came from the local or remote cache', () => {
    const results = {
      a: result('api', 'docker-build', 'remote-cache'),
      b: result('web', 'docker-build', 'local-cache'),
      c: result('cli', 'docker-build', 'success'),
      d: result('api', 'test', 'local-cache'),
      e: result('worker', 'docker-build', 'local-cache-kept-existing'),
      f: result('old', 'docker-build', 'failure'),
    };
    expect(cachedDockerBuilds(results, 'docker-build')).toEqual(['api', 'web', 'worker']);
  });

  it('follows a renamed target', () => {
    expect(cachedDockerBuilds({ a: result('api', 'image', 'local-cache') }, 'image')).toEqual(['api']);
  });
});

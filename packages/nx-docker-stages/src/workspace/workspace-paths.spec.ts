import { DOCKER_OUTPUT_TARGET_PATH, deepestContaining, dirOf, imageArchiveFile, imageMetadataFile, isWithin, pathInDir, nodeImageContextDir, selfAndAncestors } from './workspace-paths';

describe('paths inside folders', () => {
  it('joins a folder and a path, the workspace root being `.`', () => {
    expect(pathInDir('.', 'go.mod')).toBe('go.mod');
    expect(pathInDir('', 'Dockerfile')).toBe('Dockerfile');
    expect(pathInDir('apps/api', 'Dockerfile')).toBe('apps/api/Dockerfile');
    expect(pathInDir('apps/api', '.')).toBe('apps/api');
    expect(pathInDir('.', '.')).toBe('.');
  });

  it('gives the folder of a file, `.` at the root', () => {
    expect(dirOf('go.mod')).toBe('.');
    expect(dirOf('cmd/api/main.go')).toBe('cmd/api');
  });
});

describe('folder lookups', () => {
  it('lists a folder and every folder above it, deepest first, ending with the workspace root', () => {
    expect(selfAndAncestors('apps/api/cmd/server')).toEqual(['apps/api/cmd/server', 'apps/api/cmd', 'apps/api', 'apps', '.']);
    expect(selfAndAncestors('apps')).toEqual(['apps', '.']);
    expect(selfAndAncestors('.')).toEqual(['.']);
  });

  it('lists exactly the folders a folder is within', () => {
    const folders = ['.', 'a', 'a/b', 'a/b/c', 'a/bc', 'ab', 'b', 'a/b/c/d'];
    for (const dir of folders) {
      expect(new Set(selfAndAncestors(dir))).toEqual(new Set(folders.filter((f) => isWithin(dir, f))));
    }
  });

  it('finds the deepest root holding a folder, the workspace root last', () => {
    const roots = new Set(['.', 'apps', 'apps/api', 'libs/util']);
    expect(deepestContaining('apps/api/internal/db', roots)).toBe('apps/api');
    expect(deepestContaining('apps/api', roots)).toBe('apps/api');
    expect(deepestContaining('apps/apiserver', roots)).toBe('apps');
    expect(deepestContaining('tools/gen', roots)).toBe('.');
    expect(deepestContaining('tools/gen', new Set(['apps']))).toBeUndefined();
  });

  it('takes the roots as the keys of a map too', () => {
    expect(deepestContaining('apps/api/x', new Map([['apps/api', 'api']]))).toBe('apps/api');
  });

  it('finds the same root as a scan of every root would, on a large workspace', () => {
    const roots = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `libs/l${i}` : i % 3 === 1 ? `libs/l${i - 1}/sub${i}` : `apps/a${i}`));
    const scan = (dir: string) =>
      roots.filter((r) => isWithin(dir, r)).sort((a, b) => b.split('/').length - a.split('/').length)[0];
    for (const dir of ['libs/l0', 'libs/l0/sub1/x/y', 'libs/l3/other', 'apps/a2/cmd', 'apps/a22', 'nowhere/at/all', 'libs/l30x']) {
      expect(deepestContaining(dir, new Set(roots))).toBe(scan(dir));
    }
  });
});

describe('output locations', () => {
  it('keeps everything docker-build writes for a project under dist/docker/<project>, the target output', () => {
    expect(imageMetadataFile('api')).toBe('dist/docker/api/metadata.json');
    expect(imageArchiveFile('api')).toBe('dist/docker/api/image.tar.gz');
    expect(nodeImageContextDir('@shop/web')).toBe('dist/docker/@shop/web/context');
    expect(DOCKER_OUTPUT_TARGET_PATH).toBe('{workspaceRoot}/dist/docker/{projectName}');
  });
});

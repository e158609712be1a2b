import { majorOf, nodeImagesOf, workspaceNodeVersion } from './node-version';

const ws = (versionFiles: Record<string, string>, rootManifest: object = {}) => ({ versionFiles, rootManifest });

describe('the Node version a workspace asks for', () => {
  it('reads versions, ranges and LTS names', () => {
    expect(majorOf('v20.19.0')).toBe(20);
    expect(majorOf('22')).toBe(22);
    expect(majorOf('>=20.19 <23')).toBe(20);
    expect(majorOf('^18.17.0 || >=20')).toBe(18);
    expect(majorOf('lts/iron')).toBe(20);
    expect(majorOf('lts/*')).toBeNull();
    expect(majorOf('node')).toBeNull();
  });

  it('names no major for an LTS name that is an inherited property of a plain object', () => {
    // Found by node-version.fuzz.spec.ts: lts/constructor gave the Object function as the major.
    expect(majorOf('lts/constructor')).toBeNull();
  });

  it('takes .nvmrc, then .node-version, then volta, then engines.node', () => {
    expect(workspaceNodeVersion(ws({ '.nvmrc': '20\n' }, { engines: { node: '>=22' } }))).toEqual({ major: 20, source: '.nvmrc (20)' });
    expect(workspaceNodeVersion(ws({}, { volta: { node: '22.12.0' }, engines: { node: '>=20' } }))?.source).toBe('package.json volta.node (22.12.0)');
    expect(workspaceNodeVersion(ws({}, { engines: { node: '>=20.19.0' } }))).toEqual({ major: 20, source: 'package.json engines.node (>=20.19.0)' });
    expect(workspaceNodeVersion(ws({ '.nvmrc': 'lts/*' }))).toBeNull();
  });

  it('gives the images of that version unless the options name images, and says why', () => {
    expect(nodeImagesOf(ws({ '.nvmrc': '20' }), {})).toEqual({ nodeImage: 'node:20-bookworm-slim', nodeRuntimeImage: 'node:20-bookworm-slim', reason: 'the Node version the workspace asks for: .nvmrc (20)' });
    expect(nodeImagesOf(ws({}), {})).toMatchObject({ nodeImage: 'node:22-bookworm-slim', reason: expect.stringContaining('so Node 22') });
    expect(nodeImagesOf(ws({ '.nvmrc': '20' }), { nodeImage: 'a', nodeRuntimeImage: 'b' })).toEqual({ nodeImage: 'a', nodeRuntimeImage: 'b', reason: 'the plugin options' });
  });
});

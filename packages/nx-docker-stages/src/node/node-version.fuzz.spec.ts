import fc from 'fast-check';
import { anyText, assertParser, largeTextOf, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { majorOf, nodeImagesOf, workspaceNodeVersion } from './node-version';

/** The words of .nvmrc, .node-version, volta.node and engines.node: versions, ranges, LTS names, aliases. */
const VERSION_TOKENS = ['v', '20', '18', '0', '.', 'x', '*', '^', '~', '>=', '<', ' ', '||', '-', 'lts/', 'iron', 'jod', 'Hydrogen', 'lts/*', 'node', 'stable', 'latest', ...PROTOTYPE_NAMES.map((n) => `lts/${n}`)];
const isMajor = (major: unknown) => major === null || (Number.isInteger(major) && (major as number) >= 0);

describe('majorOf on any version text', () => {
  it('gives a whole number or null, and never throws', () => {
    assertParser(anyText(VERSION_TOKENS), majorOf, nothingThrown, (major) => expect(isMajor(major)).toBe(true));
  });

  it('stays fast on long texts', () => {
    assertParser(largeTextOf(VERSION_TOKENS), majorOf, nothingThrown, undefined, 30);
  });
});

describe('the Node version and images of any workspace', () => {
  it('come from its version files and manifest fields, whatever they hold, without any error', () => {
    const text = anyText(VERSION_TOKENS, 12);
    const ws = fc.record({
      versionFiles: fc.dictionary(fc.constantFrom('.nvmrc', '.node-version'), text),
      rootManifest: fc.record({ volta: fc.record({ node: text }, { requiredKeys: [] }), engines: fc.record({ node: text }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    });
    assertParser(ws, workspaceNodeVersion, nothingThrown, (version) => expect(version === null || (Number.isInteger(version.major) && version.major > 0)).toBe(true));
    assertParser(ws, (workspace) => nodeImagesOf(workspace, {}), nothingThrown, (images) => expect(images.nodeImage).toMatch(/^node:\d+-bookworm-slim$/));
  });
});

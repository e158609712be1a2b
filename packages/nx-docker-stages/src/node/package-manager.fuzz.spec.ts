import fc from 'fast-check';
import { anyText, assertParser, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { packageManagerChoice } from './package-manager';

describe('packageManagerChoice on any lockfile format and packageManager field', () => {
  it('names what to install (or nothing, for npm) and never throws', () => {
    const text = fc.oneof(fc.constantFrom('9.0', '6.0', '8', '4', 'pnpm@9.15.9', 'yarn@4.5.0', ...PROTOTYPE_NAMES), anyText(['9.0', '6.0', '5.4', '8', '6', '4', '.', 'pnpm@', 'yarn@', '+sha512.', ...PROTOTYPE_NAMES], 6));
    const ws = fc.record({
      packageManager: fc.constantFrom('npm', 'pnpm', 'yarn') as fc.Arbitrary<'npm' | 'pnpm' | 'yarn'>,
      yarnFlavor: fc.constantFrom(undefined, 'classic', 'berry') as fc.Arbitrary<'classic' | 'berry' | undefined>,
      lockfile: fc.constantFrom('package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'),
      lockfileVersion: fc.option(text, { nil: undefined }),
      packageManagerField: fc.option(text, { nil: undefined }),
    });
    assertParser(ws, packageManagerChoice, nothingThrown, ({ install, warning }) => {
      expect(install === null || typeof install === 'string').toBe(true);
      expect(warning === undefined || typeof warning === 'string').toBe(true);
    });
  });
});

import { packageManagerChoice } from './package-manager';

describe('the package manager of the images', () => {
  it('is the image\'s own npm for npm workspaces', () => {
    expect(packageManagerChoice({ packageManager: 'npm', lockfile: 'package-lock.json' })).toEqual({ install: null });
  });

  it('is the version the root manifest pins, without a warning', () => {
    expect(packageManagerChoice({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml', lockfileVersion: '9.0', packageManagerField: 'pnpm@9.15.9' })).toEqual({ install: 'pnpm@9.15.9' });
  });

  it("follows the lockfile's format when nothing pins it, and says how to pin it", () => {
    const pnpm10 = packageManagerChoice({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml', lockfileVersion: '9.0' });
    expect(pnpm10.install).toBe('pnpm@10');
    expect(pnpm10.warning).toMatch(/no "packageManager" field.*pnpm@10.*format 9\.0.*"packageManager": "pnpm@<version>"/);
    expect(packageManagerChoice({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml', lockfileVersion: '6.0' }).install).toBe('pnpm@8');
    expect(packageManagerChoice({ packageManager: 'yarn', yarnFlavor: 'berry', lockfile: 'yarn.lock', lockfileVersion: '8' }).install).toBe('@yarnpkg/cli-dist@4');
  });

  it('guesses the newest yarn for a lockfile format it does not know, whatever its name', () => {
    // Found by package-manager.fuzz.spec.ts: the format "constructor" gave the Object function as the yarn to install.
    expect(packageManagerChoice({ packageManager: 'yarn', yarnFlavor: 'berry', lockfile: 'yarn.lock', lockfileVersion: 'constructor' }).install).toBe('@yarnpkg/cli-dist@4');
  });

  it("installs yarn 2+ from its npm package, @yarnpkg/cli-dist, at the pinned version", () => {
    expect(packageManagerChoice({ packageManager: 'yarn', yarnFlavor: 'berry', lockfile: 'yarn.lock', packageManagerField: 'yarn@4.5.0' })).toEqual({ install: '@yarnpkg/cli-dist@4.5.0' });
  });

  it('installs yarn 1 for a yarn 1 lockfile, whose format never changed', () => {
    expect(packageManagerChoice({ packageManager: 'yarn', yarnFlavor: 'classic', lockfile: 'yarn.lock' })).toEqual({ install: 'yarn@1.22.22' });
  });
});

import { packageNameOf, parseStartScript } from './start-command';

const none = new Set<string>();

describe('start scripts', () => {
  it('reads node, its flags, the entry and its arguments', () => {
    expect(parseStartScript('node --enable-source-maps dist/main.js --verbose', none)).toEqual({
      kind: 'node',
      command: { flags: ['--enable-source-maps'], entry: 'dist/main.js', args: ['--verbose'] },
    });
  });

  it('keeps a flag together with the value it takes as the next word', () => {
    expect(parseStartScript('node -r dotenv/config --max-old-space-size=512 server.js', none)).toEqual({
      kind: 'node',
      command: { flags: ['-r', 'dotenv/config', '--max-old-space-size=512'], entry: 'server.js', args: [] },
    });
  });

  it('refuses a loader that is a development dependency, or a TypeScript entry, with the fix', () => {
    for (const script of ['node -r esbuild-register ./src/index.ts', 'node --import tsx src/main.ts', 'node -r my-loader main.js']) {
      const parsed = parseStartScript(script, new Set(['my-loader']));
      expect(parsed).toMatchObject({ kind: 'refused', fix: expect.stringContaining('build the app to JavaScript') });
    }
    expect(parseStartScript('node src/main.ts', none)).toMatchObject({ kind: 'refused', why: expect.stringContaining('TypeScript source src/main.ts') });
  });

  it("refuses a preloaded package the package's production dependencies lack, naming the fix", () => {
    expect(parseStartScript('node -r dotenv/config server.js', none, new Set(['express']), 'apps/x/package.json')).toEqual({
      kind: 'refused',
      why: expect.stringContaining('dotenv is not among the dependencies of apps/x/package.json'),
      fix: 'add dotenv to the "dependencies" of apps/x/package.json',
    });
    expect(parseStartScript('node -r dotenv/config -r ./setup.js server.js', none, new Set(['dotenv']))).toMatchObject({ kind: 'node' });
  });

  it('refuses an environment file, which an image never holds', () => {
    expect(parseStartScript('node --env-file=.env main.js', none)).toMatchObject({ kind: 'refused', fix: expect.stringContaining('docker run -e') });
  });

  it('leaves other programs and shell syntax to main and bin', () => {
    for (const script of ['next start', 'node a.js && node b.js', 'NODE_ENV=x node a.js', 'node']) expect(parseStartScript(script, none)).toEqual({ kind: 'other' });
  });

  it('names the package a module specifier loads', () => {
    expect(packageNameOf('dotenv/config')).toBe('dotenv');
    expect(packageNameOf('@swc-node/register/esm')).toBe('@swc-node/register');
    expect(packageNameOf('./setup.js')).toBe('./setup.js');
  });
});

import { localPathDependencies, productionManifest } from './production-manifest';

const app = { dir: 'apps/web', manifest: { name: '@shop/web', dependencies: { '@shop/greeting': '*', express: '^5.1.0' }, devDependencies: { jest: '^29' } } };
const lib = { dir: 'libs/greeting', manifest: { name: '@shop/greeting', dependencies: { ms: '^2.1.3' }, optionalDependencies: { 'fsevents-ish': '^1' } } };

describe('the production manifest of an app', () => {
  it("holds the app's and its libraries' declared production dependencies and what the graph finds, no workspace package and no devDependency", () => {
    const detected = { express: '5.2.1', tslib: '2.8.1', '@shop/greeting': '*' };
    const { manifest, sources } = productionManifest({ name: '@shop/web', version: '1.0.0' }, [app, lib], detected, new Set(['@shop/web', '@shop/greeting']));
    expect(manifest).toEqual({ name: '@shop/web', version: '1.0.0', private: true, dependencies: { express: '^5.1.0', 'fsevents-ish': '^1', ms: '^2.1.3', tslib: '2.8.1' } });
    expect(sources).toEqual({ express: 'apps/web', ms: 'libs/greeting', 'fsevents-ish': 'libs/greeting', tslib: '.' });
  });

  it('refuses, naming both packages and the file, when a library wants another range of a dependency than the app', () => {
    const clash = { ...app, manifest: { ...app.manifest, dependencies: { ms: '^1.0.0' } } };
    expect(() => productionManifest({ name: '@shop/web' }, [clash, lib], {}, new Set())).toThrow(/^@shop\/web: @shop\/web wants ms@\^1.0.0 and @shop\/greeting wants ms@\^2.1.3/);
  });

  it('keeps a dependency named like an inherited property of a plain object', () => {
    // Found by production-manifest.fuzz.spec.ts: a declared "constructor" threw a TypeError, a detected one was dropped.
    const declared = { dir: 'apps/web', manifest: { name: '@shop/web', dependencies: { constructor: '^1.0.0' } } };
    expect(productionManifest({ name: '@shop/web' }, [declared], { valueOf: '^2.0.0' }, new Set()).manifest.dependencies).toEqual({ constructor: '^1.0.0', valueOf: '^2.0.0' });
  });

  it('finds the dependencies that point at the file system', () => {
    expect(localPathDependencies({ a: '^1', b: 'file:../b.tgz', c: 'link:../c', d: 'portal:../d' })).toEqual([
      ['b', 'file:../b.tgz'],
      ['c', 'link:../c'],
      ['d', 'portal:../d'],
    ]);
  });
});

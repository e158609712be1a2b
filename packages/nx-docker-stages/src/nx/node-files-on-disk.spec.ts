import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNodeWorkspaceFromDisk } from './node-files-on-disk';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'node-files-on-disk-'));
  mkdirSync(join(root, 'apps/web'), { recursive: true });
  mkdirSync(join(root, 'libs/ui'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop', workspaces: ['apps/*', 'libs/*'] }));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion": 3}');
  writeFileSync(join(root, 'apps/web/package.json'), JSON.stringify({ name: '@shop/web', main: 'index.js' }));
  writeFileSync(join(root, 'libs/ui/package.json'), JSON.stringify({ name: '@shop/ui' }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it("reads the graph's project folders from disk", () => {
  expect(readNodeWorkspaceFromDisk(root, ['apps/web', 'libs/ui']).projects.map((p) => p.name)).toEqual(['@shop/web', '@shop/ui']);
});

it('refuses, naming the file and the field, while a project file is one the model left out (it may be one the image needs)', () => {
  writeFileSync(join(root, 'libs/ui/package.json'), JSON.stringify({ name: '@shop/ui', files: 'dist' }));
  expect(() => readNodeWorkspaceFromDisk(root, ['apps/web', 'libs/ui'])).toThrow(
    'a package.json or project.json the plugin cannot read: libs/ui/package.json: "files" must be an array of strings, not a string; fix the field',
  );
});

it('names the fix when there is no lockfile', () => {
  rmSync(join(root, 'package-lock.json'));
  expect(() => readNodeWorkspaceFromDisk(root, ['apps/web'])).toThrow(/^no yarn.lock, pnpm-lock.yaml, package-lock.json next to .*package.json; run the install/);
});

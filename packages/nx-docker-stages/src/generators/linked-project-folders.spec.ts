import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkedProjectFolderMessage, linkedProjectFolders } from './linked-project-folders';

let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'linked-folders-')));
  root = join(base, 'ws');
  outside = join(base, 'elsewhere');
  for (const dir of ['apps/api', 'node_modules', '../elsewhere/svc', '../elsewhere/go-svc', '../elsewhere/notes']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(outside, 'svc/package.json'), '{"name":"svc"}');
  writeFileSync(join(outside, 'go-svc/main.go'), 'package main\n');
  writeFileSync(join(outside, 'notes/a.md'), '');
  writeFileSync(join(root, 'apps/api/project.json'), '{}');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

it('finds links to project folders outside the workspace, and only those', () => {
  symlinkSync(join(outside, 'svc'), join(root, 'apps/svc'));
  symlinkSync(join(outside, 'go-svc'), join(root, 'go-svc'));
  symlinkSync(join(outside, 'notes'), join(root, 'notes')); // no project in it
  symlinkSync(join(root, 'apps/api'), join(root, 'api-alias')); // inside: the folder itself is the project
  symlinkSync(join(outside, 'svc/package.json'), join(root, 'linked.json')); // a file
  symlinkSync(join(outside, 'gone'), join(root, 'dangling'));
  symlinkSync(join(outside, 'svc'), join(root, 'node_modules/svc')); // how package managers link: never walked
  expect(linkedProjectFolders(root)).toEqual([
    { path: 'apps/svc', target: join(outside, 'svc') },
    { path: 'go-svc', target: join(outside, 'go-svc') },
  ]);
});

it('says what the link is, why it gets no image, and the fix', () => {
  expect(linkedProjectFolderMessage({ path: 'apps/svc', target: '/src/svc' })).toBe(
    'apps/svc is a symbolic link to /src/svc, outside the workspace; Nx does not follow links when it looks for projects, so what it holds is no project and gets no image. ' +
      'Move the folder into the workspace in place of the link (or add it as a git submodule) and run setup again',
  );
});

it('finds nothing in a workspace that is not on disk (a generator test tree)', () => {
  expect(linkedProjectFolders(join(base, 'nowhere'))).toEqual([]);
});

#!/usr/bin/env node
// Compiles the plugin to dist/packages/nx-docker-stages and copies what is not
// TypeScript (manifests, schemas, README).
const { execFileSync } = require('node:child_process');
const { cpSync, rmSync, mkdirSync, readdirSync, statSync } = require('node:fs');
const { join, relative, dirname } = require('node:path');

const root = join(__dirname, '..');
const pkg = join(root, 'packages', 'nx-docker-stages');
const out = join(root, 'dist', 'packages', 'nx-docker-stages');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(pkg, 'tsconfig.lib.json')], { stdio: 'inherit' });

function copyMatching(dir, test) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) copyMatching(path, test);
    else if (test(path)) {
      const target = join(out, relative(pkg, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
copyMatching(join(pkg, 'src'), (p) => p.endsWith('.json') && !p.includes('__fixtures__'));
for (const file of ['package.json', 'generators.json', 'executors.json', 'README.md']) cpSync(join(pkg, file), join(out, file));
console.log(`built ${relative(root, out)}`);

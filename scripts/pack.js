#!/usr/bin/env node
// Builds the plugin and leaves exactly one installable tarball:
// dist/nx-docker-stages-<version>.tgz.
const { execFileSync } = require('node:child_process');
const { readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
execFileSync(process.execPath, [join(__dirname, 'build.js')], { stdio: 'inherit' });
for (const old of readdirSync(dist).filter((f) => f.endsWith('.tgz'))) rmSync(join(dist, old));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const name = execFileSync(npm, ['pack', '--pack-destination', dist, '--silent'], {
  cwd: join(dist, 'packages', 'nx-docker-stages'),
  encoding: 'utf8',
}).trim().split('\n').pop();
console.log(join('dist', name));

/** Writing a generated workspace to disk and keeping it in git. */
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { run } = require('../lib/exec');

function writeFiles(root, files) {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
}

/** A fresh folder holding `files`, as the first commit of a git repository on `main`. */
async function createRepo(root, files) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFiles(root, files);
  await run('git', ['init', '-q', '-b', 'main'], { cwd: root });
}

const GIT_USER = ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid'];

/** Commits everything (new files included); returns the commit's sha. */
async function commitAll(root, message) {
  await run('git', ['add', '-A'], { cwd: root });
  await run('git', [...GIT_USER, 'commit', '-q', '--allow-empty', '-m', message], { cwd: root });
  return (await run('git', ['rev-parse', 'HEAD'], { cwd: root })).output.trim();
}

/** Puts the work tree back to `sha` and removes what git does not track, except the Nx installation. */
async function resetTo(root, sha) {
  await run('git', ['reset', '-q', '--hard', sha], { cwd: root });
  await run('git', ['clean', '-q', '-fdx', '-e', '.nx/installation', '-e', 'node_modules'], { cwd: root });
}

module.exports = { writeFiles, createRepo, commitAll, resetTo };

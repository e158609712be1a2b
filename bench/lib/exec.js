/**
 * Running commands: timed, with their output kept (in memory, bounded, and in a
 * log file) so that a failure says what happened. Never through a shell.
 */
const { spawn } = require('node:child_process');
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { log } = require('./log');

/** Output kept in memory per command: enough to parse BuildKit and Nx summaries. */
const KEEP = 64 * 1024 * 1024;

/**
 * Plain output from Nx: no daemon, no cloud, no terminal UI, no colours. And Nx's cache and
 * workspace data inside each workspace (relative paths resolve against its root): Nx 23
 * otherwise shares them between all checkouts of a repository under ~/.nx, so deleting a
 * workspace's .nx would not make the next run cold, and a "fresh clone" would hit the cache
 * of the clone before it.
 */
const NX_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
  NX_CACHE_DIRECTORY: '.nx/cache',
  NX_WORKSPACE_DATA_DIRECTORY: '.nx/workspace-data',
};

let logFile = null;
/** Every command and its output also go to this file (set once per run). */
function setCommandLog(file) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  logFile = file;
}

/**
 * Runs `command args` in `cwd`; resolves to { code, output, ms }. Rejects (with
 * the output's tail) when the exit code is not 0, unless `allowFailure`.
 */
function run(command, args, { cwd, env = {}, allowFailure = false, quiet = true } = {}) {
  const started = process.hrtime.bigint();
  const label = `${command} ${args.join(' ')}`;
  if (logFile) appendFileSync(logFile, `\n$ (cd ${cwd}) ${label}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let kept = 0;
    const keep = (chunk) => {
      if (logFile) appendFileSync(logFile, chunk);
      if (!quiet) process.stderr.write(chunk);
      if (kept < KEEP) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const output = Buffer.concat(chunks).toString('utf8');
      if (logFile) appendFileSync(logFile, `\n[exit ${code} after ${Math.round(ms)} ms]\n`);
      if (code !== 0 && !allowFailure) {
        const error = new Error(`${label} failed (exit ${code}) in ${cwd}:\n${output.slice(-6000)}`);
        error.output = output;
        reject(error);
        return;
      }
      resolve({ code, output, ms });
    });
  });
}

/** Runs the Nx of a bench workspace (from its .nx/installation). */
function nx(root, args, { env = {}, allowFailure = false } = {}) {
  log.debug(`nx ${args.join(' ')}`);
  return run(`${root}/.nx/installation/node_modules/.bin/nx`, args, { cwd: root, env: { ...NX_ENV, ...env }, allowFailure });
}

/** `npm ci` on the host, as a CI runner does after its checkout (npm's own download cache stays warm). */
function npmCi(cwd) {
  return run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd });
}

module.exports = { run, nx, npmCi, setCommandLog, NX_ENV };

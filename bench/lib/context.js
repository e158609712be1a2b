/**
 * Build-context bytes: what a `docker build` of a folder sends to the engine,
 * that is every regular file not left out by the folder's .dockerignore. The
 * matching follows Docker's rules (moby patternmatcher): patterns in order,
 * the last match wins, `!` lets a path back in, a pattern also matches a path
 * whose leading folders it matches, and `**` spans folders.
 */
const { existsSync, lstatSync, readdirSync, readFileSync } = require('node:fs');
const { join, posix } = require('node:path');

function toRegExp(pattern) {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += `\\${pattern[++i]}`;
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`${re}$`);
}

function parseDockerignore(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const exclusion = line.startsWith('!');
      const cleaned = posix.normalize((exclusion ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
      return { exclusion, pattern: cleaned, regexp: toRegExp(cleaned), dirs: cleaned.split('/').length };
    });
}

/** Whether `path` (workspace-relative, `/`-separated) is left out of the context. */
function ignored(patterns, path) {
  const parts = path.split('/');
  let matched = false;
  for (const p of patterns) {
    let match = p.regexp.test(path);
    if (!match && parts.length > 1 && p.dirs <= parts.length - 1) match = p.regexp.test(parts.slice(0, p.dirs).join('/'));
    if (match) matched = !p.exclusion;
  }
  return matched;
}

/**
 * Bytes and files of the context of `root` under its .dockerignore. A left-out
 * folder is skipped unless an exception could let something inside it back in.
 */
function contextBytes(root) {
  const ignoreFile = join(root, '.dockerignore');
  const patterns = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : [];
  const exceptions = patterns.filter((p) => p.exclusion);
  let bytes = 0;
  let files = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ignored(patterns, rel) && !exceptions.some((e) => e.pattern.startsWith(`${rel}/`) || /[*?]/.test(e.pattern))) continue;
        walk(rel);
      } else if (entry.isFile() && !ignored(patterns, rel)) {
        bytes += lstatSync(join(root, rel)).size;
        files++;
      }
    }
  };
  walk('');
  return { bytes, files };
}

/** BuildKit's plain progress reports each context upload as "transferring context: 1.23MB done". */
function reportedContextBytes(output) {
  const units = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  let total = 0;
  let uploads = 0;
  for (const m of output.matchAll(/transferring context: ([\d.]+)(B|kB|KB|MB|GB)(?: [\d.]+s)? done/g)) {
    total += Number(m[1]) * units[m[2]];
    uploads++;
  }
  return { bytes: Math.round(total), uploads };
}

module.exports = { contextBytes, reportedContextBytes, parseDockerignore, ignored };

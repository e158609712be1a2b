/**
 * The inference cache: what createNodes and createDependencies computed last, kept in memory for
 * the plugin worker's lifetime and in one JSON file in Nx's workspace data directory (which
 * `nx reset` empties), each result under a hash of its inputs. The next Nx command with unchanged
 * inputs reuses it instead of reading and parsing every Go and Node file again.
 *
 * The cache can only save work, never fail the graph: a file that is missing, unreadable, corrupt
 * or written by another version of the plugin counts as empty, and a write that fails is skipped.
 */
import { hashArray, workspaceRoot } from '../nx-runtime';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PLUGIN_VERSION } from './plugin-package';

/** Bumped when the file's layout changes, so a file of an older layout counts as empty. */
const FORMAT = 1;

let codeFingerprint: string | undefined;

/**
 * Part of every key too: a plugin rebuilt during development may infer differently, or store
 * differently, before its version changes. The size and modification time of each of its modules
 * tell (npm gives every installed file the same time, so an installed version is one fingerprint).
 * About a hundred `stat`s, once per process.
 */
function pluginCode(): string {
  if (codeFingerprint === undefined) {
    const hash = createHash('sha256');
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(js|ts)$/.test(entry.name) && !/\.spec\./.test(entry.name)) {
          const { size, mtimeMs } = statSync(path);
          hash.update(`${path}\0${size}\0${mtimeMs}\0`);
        }
      }
    };
    try {
      walk(join(__dirname, '..'));
    } catch {
      // An unreadable module folder leaves the version alone to tell plugins apart.
    }
    codeFingerprint = hash.digest('hex');
  }
  return codeFingerprint;
}

/** A cached result and the hash of the inputs it was computed from. */
interface CacheEntry<T> {
  key: string;
  value: T;
}

interface CacheFile {
  format: number;
  plugin: string;
  entries: Record<string, CacheEntry<unknown>>;
}

/**
 * Nx's hash of a file with this text, as `context.fileMap` gives it (xxh3 of the bytes), so keys
 * that createNodes computes from contents match those createDependencies computes from the file
 * map. Should a later Nx hash files differently, the keys only stop matching: a cache miss.
 */
export function fileHash(text: string): string {
  return hashArray([text]);
}

/** A hash of any JSON-serializable inputs, with the plugin's version and the cache's layout in it. */
export function cacheKey(...inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, PLUGIN_VERSION, pluginCode(), inputs])).digest('hex');
}

/** One cache file: read once per process, written back whenever a result changes. */
export class InferenceCache {
  private entries: Record<string, CacheEntry<unknown>> | undefined;

  constructor(readonly path: string) {}

  /** The value stored under `slot` when it was computed from inputs hashing to `key`. */
  get<T>(slot: string, key: string): T | undefined {
    const entry = this.load()[slot];
    // A copy, so that no caller can change what a later graph computation reads.
    return entry?.key === key ? (structuredClone(entry.value) as T) : undefined;
  }

  /** Stores `value` under `slot`, replacing what the slot held: only the latest result is kept. */
  set<T>(slot: string, key: string, value: T): void {
    this.load()[slot] = { key, value: structuredClone(value) };
  }

  /** Writes the file (a temporary file renamed over it, so readers never see half of one). */
  save(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const file: CacheFile = { format: FORMAT, plugin: PLUGIN_VERSION, entries: this.load() };
      writeFileSync(tmp, JSON.stringify(file));
      renameSync(tmp, this.path);
    } catch {
      // A read-only or full disk costs the next command the work, nothing else.
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  }

  private load(): Record<string, CacheEntry<unknown>> {
    if (!this.entries) this.entries = readCacheFile(this.path);
    return this.entries;
  }
}

function readCacheFile(path: string): Record<string, CacheEntry<unknown>> {
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile> | null;
    if (file?.format !== FORMAT || file.plugin !== PLUGIN_VERSION || typeof file.entries !== 'object' || !file.entries) return {};
    const entries: Record<string, CacheEntry<unknown>> = {};
    for (const [slot, entry] of Object.entries(file.entries)) {
      if (entry && typeof entry.key === 'string' && 'value' in entry) entries[slot] = entry;
    }
    return entries;
  } catch {
    return {};
  }
}

const caches = new Map<string, InferenceCache>();

/**
 * Nx's workspace data directory (`.nx/workspace-data`, or NX_WORKSPACE_DATA_DIRECTORY), where
 * `nx reset` clears it. Nx's cache-directory module names it in Nx 23 and 24 (and the plugin worker
 * has loaded it already; `@nx/devkit/internal` re-exports it but costs 125 ms to load); should a
 * version not, the same place is derived here rather than failing the graph.
 */
function nxWorkspaceDataDirectory(): string {
  try {
    const { workspaceDataDirectory } = require('nx/src/utils/cache-directory') as { workspaceDataDirectory?: string };
    if (workspaceDataDirectory) return workspaceDataDirectory;
  } catch {
    // not at this path in this Nx version
  }
  return process.env.NX_WORKSPACE_DATA_DIRECTORY ? resolve(workspaceRoot, process.env.NX_WORKSPACE_DATA_DIRECTORY) : join(workspaceRoot, '.nx', 'workspace-data');
}

/**
 * The cache of one plugin registration: one file per set of options, as Nx's own plugins do, so
 * two registrations never overwrite each other's results.
 */
export function inferenceCache(options: unknown, directory: string = nxWorkspaceDataDirectory()): InferenceCache {
  const optionsHash = createHash('sha256').update(JSON.stringify(options ?? {})).digest('hex').slice(0, 16);
  const path = join(directory, `nx-docker-stages-${optionsHash}.json`);
  let cache = caches.get(path);
  if (!cache) caches.set(path, (cache = new InferenceCache(path)));
  return cache;
}

/**
 * The Node version a workspace asks for, from the files version managers and npm read: `.nvmrc`,
 * `.node-version`, package.json `volta.node`, then `engines.node` (its lowest major). The images
 * follow it unless the plugin options name images. Pure.
 */
import semver from 'semver';
import { NodeWorkspace } from './node-workspace';

/** Node's LTS code names (`lts/iron` in an .nvmrc) and their majors. */
const LTS_MAJORS: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

export interface WorkspaceNodeVersion {
  major: number;
  /** Where it comes from, for people: `.nvmrc (v20.19.0)`. */
  source: string;
}

/** The major a version or range stands for: its lowest, for a range; null when it names none (`lts/*`, `node`). */
export function majorOf(text: string): number | null {
  const value = text.trim().replace(/^v(?=\d)/, '');
  const lts = /^lts\/([a-z]+)$/i.exec(value);
  // Own code names only: `lts/constructor` names no release.
  if (lts) return Object.hasOwn(LTS_MAJORS, lts[1].toLowerCase()) ? LTS_MAJORS[lts[1].toLowerCase()] : null;
  const range = semver.validRange(value);
  if (!range) return null;
  return semver.minVersion(range)?.major ?? null;
}

export function workspaceNodeVersion(ws: Pick<NodeWorkspace, 'versionFiles' | 'rootManifest'>): WorkspaceNodeVersion | null {
  const candidates: Array<[string, string | undefined]> = [
    ...Object.entries(ws.versionFiles).map(([file, text]): [string, string] => [file, text.split('\n')[0]]),
    ['package.json volta.node', ws.rootManifest.volta?.node],
    ['package.json engines.node', ws.rootManifest.engines?.node],
  ];
  for (const [source, text] of candidates) {
    if (!text?.trim()) continue;
    const major = majorOf(text);
    if (major !== null && major > 0) return { major, source: `${source} (${text.trim()})` };
  }
  return null;
}

/** The image of a Node major: Debian bookworm's slim variant, as the plugin's default images are. */
export function nodeImageOf(major: number): string {
  return `node:${major}-bookworm-slim`;
}

/** The Node major of the images when the workspace names none. */
export const DEFAULT_NODE_MAJOR = 22;

export interface NodeImageChoice {
  nodeImage: string;
  nodeRuntimeImage: string;
  /** Why, for people: `the plugin options`, `.nvmrc (20.19.0)`, or the default. */
  reason: string;
}

/**
 * The images of a workspace's Node apps: those the plugin options name, else the image of the
 * Node major the workspace asks for, else that of DEFAULT_NODE_MAJOR.
 */
export function nodeImagesOf(ws: Pick<NodeWorkspace, 'versionFiles' | 'rootManifest'>, options: { nodeImage?: string; nodeRuntimeImage?: string }): NodeImageChoice {
  const version = workspaceNodeVersion(ws);
  const derived = nodeImageOf(version?.major ?? DEFAULT_NODE_MAJOR);
  const reason =
    options.nodeImage && options.nodeRuntimeImage
      ? 'the plugin options'
      : version
        ? `the Node version the workspace asks for: ${version.source}`
        : `no Node version in .nvmrc, .node-version, volta or engines.node, so Node ${DEFAULT_NODE_MAJOR}`;
  return { nodeImage: options.nodeImage || derived, nodeRuntimeImage: options.nodeRuntimeImage || derived, reason };
}

/** Fingerprint of an app's part of the Dockerfile (I/O edge of `fingerprintText`). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintText } from './managed-blocks';

export function fingerprintDockerfile(workspaceRoot: string, dockerfile: string, blockIds: string[]): string {
  const path = join(workspaceRoot, dockerfile);
  // A missing Dockerfile is a state too (setup not run yet): hash it as such rather than failing the graph.
  const text = existsSync(path) ? fingerprintText(readFileSync(path, 'utf8'), blockIds, dockerfile) : '<missing>';
  return createHash('sha256').update(text).digest('hex');
}

/** The file-system edge of the Node model at task time: the Node workspace read from disk, for the graph's project folders. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCKFILES, NODE_PROJECT_FILES, NODE_ROOT_FILES, NodeWorkspace, readNodeWorkspace } from '../node/node-workspace';
import { pathInDir } from '../workspace/workspace-paths';

export function readNodeWorkspaceFromDisk(workspaceRoot: string, projectRoots: string[]): NodeWorkspace {
  const candidates = ['package.json', ...NODE_ROOT_FILES, ...projectRoots.flatMap((root) => NODE_PROJECT_FILES.map((f) => pathInDir(root, f)))];
  const files = [...new Set(candidates)].filter((f) => existsSync(join(workspaceRoot, f)));
  const ws = readNodeWorkspace(files, (file) => readFileSync(join(workspaceRoot, file), 'utf8'));
  if (!ws) {
    throw new Error(`no ${Object.values(LOCKFILES).join(', ')} next to ${join(workspaceRoot, 'package.json')}; run the install of the workspace's package manager, which writes its lockfile`);
  }
  // A project the model left out may be one the image needs: no context is staged until it is fixed.
  if (ws.problems.length) throw new Error(`a package.json or project.json the plugin cannot read: ${ws.problems.map((p) => p.message).join('; ')}`);
  return ws;
}

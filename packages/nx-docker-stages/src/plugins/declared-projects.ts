/** Projects a person declared with a project.json or package.json: their roots and names. */
import { posix } from 'node:path';
import { DeclaredProject } from '../go/go-projects';

export const PROJECT_FILE_GLOB = '**/{project.json,package.json}';
const PROJECT_FILE = /(^|\/)(project\.json|package\.json)$/;

export function declaredProjects(files: readonly string[], readFile: (path: string) => string): DeclaredProject[] {
  const declared: DeclaredProject[] = [];
  for (const file of files) {
    if (!PROJECT_FILE.test(file) || file.split('/').includes('node_modules')) continue;
    const root = posix.dirname(file);
    if (root === '.') continue;
    try {
      const json = JSON.parse(readFile(file));
      declared.push({ root, name: json?.nx?.name ?? json?.name });
    } catch {
      // An unreadable manifest still marks a project folder; Nx itself reports the parse error.
      declared.push({ root });
    }
  }
  return declared;
}

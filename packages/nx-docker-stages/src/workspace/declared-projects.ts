/** Projects a person declared with a project.json or package.json: their roots and names. Pure: paths and a reader in. */
import { posix } from 'node:path';

/** A project folder someone declared, whatever plugin (if any) infers its targets. */
export interface DeclaredProject {
  root: string;
  /** The name its project.json/package.json gives, if any. */
  name?: string;
}

/** The files that declare a project, wherever they are. */
export const PROJECT_FILE_NAMES = ['project.json', 'package.json'] as const;
export const PROJECT_FILES_GLOB = `**/{${PROJECT_FILE_NAMES.join(',')}}`;

export function declaredProjects(files: readonly string[], readFile: (path: string) => string): DeclaredProject[] {
  const declared: DeclaredProject[] = [];
  for (const file of files) {
    if (!(PROJECT_FILE_NAMES as readonly string[]).includes(posix.basename(file)) || file.split('/').includes('node_modules')) continue;
    const root = posix.dirname(file);
    if (root === '.') continue;
    try {
      const json = JSON.parse(readFile(file));
      // A name of another type names nothing (Nx itself reports the file).
      declared.push({ root, name: [json?.nx?.name, json?.name].find((name): name is string => typeof name === 'string') });
    } catch {
      // An unreadable manifest still marks a project folder; Nx itself reports the parse error.
      declared.push({ root });
    }
  }
  return declared;
}

/** Builds a Go workspace model from an in-memory file map, for specs. */
import { GoWorkspace, readGoWorkspace } from './go-workspace';

export function goWorkspaceOf(files: Record<string, string>): GoWorkspace {
  return readGoWorkspace(Object.keys(files), (path) => {
    if (!(path in files)) throw new Error(`no such file ${path}`);
    return files[path];
  });
}

export const mainUsing = (...imports: string[]) => `package main\n\nimport (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n\nfunc main() {}\n`;
export const libUsing = (name: string, ...imports: string[]) =>
  `package ${name}\n${imports.length ? `\nimport (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n` : ''}\nfunc X() {}\n`;

/**
 * Which package manager, at which version, the images install the pruned lockfile with: the root
 * manifest's `packageManager` when it names one, else the newest release line that writes the
 * lockfile's format, with a warning that names the fix. npm comes with Node. Pure.
 */
import { NodeWorkspace } from './node-workspace';

export interface PackageManagerChoice {
  /**
   * What `npm install --global` installs (`pnpm@10`, `yarn@1.22.22`, and for yarn 2+ its npm
   * package `@yarnpkg/cli-dist@4`: the `yarn` package on npm is yarn 1 only); null for npm, which
   * the Node image has.
   */
  install: string | null;
  /** Said when the version is a guess from the lockfile's format. */
  warning?: string;
}

/** pnpm's lockfile formats and the newest pnpm major that writes each. */
const PNPM_BY_LOCKFILE: Array<[RegExp, string]> = [
  [/^9\./, 'pnpm@10'],
  [/^[67]\./, 'pnpm@8'],
  [/^5\./, 'pnpm@7'],
];

/** yarn berry's `__metadata.version` and the yarn major that writes it (a Map: a version named like an inherited property finds nothing). */
const YARN_BERRY_BY_METADATA = new Map([['8', 'yarn@4'], ['6', 'yarn@3'], ['4', 'yarn@2']]);

/** yarn 1, the last release of the classic line; its lockfile format never changed. */
const YARN_CLASSIC = 'yarn@1.22.22';

/** yarn 2+ is published on npm as @yarnpkg/cli-dist (bins yarn and yarnpkg). */
function installable(spec: string, ws: Pick<NodeWorkspace, 'packageManager' | 'yarnFlavor'>): string {
  return ws.packageManager === 'yarn' && ws.yarnFlavor === 'berry' ? spec.replace(/^yarn@/, '@yarnpkg/cli-dist@') : spec;
}

export function packageManagerChoice(ws: Pick<NodeWorkspace, 'packageManager' | 'yarnFlavor' | 'lockfile' | 'lockfileVersion' | 'packageManagerField'>): PackageManagerChoice {
  if (ws.packageManager === 'npm') return { install: null };
  if (ws.packageManagerField) return { install: installable(ws.packageManagerField, ws) };
  if (ws.packageManager === 'yarn' && ws.yarnFlavor === 'classic') return { install: YARN_CLASSIC };
  const guess =
    ws.packageManager === 'pnpm'
      ? (PNPM_BY_LOCKFILE.find(([format]) => format.test(ws.lockfileVersion ?? ''))?.[1] ?? 'pnpm@10')
      : (YARN_BERRY_BY_METADATA.get(ws.lockfileVersion ?? '') ?? 'yarn@4');
  const name = ws.packageManager;
  return {
    install: installable(guess, ws),
    warning:
      `package.json has no "packageManager" field, so the images install ${guess}, the newest ${name} that writes ` +
      `${ws.lockfile} ${ws.lockfileVersion ? `format ${ws.lockfileVersion}` : 'in this format'}. Pin the version that wrote it: ` +
      `"packageManager": "${name}@<version>" in package.json (\`${name} --version\` tells).`,
  };
}

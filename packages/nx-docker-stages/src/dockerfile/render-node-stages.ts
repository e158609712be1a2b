/**
 * Renders the Dockerfile stages of Node apps: one base stage per lockfile
 * (a frozen install of the whole workspace, shared by every app), then per app
 * a build stage, a production-dependencies stage (a frozen install of the
 * lockfile pruned to the app, written by the executor) and a runtime stage.
 * Pure: plain data in, managed blocks out.
 */
import { NodeAppPlan, buildStepOrder } from '../node/node-apps';
import { NodePackage, NodeWorkspace, PackageManager } from '../node/node-workspace';
import { prunedDependenciesDir } from '../workspace/workspace-paths';
import { ManagedBlock } from './managed-blocks';
import { NON_ROOT_USER } from './non-root-user';
import { blockIds, stageNames } from './stage-names';

export interface NodeImages {
  /** Toolchain image of the base, build and dependency stages (needs npm). */
  nodeImage: string;
  /** Image of the runtime stages (needs node on the PATH). */
  nodeRuntimeImage: string;
}

const NPM_CACHE = '/root/.npm';
const PNPM_STORE = '/pnpm-store';
/** A private registry's token reaches installs only as this BuildKit secret, never as ARG, ENV or a layer. */
const NPMRC_SECRET = '--mount=type=secret,id=npmrc,target=/root/.npmrc';

function pnpmVersion(ws: NodeWorkspace): string {
  return ws.packageManagerVersion ?? 'pnpm@9';
}

function installPackageManager(ws: NodeWorkspace): string[] {
  return ws.packageManager === 'pnpm' ? [`RUN --mount=type=cache,target=${NPM_CACHE} npm install --global ${pnpmVersion(ws)}`] : [];
}

function installCommand(pm: PackageManager, production: boolean): string {
  if (pm === 'pnpm') {
    return production
      ? `pnpm install --frozen-lockfile --prod --config.node-linker=hoisted --store-dir=${PNPM_STORE}`
      : `pnpm install --frozen-lockfile --store-dir=${PNPM_STORE}`;
  }
  return production ? 'npm ci --omit=dev --no-audit --no-fund' : 'npm ci --no-audit --no-fund';
}

function installRun(pm: PackageManager, production: boolean): string[] {
  const cache = pm === 'pnpm' ? PNPM_STORE : NPM_CACHE;
  return [`RUN --mount=type=cache,target=${cache} \\`, `    ${NPMRC_SECRET} \\`, `    ${installCommand(pm, production)}${production ? ' && mkdir -p node_modules' : ''}`];
}

export function renderNodeBaseStage(ws: NodeWorkspace, images: NodeImages): ManagedBlock {
  const rootFiles = ['package.json', ws.lockfile, ...ws.installFiles];
  const lines = [
    `# Base stage for the ${ws.packageManager} workspace: manifests and ${ws.lockfile} only, so one frozen install`,
    '# serves every Node app and stays cached until a manifest or the lockfile changes.',
    `FROM ${images.nodeImage} AS ${stageNames.nodeBase}`,
    ...installPackageManager(ws),
    'WORKDIR /src',
    `COPY ${rootFiles.join(' ')} ./`,
    ...ws.packages.map((p) => `COPY ${p.dir}/package.json /src/${p.dir}/`),
    ...installRun(ws.packageManager, false),
  ];
  return { id: blockIds.nodeBase, body: lines.join('\n') };
}

function buildCommand(pm: PackageManager, pkg: NodePackage): string {
  return pm === 'pnpm' ? `pnpm --dir ${pkg.dir} run build` : `npm run build --workspace=${pkg.dir}`;
}

/** The files a package ships: its `files` (and package.json), else everything but node_modules. */
function gather(pkg: NodePackage, destination: string): string {
  const files = pkg.manifest.files?.length ? ['package.json', ...pkg.manifest.files] : ['.'];
  return `mkdir -p ${destination} && tar -C ${pkg.dir} --exclude=node_modules -cf - ${files.join(' ')} | tar -C ${destination} -xf -`;
}

export function renderNodeAppStages(app: NodeAppPlan, ws: NodeWorkspace, images: NodeImages): ManagedBlock {
  const build = stageNames.build(app.projectName);
  const deps = stageNames.deps(app.projectName);
  const runtime = stageNames.runtime(app.projectName);
  const gatherSteps = [gather(app.pkg, '/out/app'), ...app.runtimeLibraries.map((lib) => gather(lib, `/out/node_modules/${lib.name}`))];
  const [flags, entry, args] = splitCommand(app.command);
  const lines = [
    `# Build stage for ${app.projectName}: its workspace closure on the shared install, each package built right after what it needs; what runs is gathered in /out.`,
    `FROM ${stageNames.nodeBase} AS ${build}`,
    ...buildStepOrder(ws, app.buildClosure).flatMap((p) => [
      `COPY ${p.dir} /src/${p.dir}/`,
      ...(p.manifest.scripts?.build ? [`RUN ${buildCommand(ws.packageManager, p)}`] : []),
    ]),
    `RUN ${gatherSteps.join(' \\\n && ')}`,
    '',
    `# Production dependencies of ${app.projectName}: ${ws.lockfile} pruned to its closure by the docker-build executor`,
    `# (${prunedDependenciesDir(app.projectName)}), installed frozen, so no devDependency or other app's dependency gets in.`,
    `FROM ${images.nodeImage} AS ${deps}`,
    ...installPackageManager(ws),
    'WORKDIR /deps',
    `COPY ${prunedDependenciesDir(app.projectName)}/ ./`,
    ...installRun(ws.packageManager, true),
    '',
    `# Runtime stage for ${app.projectName}: Node, its production dependencies, its workspace libraries and its files, as a non-root user.`,
    `FROM ${images.nodeRuntimeImage} AS ${runtime}`,
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    `COPY --from=${deps} /deps/node_modules ./node_modules/`,
    ...(app.runtimeLibraries.length ? [`COPY --from=${build} /out/node_modules ./node_modules/`] : []),
    `COPY --from=${build} /out/app ./`,
    `USER ${NON_ROOT_USER}`,
    '# Node as PID 1 ignores SIGTERM unless something listens: exit on SIGTERM/SIGINT unless the app handles them itself.',
    `CMD ${JSON.stringify(['node', ...flags, '-e', SIGNAL_SHIM, `/app/${entry.replace(/^\.\//, '')}`, ...args])}`,
  ];
  return { id: blockIds.app(app.projectName), body: lines.join('\n') };
}

/** Runs the entry as the main module (require.main stays right) after installing default signal exits. */
export const SIGNAL_SHIM =
  "for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => { if (process.listenerCount(s) === 1) process.exit(128 + require('os').constants.signals[s]); }); require('module').runMain();";

/** ["node", "--flag", "dist/main.js", "a"] → [["--flag"], "dist/main.js", ["a"]]. */
function splitCommand(command: string[]): [string[], string, string[]] {
  const rest = command.slice(1);
  const entryIndex = rest.findIndex((w) => !w.startsWith('-'));
  return [rest.slice(0, entryIndex), rest[entryIndex], rest.slice(entryIndex + 1)];
}

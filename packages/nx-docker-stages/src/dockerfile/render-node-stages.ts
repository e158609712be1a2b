/**
 * Renders the Dockerfile stages of a Node app: a production-dependencies stage (a frozen install
 * of the lockfile pruned to the app) and a runtime stage. Both build from the app's own build
 * context, which the docker-build executor stages before the engine runs (see
 * workspace/workspace-paths.ts, NODE_CONTEXT): the app's runtime files, the built packages of its
 * workspace libraries, and its pruned manifest and lockfile. The app itself is built by its own Nx
 * build beforehand, so no stage compiles anything and no stage sees the workspace. Pure: plain data
 * in, managed blocks out.
 */
import { NodeAppPlan } from '../node/node-apps';
import { NodeWorkspace } from '../node/node-workspace';
import { packageManagerChoice } from '../node/package-manager';
import { NODE_CONTEXT } from '../workspace/workspace-paths';
import { ManagedBlock, blockBody } from './managed-blocks';
import { NON_ROOT_USER } from './non-root-user';
import { blockIds, stageNames } from './stage-names';

export interface NodeImages {
  /** Image of the dependencies stage (needs npm). */
  nodeImage: string;
  /** Image of the runtime stage (needs node on the PATH). */
  nodeRuntimeImage: string;
}

const NPM_CACHE = '/root/.npm';
const PNPM_STORE = '/pnpm-store';
/** A private registry's token reaches installs only as this BuildKit secret, never as ARG, ENV or a layer. */
const NPMRC_SECRET = '--mount=type=secret,id=npmrc,target=/root/.npmrc';
/** yarn 2+ reads registry credentials from the home .yarnrc.yml, not .npmrc. */
const YARNRC_SECRET = '--mount=type=secret,id=yarnrc,target=/root/.yarnrc.yml';

/** The frozen production install of the pruned lockfile, and the cache it keeps its downloads in (shared by every app). */
function productionInstall(ws: Pick<NodeWorkspace, 'packageManager' | 'yarnFlavor'>): { command: string; cache: string | null; secret: string } {
  switch (ws.packageManager) {
    case 'pnpm':
      return { command: `pnpm install --frozen-lockfile --prod --config.node-linker=hoisted --store-dir=${PNPM_STORE}`, cache: PNPM_STORE, secret: NPMRC_SECRET };
    case 'yarn':
      return ws.yarnFlavor === 'berry'
        ? // The pruned manifest holds production dependencies only; the stage's .yarnrc.yml asks for node_modules.
          { command: 'yarn install --immutable', cache: '/root/.yarn/berry/cache', secret: YARNRC_SECRET }
        : // No cache mount for yarn 1: its cache broke in one (seen here: parallel installs corrupted it, and a later
          // build found entries without their .yarn-tarball.tgz and failed). The layer stays cached until the pruned lockfile changes.
          { command: 'yarn install --frozen-lockfile --production --non-interactive --cache-folder /tmp/yarn-cache && rm -rf /tmp/yarn-cache', cache: null, secret: NPMRC_SECRET };
    default:
      return { command: 'npm ci --omit=dev --no-audit --no-fund', cache: NPM_CACHE, secret: NPMRC_SECRET };
  }
}

/** Runs the entry as the main module (require.main stays right) after installing default signal exits. */
export const SIGNAL_SHIM =
  "for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => { if (process.listenerCount(s) === 1) process.exit(128 + require('os').constants.signals[s]); }); require('module').runMain();";

/** The runtime stage's command: Node with the app's flags, the signal shim, the entry and its arguments. */
function command(app: NodeAppPlan): string[] {
  // An Nx-built app's entry is the `main` docker-build writes into /app/package.json, found in the build's output.
  if (app.build.kind === 'nx') return ['node', '-e', SIGNAL_SHIM, '/app'];
  const { flags, entry, args } = app.build.start;
  return ['node', ...flags, '-e', SIGNAL_SHIM, `/app/${entry.replace(/^\.\//, '')}`, ...args];
}

export function renderNodeAppStages(app: NodeAppPlan, ws: Pick<NodeWorkspace, 'packageManager' | 'yarnFlavor' | 'lockfile' | 'lockfileVersion' | 'packageManagerField'>, images: NodeImages): ManagedBlock {
  const deps = stageNames.deps(app.projectName);
  const runtime = stageNames.runtime(app.projectName);
  const install = productionInstall(ws);
  const manager = packageManagerChoice(ws).install;
  const what =
    app.build.kind === 'nx'
      ? `the output of its "${app.build.target}" target (with a package.json naming the entry)`
      : 'its package files, as npm would pack them';
  const lines = [
    `# Production dependencies of ${app.projectName}: ${ws.lockfile} pruned to the app by docker-build (${NODE_CONTEXT.dependencies}/ in its`,
    '# build context), installed frozen: no devDependency, no other app\'s dependency.',
    `FROM ${images.nodeImage} AS ${deps}`,
    ...(manager ? [`RUN --mount=type=cache,target=${NPM_CACHE} npm install --global ${manager}`] : []),
    'WORKDIR /deps',
    `COPY ${NODE_CONTEXT.dependencies}/ ./`,
    ...(install.cache ? [`RUN --mount=type=cache,target=${install.cache} \\`, `    ${install.secret} \\`] : [`RUN ${install.secret} \\`]),
    `    ${install.command} && mkdir -p node_modules`,
    '',
    `# Runtime stage for ${app.projectName}: Node, its production dependencies, its workspace libraries as built packages`,
    `# (${NODE_CONTEXT.libraries}/) and ${what} (${NODE_CONTEXT.app}/), as a non-root user.`,
    `FROM ${images.nodeRuntimeImage} AS ${runtime}`,
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    `COPY --from=${deps} /deps/node_modules ./node_modules/`,
    `COPY ${NODE_CONTEXT.libraries}/ ./node_modules/`,
    `COPY ${NODE_CONTEXT.app}/ ./`,
    `USER ${NON_ROOT_USER}`,
    '# Node as PID 1 ignores SIGTERM unless something listens: exit on SIGTERM/SIGINT unless the app handles them itself.',
    `CMD ${JSON.stringify(command(app))}`,
  ];
  return { id: blockIds.app(app.projectName), body: blockBody(lines) };
}

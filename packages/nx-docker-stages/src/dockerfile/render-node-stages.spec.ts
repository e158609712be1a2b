import { nodeAppsOf, nodeProjectVerdicts } from '../node/node-apps';
import { nodeWorkspaceOf, shopFiles } from '../node/test-node-workspace';
import { SIGNAL_SHIM, renderNodeAppStages } from './render-node-stages';

const images = { nodeImage: 'node:22-bookworm-slim', nodeRuntimeImage: 'node:22-bookworm-slim' };
const ws = nodeWorkspaceOf(shopFiles);
const app = (name: string) => nodeAppsOf(nodeProjectVerdicts(ws)).find((a) => a.projectName === name)!;
const lines = (text: string) => text.split('\n');
const nxApp = { projectName: '@wsa/api', projectRoot: 'apps/api', build: { kind: 'nx' as const, target: 'build' } };

describe('the stages of a Node app', () => {
  it('installs production dependencies frozen from the lockfile docker-build pruned for the app, with a shared cache and the npm token as a secret', () => {
    const body = renderNodeAppStages(app('@shop/web'), ws, images).body;
    expect(body).toContain('FROM node:22-bookworm-slim AS shop-web-deps\nWORKDIR /deps\nCOPY deps/ ./\n');
    expect(body).toContain('RUN --mount=type=cache,target=/root/.npm \\\n    --mount=type=secret,id=npmrc,target=/root/.npmrc \\\n    npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules');
  });

  it('copies only what docker-build staged: dependencies, libraries as packages, then the app', () => {
    const body = renderNodeAppStages(app('@shop/web'), ws, images).body;
    expect(lines(body).filter((l) => l.startsWith('COPY '))).toEqual([
      'COPY deps/ ./',
      'COPY --from=shop-web-deps /deps/node_modules ./node_modules/',
      'COPY libraries/ ./node_modules/',
      'COPY app/ ./',
    ]);
  });

  it('installs the pnpm the workspace pins and runs a frozen production pnpm install into a hoisted node_modules', () => {
    const pnpm = nodeWorkspaceOf({ 'package.json': { name: 'shop', packageManager: 'pnpm@9.15.9' }, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'pnpm-workspace.yaml': 'packages: [apps/*]\n' });
    const body = renderNodeAppStages(nxApp, pnpm, images).body;
    expect(body).toContain('npm install --global pnpm@9.15.9');
    expect(body).toContain('pnpm install --frozen-lockfile --prod --config.node-linker=hoisted --store-dir=/pnpm-store');
  });

  it('installs with yarn 1 without a shared cache, and with yarn 2+ immutably', () => {
    const classic = nodeWorkspaceOf({ 'package.json': { name: 'x' }, 'yarn.lock': '# yarn lockfile v1\n' });
    const body = renderNodeAppStages(nxApp, classic, images).body;
    expect(body).toContain('npm install --global yarn@1.22.22');
    expect(body).toContain('RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \\\n    yarn install --frozen-lockfile --production --non-interactive --cache-folder /tmp/yarn-cache');
    expect(body).not.toContain('.cache/yarn');
    const berry = nodeWorkspaceOf({ 'package.json': { name: 'x', packageManager: 'yarn@4.5.0' }, 'yarn.lock': '__metadata:\n  version: 8\n' });
    expect(renderNodeAppStages(nxApp, berry, images).body).toMatch(/npm install --global @yarnpkg\/cli-dist@4\.5\.0[\s\S]*yarnrc[\s\S]*yarn install --immutable/);
  });

  it('runs a package app as a non-root numeric user with a JSON-form CMD that handles SIGTERM, keeping its start flags', () => {
    const body = renderNodeAppStages(app('@shop/report'), ws, images).body;
    expect(body).toMatch(/^USER 65532:65532$/m);
    const cmd = lines(body).find((l) => l.startsWith('CMD '))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(['node', '--enable-source-maps', '-e', SIGNAL_SHIM, '/app/dist/main.js', '--verbose']);
  });

  it('starts an Nx-built app by the main docker-build writes into /app/package.json', () => {
    const cmd = lines(renderNodeAppStages(nxApp, ws, images).body).find((l) => l.startsWith('CMD '))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(['node', '-e', SIGNAL_SHIM, '/app']);
  });

  it('never puts a token in ARG or ENV', () => {
    expect(renderNodeAppStages(app('@shop/web'), ws, images).body).not.toMatch(/^(ARG|ENV) (?!NODE_ENV=production$)/m);
  });
});

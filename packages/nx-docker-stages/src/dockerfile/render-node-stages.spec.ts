import { planNodeApps } from '../node/node-apps';
import { nodeWorkspaceOf, shopFiles } from '../node/test-node-workspace';
import { SIGNAL_SHIM, renderNodeAppStages, renderNodeBaseStage } from './render-node-stages';

const images = { nodeImage: 'node:22-bookworm-slim', nodeRuntimeImage: 'node:22-bookworm-slim' };
const ws = nodeWorkspaceOf(shopFiles);
const app = (name: string) => planNodeApps(ws).find((a) => a.projectName === name)!;
const lines = (text: string) => text.split('\n');

describe('the Node base stage', () => {
  it('copies only manifests and the lockfile before one frozen install with a cache and the npm token as a secret', () => {
    const body = renderNodeBaseStage(ws, images).body;
    expect(lines(body).filter((l) => l.startsWith('COPY '))).toEqual([
      'COPY package.json package-lock.json ./',
      'COPY apps/ping/package.json /src/apps/ping/',
      'COPY apps/report/package.json /src/apps/report/',
      'COPY apps/web/package.json /src/apps/web/',
      'COPY libs/greeting/package.json /src/libs/greeting/',
    ]);
    expect(body).toContain('RUN --mount=type=cache,target=/root/.npm \\\n    --mount=type=secret,id=npmrc,target=/root/.npmrc \\\n    npm ci --no-audit --no-fund');
  });

  it('installs the pinned pnpm and runs a frozen pnpm install in a pnpm workspace', () => {
    const pnpm = nodeWorkspaceOf({
      'package.json': { name: 'shop', packageManager: 'pnpm@9.15.9' },
      'pnpm-lock.yaml': '',
      'pnpm-workspace.yaml': 'packages: [apps/*]\n',
      'apps/web/package.json': { name: 'web', main: 'index.js' },
    });
    const body = renderNodeBaseStage(pnpm, images).body;
    expect(body).toContain('npm install --global pnpm@9.15.9');
    expect(body).toContain('COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./');
    expect(body).toContain('pnpm install --frozen-lockfile --store-dir=/pnpm-store');
  });

  it('never puts a token in ARG or ENV', () => {
    expect(renderNodeBaseStage(ws, images).body).not.toMatch(/^(ARG|ENV) /m);
  });
});

describe('the stages of a Node app', () => {
  it('builds the app after its libraries, with the workspace package manager', () => {
    const body = renderNodeAppStages(app('@shop/report'), ws, images).body;
    expect(body).toContain('FROM node-base AS shop-report-build\nCOPY apps/report /src/apps/report/\nRUN npm run build --workspace=apps/report\n');
  });

  it('builds each library right after what it needs, before the packages nothing built needs', () => {
    const layered = nodeWorkspaceOf({
      ...shopFiles,
      'libs/events/package.json': { name: '@shop/events', main: 'dist/index.js', scripts: { build: 'tsc' } },
      'apps/web/package.json': { name: '@shop/web', main: 'src/main.js', dependencies: { '@shop/events': '*', '@shop/greeting': '*' } },
    });
    const web = planNodeApps(layered).find((a) => a.projectName === '@shop/web')!;
    const body = renderNodeAppStages(web, layered, images).body;
    expect(lines(body).filter((l) => /^(COPY|RUN npm run build) /.test(l) && !l.includes('--from'))).toEqual([
      'COPY libs/events /src/libs/events/',
      'RUN npm run build --workspace=libs/events',
      'COPY libs/greeting /src/libs/greeting/',
      'COPY apps/web /src/apps/web/',
      'COPY dist/docker/@shop/web/deps/ ./',
    ]);
  });

  it('gathers only the files a package ships, never node_modules', () => {
    const report = renderNodeAppStages(app('@shop/report'), ws, images).body;
    expect(report).toContain('tar -C apps/report --exclude=node_modules -cf - package.json dist | tar -C /out/app -xf -');
    const web = renderNodeAppStages(app('@shop/web'), ws, images).body;
    expect(web).toContain('tar -C libs/greeting --exclude=node_modules -cf - . | tar -C /out/node_modules/@shop/greeting -xf -');
  });

  it('installs production dependencies frozen from the lockfile the executor pruned for the app', () => {
    const body = renderNodeAppStages(app('@shop/web'), ws, images).body;
    expect(body).toContain('FROM node:22-bookworm-slim AS shop-web-deps\nWORKDIR /deps\nCOPY dist/docker/@shop/web/deps/ ./\n');
    expect(body).toContain('npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules');
  });

  it('runs as a non-root numeric user with a JSON-form CMD that handles SIGTERM', () => {
    const body = renderNodeAppStages(app('@shop/report'), ws, images).body;
    expect(body).toMatch(/^USER 65532:65532$/m);
    const cmd = lines(body).find((l) => l.startsWith('CMD '))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(['node', '--enable-source-maps', '-e', SIGNAL_SHIM, '/app/dist/main.js', '--verbose']);
  });

  it('copies workspace libraries into node_modules only when the app has some', () => {
    expect(renderNodeAppStages(app('@shop/ping'), ws, images).body).not.toContain('/out/node_modules');
    expect(renderNodeAppStages(app('@shop/web'), ws, images).body).toContain('COPY --from=shop-web-build /out/node_modules ./node_modules/');
  });
});

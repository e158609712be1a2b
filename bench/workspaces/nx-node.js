/**
 * The Node half of the realistic workspace, made as a new Nx user makes it: `create-nx-workspace`
 * (the TS-solution layout with npm workspaces), then Nx's generators for each app and library,
 * then the code of each project and its dependencies (declared per project, as `npm install
 * <pkg> --workspace` would). Apps are built by Nx targets: four by `@nx/esbuild:esbuild` (what
 * `@nx/node:app` gives) and two by `@nx/js:swc` (`@nx/js:setup-build --bundler=swc`); libraries
 * by the `@nx/js/typescript` plugin's inferred `tsc --build` (what `@nx/js:lib --bundler=tsc` gives).
 * (`setup-build --bundler=tsc` leaves an app's esbuild target in place in this layout, so no
 * generator makes a tsc-built app here: tsc is what builds the libraries.)
 *
 * Also the baselines' Dockerfiles for these apps: the naive one (the app and its libraries built
 * on the host by Nx, as Nx's own Dockerfile template expects; the file installs the production
 * dependencies and copies the output) and the one the `turbo prune <app> --docker` pattern gives.
 */
const { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { NX_ENV, run } = require('../lib/exec');
const { IMAGES } = require('../lib/prepare');

const NX_VERSION = '23.2.1';
const SCOPE = '@benchshop';
const WORKSPACE_NAME = 'benchshop';

/** External npm ranges (the root's express ^5 comes from create-nx-workspace's express template). */
const NPM = {
  express: '^5.1.0',
  uuid: '^11.1.0',
  dotenv: '^16.4.7',
  picocolors: '^1.1.1',
  ms: '^2.1.3',
  semver: '^7.6.3',
};
/** Type packages the code needs, as root devDependencies. */
const TYPES = { '@types/ms': '^2.1.0', '@types/semver': '^7.5.8' };

// ---------------------------------------------------------------- libraries ------------------------------------

/** Node libraries (`@nx/js:lib --bundler=tsc`: ESM, built by `tsc --build` into dist/). */
const NODE_LIBS = {
  logger: {
    deps: ['picocolors'],
    libs: [],
    code: `import pc from 'picocolors';

export type Fields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export function createLogger(service: string): Logger {
  const line =
    (level: string, colour: (text: string) => string) =>
    (msg: string, fields: Fields = {}): void => {
      console.log(colour(JSON.stringify({ ts: new Date().toISOString(), level, service, msg, ...fields })));
    };
  return { info: line('info', pc.green), warn: line('warn', pc.yellow), error: line('error', pc.red) };
}
`,
  },
  pricing: {
    deps: [],
    libs: [],
    code: `const TAX: Record<string, number> = { de: 19, fr: 20, us: 0 };

export function withTax(cents: number, country: string): number {
  return Math.round((cents * (100 + (TAX[country] ?? 0))) / 100);
}

export function format(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}
`,
  },
  validation: {
    deps: [],
    libs: [],
    code: `export interface Check {
  ok: boolean;
  errors: string[];
}

export function required(object: Record<string, unknown> | null | undefined, fields: string[]): Check {
  const missing = fields.filter((f) => object == null || object[f] === undefined || object[f] === '');
  return missing.length ? { ok: false, errors: missing.map((f) => \`\${f} is required\`) } : { ok: true, errors: [] };
}

export function isEmail(value: unknown): boolean {
  return typeof value === 'string' && /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(value);
}
`,
  },
  events: {
    deps: ['ms'],
    libs: [],
    code: `import ms from 'ms';

export interface Event {
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

export function event(type: string, payload: Record<string, unknown> = {}): Event {
  return { type, at: new Date().toISOString(), payload };
}

export function retryDelays(count: number, first: number = ms('1s')): number[] {
  return Array.from({ length: count }, (_, i) => first * 2 ** i);
}
`,
  },
};

// ---------------------------------------------------------------- apps -----------------------------------------

const expressMain = (name, { imports, routes }) => `import express from 'express';
${imports}

const log = createLogger('${name}');
const app = express();
app.use(express.json());

app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

${routes}

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => log.info('listening', { port }));
`;

/**
 * The 6 Node apps. `framework` is @nx/node:app's; `bundler` the build: esbuild (the generator's
 * default) or swc (then `@nx/js:setup-build --bundler=swc`). The first one is create-nx-workspace's app.
 */
const NODE_APPS = {
  storefront: {
    framework: 'express',
    bundler: 'esbuild',
    deps: ['express'],
    libs: ['logger', 'pricing'],
    code: expressMain('storefront', {
      imports: `import { createLogger } from '${SCOPE}/logger';\nimport { format, withTax } from '${SCOPE}/pricing';`,
      routes: `app.get('/price/:cents', (req, res) => {
  const country = typeof req.query.country === 'string' ? req.query.country : 'de';
  const cents = withTax(Number(req.params.cents), country);
  log.info('price', { cents });
  res.json({ cents, text: format(cents) });
});`,
    }),
  },
  checkout: {
    framework: 'express',
    bundler: 'esbuild',
    deps: ['express', 'uuid'],
    libs: ['logger', 'pricing', 'validation'],
    code: expressMain('checkout', {
      imports: `import { v4 as uuid } from 'uuid';\nimport { createLogger } from '${SCOPE}/logger';\nimport { withTax } from '${SCOPE}/pricing';\nimport { isEmail, required } from '${SCOPE}/validation';`,
      routes: `app.post('/checkout', (req, res) => {
  const check = required(req.body, ['email', 'cents']);
  if (!check.ok || !isEmail(req.body.email)) {
    res.status(400).json(check);
    return;
  }
  const order = { id: uuid(), total: withTax(Number(req.body.cents), 'de') };
  log.info('order', order);
  res.status(201).json(order);
});`,
    }),
  },
  webhooks: {
    framework: 'express',
    bundler: 'esbuild',
    deps: ['express', 'ms'],
    libs: ['events', 'logger', 'validation'],
    code: expressMain('webhooks', {
      imports: `import ms from 'ms';\nimport { createLogger } from '${SCOPE}/logger';\nimport { event, retryDelays } from '${SCOPE}/events';\nimport { required } from '${SCOPE}/validation';`,
      routes: `app.post('/hooks/:source', (req, res) => {
  const check = required(req.body, ['type']);
  if (!check.ok) {
    res.status(400).json(check);
    return;
  }
  log.info('hook', { ...event(String(req.body.type), { source: req.params.source }), retryIn: retryDelays(2).map((d) => ms(d)) });
  res.status(202).end();
});`,
    }),
  },
  admin: {
    framework: 'none',
    bundler: 'esbuild',
    deps: ['dotenv'],
    libs: ['logger'],
    code: `import 'dotenv/config';
import { createLogger } from '${SCOPE}/logger';

interface Task {
  name: string;
  run: () => Promise<void>;
}

const log = createLogger('admin');
const tasks: Task[] = [
  { name: 'reindex', run: async () => log.info('reindexing', { shards: Number(process.env.SHARDS ?? 4) }) },
  { name: 'cleanup', run: async () => log.info('cleaning up') },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const task of tasks.filter((t) => wanted.length === 0 || wanted.includes(t.name))) await task.run();
}

main().catch((e: unknown) => {
  log.error(String(e));
  process.exitCode = 1;
});
`,
  },
  mailer: {
    framework: 'none',
    bundler: 'swc',
    deps: ['dotenv'],
    libs: ['events', 'logger'],
    code: `import 'dotenv/config';
import { createLogger } from '${SCOPE}/logger';
import { event, retryDelays } from '${SCOPE}/events';

const log = createLogger('mailer');
const outbox = [event('welcome', { to: process.env.MAIL_TO ?? 'new@example.com' })];
for (const mail of outbox) log.info('sending', { type: mail.type, retries: retryDelays(3) });
`,
  },
  search: {
    framework: 'none',
    bundler: 'swc',
    deps: ['semver'],
    libs: ['events', 'validation'],
    code: `import semver from 'semver';
import { event } from '${SCOPE}/events';
import { required } from '${SCOPE}/validation';

const index = [
  { name: 'storefront', version: '1.4.0' },
  { name: 'checkout', version: '2.0.1' },
];
const query = { name: process.argv[2] ?? 'storefront', range: process.argv[3] ?? '^1.0.0' };
if (!required(query, ['name']).ok) process.exit(2);
const hits = index.filter((d) => d.name.includes(query.name) && semver.satisfies(d.version, query.range));
console.log(JSON.stringify(event('search', { query, hits })));
`,
  },
};

const projectName = (name) => `${SCOPE}/${name}`;

/** Workspace libraries an app needs (transitively), libraries before their dependents. */
function nodeClosure(app) {
  const ordered = [];
  const visit = (lib) => {
    if (ordered.includes(lib)) return;
    for (const dep of NODE_LIBS[lib].libs) visit(dep);
    ordered.push(lib);
  };
  for (const lib of NODE_APPS[app].libs) visit(lib);
  return ordered;
}

// ---------------------------------------------------------------- generation -----------------------------------

const QUIET = ['--no-interactive'];
const NO_EXTRAS = ['--e2eTestRunner=none', '--unitTestRunner=none', '--linter=none'];

/**
 * Makes the Node workspace at `root` (which must not exist) with Nx's own tools, then writes each
 * project's code and dependencies and installs, so that the lockfile is npm's own. Leaves git's
 * first commit (create-nx-workspace's) in place; the caller adds the rest and commits.
 */
async function generateNodeWorkspace(root) {
  const env = NX_ENV;
  const [first, ...others] = Object.keys(NODE_APPS);
  // The workspace's name is its npm scope: make it under that name, then move it into place.
  const scratch = mkdtempSync(join(dirname(root), '.create-'));
  await run(
    'npx',
    ['-y', `create-nx-workspace@${NX_VERSION}`, WORKSPACE_NAME, '--preset=node-monorepo', '--framework=express', '--packageManager=npm', `--appName=${first}`, '--nxCloud=skip', '--interactive=false', '--formatter=none', '--aiAgents=none', '--analytics=false', '--docker=false', ...NO_EXTRAS],
    { cwd: scratch, env },
  );
  renameSync(join(scratch, WORKSPACE_NAME), root);
  rmSync(scratch, { recursive: true, force: true });
  const nx = (args) => run(join(root, 'node_modules', '.bin', 'nx'), args, { cwd: root, env });
  for (const app of others) {
    await nx(['g', '@nx/node:app', `apps/${app}`, `--framework=${NODE_APPS[app].framework}`, '--docker=false', ...NO_EXTRAS, ...QUIET]);
    if (NODE_APPS[app].bundler === 'swc') await nx(['g', '@nx/js:setup-build', projectName(app), '--bundler=swc', ...QUIET]);
  }
  for (const lib of Object.keys(NODE_LIBS)) await nx(['g', '@nx/js:lib', `libs/${lib}`, '--bundler=tsc', '--unitTestRunner=none', '--linter=none', ...QUIET]);

  for (const [lib, spec] of Object.entries(NODE_LIBS)) {
    rmSync(join(root, 'libs', lib, 'src', 'lib'), { recursive: true, force: true });
    writeFileSync(join(root, 'libs', lib, 'src', 'index.ts'), spec.code);
    declareDependencies(join(root, 'libs', lib, 'package.json'), spec);
  }
  for (const [app, spec] of Object.entries(NODE_APPS)) {
    writeFileSync(join(root, 'apps', app, 'src', 'main.ts'), spec.code);
    declareDependencies(join(root, 'apps', app, 'package.json'), spec);
  }
  const rootManifest = join(root, 'package.json');
  const manifest = JSON.parse(readFileSync(rootManifest, 'utf8'));
  manifest.devDependencies = sortKeys({ ...manifest.devDependencies, ...TYPES });
  writeFileSync(rootManifest, JSON.stringify(manifest, null, 2) + '\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
}

/** A project's dependencies as `npm install <pkg> --workspace` writes them; workspace libraries as "*". */
function declareDependencies(file, spec) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const declared = { ...Object.fromEntries(spec.deps.map((d) => [d, NPM[d]])), ...Object.fromEntries(spec.libs.map((l) => [projectName(l), '*'])) };
  manifest.dependencies = sortKeys({ ...manifest.dependencies, ...declared });
  writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
}

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

// ---------------------------------------------------------------- baselines ------------------------------------

/** Where Nx's builds of a project write (each target's outputPath / the lib's tsconfig outDir). */
const distOf = (dir) => `${dir}/dist`;

/** The runtime stage both baselines end with: the `deps` stage's node_modules, then each package's manifest and build output. */
function runtimeStage(app, dirs) {
  return `FROM ${IMAGES.nodeRuntimeImage}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /src/node_modules ./node_modules
${dirs.map((d) => `COPY ${d}/package.json ${d}/\nCOPY ${distOf(d)}/ ${distOf(d)}/`).join('\n')}
USER 65532:65532
CMD ["node", "${distOf(`apps/${app}`)}/main.js"]
`;
}

/**
 * The naive Dockerfile of a Node app: Nx builds the app and its libraries on the host (`nx run-many
 * -t build`, what Nx's own Dockerfile template for `@nx/node:app` expects); the file installs the
 * production dependencies of the root manifests and the app's closure, and copies the built output.
 */
function naiveNodeDockerfile(app) {
  const dirs = [...nodeClosure(app).map((l) => `libs/${l}`), `apps/${app}`];
  return `# Naive baseline for ${projectName(app)}: built on the host by Nx (nx run-many -t build), written by hand.
FROM ${IMAGES.nodeImage} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
${dirs.map((d) => `COPY ${d}/package.json ${d}/`).join('\n')}
RUN npm ci --omit=dev --no-audit --no-fund

${runtimeStage(app, dirs)}`;
}

/**
 * The Dockerfile of the `turbo prune <app> --docker` pattern, from the workspace root: the pruned
 * manifests and lockfile (`out/json`) installed with production
 * dependencies only, then the host's build output of the packages turbo kept (`packageDirs`).
 */
function turboNodeDockerfile(app, packageDirs) {
  return `# turbo prune ${projectName(app)} --docker: the app's closure only, built on the host by Nx.
FROM ${IMAGES.nodeImage} AS deps
WORKDIR /src
COPY out/json/ ./
RUN npm ci --omit=dev --no-audit --no-fund

${runtimeStage(app, packageDirs)}`;
}

module.exports = {
  NX_VERSION,
  WORKSPACE_NAME,
  SCOPE,
  NPM,
  NODE_APPS,
  NODE_LIBS,
  projectName,
  nodeClosure,
  distOf,
  generateNodeWorkspace,
  naiveNodeDockerfile,
  turboNodeDockerfile,
};

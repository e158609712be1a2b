import fc from 'fast-check';
import { planWorkspace } from '../plan/workspace-plan';
import { declaredProjects } from '../workspace/declared-projects';
import { WorkspaceFileError } from '../workspace/workspace-file-error';
import { assertProperty, callParser, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { hasStage, dockerfileStages } from './dockerfile-stages';
import { mergeManagedBlocks } from './managed-blocks';
import { appDockerfiles } from './render-dockerfile';

/** Project names people (or typos) give: scopes, capitals, spaces, prototype names, marker text, line breaks. */
const NAMES = ['api', 'API', '@shop/web', 'web app', 'go-base', 'x-build', '', ...PROTOTYPE_NAMES, '# <<< nx-docker-stages managed "header"', 'a\n# <<< nx-docker-stages managed "header"', 'b\n# <<< nx-docker-stages managed "header"\nFROM scratch', 'ü'];
const START_SCRIPTS = ['node index.js', 'node -r ./setup.js dist/main.js --port 3000', 'node "quoted.js"'];

/** A workspace with Go apps in cmd/ (some named by a package.json) and Node package apps in apps/, every name from NAMES. */
const workspaceFiles = fc
  .record({
    goApps: fc.uniqueArray(fc.tuple(fc.constantFrom('api', 'worker', 'x y'), fc.option(fc.constantFrom(...NAMES), { nil: undefined })), { selector: ([dir]) => dir, maxLength: 3 }),
    nodeApps: fc.uniqueArray(fc.tuple(fc.constantFrom('web', 'mailer', 'a b'), fc.constantFrom(...NAMES), fc.constantFrom(...START_SCRIPTS)), { selector: ([dir]) => dir, maxLength: 3 }),
    modulePath: fc.constantFrom('example.com/shop', 'shop', 'Example.COM/x y'),
    pnpm: fc.option(fc.constantFrom('pnpm@9.15.9', 'pnpm@9.15.9\nRUN echo injected', 'pnpm@9 # x'), { nil: undefined }),
  })
  .map(({ goApps, nodeApps, modulePath, pnpm }) => {
    const files = new Map<string, string>([['go.mod', `module ${modulePath}\n`]]);
    for (const [dir, name] of goApps) {
      files.set(`cmd/${dir}/main.go`, 'package main\n\nfunc main() {}\n');
      if (name !== undefined) files.set(`cmd/${dir}/package.json`, JSON.stringify({ name }));
    }
    if (nodeApps.length) {
      files.set('package.json', JSON.stringify({ name: 'shop', workspaces: ['apps/*'], packageManager: pnpm }));
      if (pnpm) files.set('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
      else files.set('package-lock.json', '{"lockfileVersion": 3}');
    }
    for (const [dir, name, start] of nodeApps) files.set(`apps/${dir}/package.json`, JSON.stringify({ name, scripts: { start } }));
    return files;
  });

const options = { dockerfile: 'Dockerfile', targetName: 'docker-build', goImage: 'golang:1.23-bookworm', goRuntimeImage: 'gcr.io/distroless/static-debian12:nonroot', goCgoRuntimeImage: 'gcr.io/distroless/base-debian12:nonroot' };

/** The plugin's refusals: a model error naming the file, or two apps whose Dockerfiles or stages would collide, said by name. */
const isRefusal = (files: string[]) => (error: unknown) =>
  (error instanceof WorkspaceFileError && files.includes(error.file)) || (error instanceof Error && error.constructor === Error && /same project root|would clash with the base stage/.test(error.message));

describe('the Dockerfiles of any workspace', () => {
  it('render, or are refused by name, and read back as the plugin wrote them: its own blocks, unedited, with the runtime stage', () => {
    assertProperty(
      fc.property(workspaceFiles, (files) => {
        const paths = [...files.keys()];
        const read = (path: string) => files.get(path)!;
        const outcome = callParser(() => {
          const plan = planWorkspace(paths, read, declaredProjects(paths, read));
          return appDockerfiles({ goApps: plan.go.apps, node: plan.node }, options);
        }, isRefusal(paths));
        if (!('returned' in outcome)) return;
        for (const file of outcome.returned) {
          const { text } = mergeManagedBlocks(null, file.blocks, file.path);
          expect(mergeManagedBlocks(text, file.blocks, file.path)).toEqual({ text, editedBlocks: [], staleKeptBlocks: [] });
          // Exactly the plugin's stages: Go's base, build and runtime stages, Node's dependencies and runtime stages.
          const stages = dockerfileStages(text);
          expect(stages).toHaveLength(file.blocks.some((b) => b.id.startsWith('base:')) ? 3 : 2);
          expect(hasStage(stages, file.runtimeStage)).toBe(true);
        }
      }),
      100,
    );
  });
});

/**
 * Synthetic workspaces for the graph measurement: N projects, half Go (one
 * module per project, tied together by a go.work, as @nx-go/nx-go expects),
 * half Node (an npm workspace). One project in five is an app; the others are
 * libraries. Every project has a project.json (Go) or package.json (Node), so
 * Nx sees the same N projects with and without a plugin, and every app has a
 * Dockerfile, so @nx/docker has something to infer. Deterministic: the same N
 * gives the same files.
 */
const GO_MODULE_PREFIX = 'example.com/synth';

/** A small deterministic pseudo-random generator (mulberry32), so workspaces are reproducible. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (i) => String(i).padStart(4, '0');

/** Picks up to `count` distinct indexes below `limit`. */
function pickSome(rand, limit, count) {
  const out = new Set();
  for (let i = 0; i < count * 3 && out.size < Math.min(count, limit); i++) out.add(Math.floor(rand() * limit));
  return [...out].sort((a, b) => a - b);
}

/**
 * Dependencies inside one language: library i uses 0-2 libraries with a lower
 * index (no cycles); each app uses 2-4 libraries; every library is used by at
 * least one project, so none of them looks like an app to the Node rules.
 */
function layout(count, rand) {
  const apps = Math.max(1, Math.round(count / 5));
  const libs = count - apps;
  const libDeps = Array.from({ length: libs }, (_, i) => (i === 0 ? [] : pickSome(rand, i, Math.floor(rand() * 3))));
  const appDeps = Array.from({ length: apps }, () => pickSome(rand, libs, 2 + Math.floor(rand() * 3)));
  const used = new Set([...libDeps.flat(), ...appDeps.flat()]);
  for (let lib = 0; lib < libs; lib++) {
    if (!used.has(lib)) appDeps[lib % apps].push(lib);
  }
  return { apps, libs, libDeps, appDeps: appDeps.map((d) => [...new Set(d)].sort((a, b) => a - b)) };
}

const goLib = (i) => `golib${pad(i)}`;
const goApp = (i) => `goapp${pad(i)}`;
const nodeLib = (i) => `nodelib${pad(i)}`;
const nodeApp = (i) => `nodeapp${pad(i)}`;

function goFiles(files, count, rand) {
  const { apps, libs, libDeps, appDeps } = layout(count, rand);
  const dirs = [];
  const importBlock = (deps, std) =>
    `import (\n${[...std.map((s) => `\t"${s}"`), ...deps.map((d) => `\t"${GO_MODULE_PREFIX}/libs/${goLib(d)}"`)].join('\n')}\n)\n`;
  for (let i = 0; i < libs; i++) {
    const dir = `go/libs/${goLib(i)}`;
    dirs.push(dir);
    const deps = libDeps[i];
    files[`${dir}/go.mod`] = `module ${GO_MODULE_PREFIX}/libs/${goLib(i)}\n\ngo 1.19\n`;
    files[`${dir}/project.json`] = JSON.stringify({ name: goLib(i) }) + '\n';
    files[`${dir}/${goLib(i)}.go`] =
      `package ${goLib(i)}\n\n${importBlock(deps, ['strings'])}\n` +
      `// Name returns this library's name and those of the libraries it uses.\n` +
      `func Name() string {\n\treturn strings.Join([]string{"${goLib(i)}"${deps.map((d) => `, ${goLib(d)}.Name()`).join('')}}, ",")\n}\n`;
    files[`${dir}/${goLib(i)}_test.go`] = `package ${goLib(i)}\n\nimport "testing"\n\nfunc TestName(t *testing.T) {\n\tif Name() == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n`;
  }
  for (let i = 0; i < apps; i++) {
    const dir = `go/apps/${goApp(i)}`;
    dirs.push(dir);
    files[`${dir}/go.mod`] = `module ${GO_MODULE_PREFIX}/apps/${goApp(i)}\n\ngo 1.19\n`;
    files[`${dir}/project.json`] = JSON.stringify({ name: goApp(i) }) + '\n';
    files[`${dir}/main.go`] = `package main\n\n${importBlock(appDeps[i], ['fmt'])}\nfunc main() {\n${appDeps[i].map((d) => `\tfmt.Println(${goLib(d)}.Name())`).join('\n')}\n}\n`;
    files[`${dir}/Dockerfile`] = `FROM golang:1.23-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n`;
  }
  files['go.work'] = `go 1.19\n\nuse (\n${dirs.map((d) => `\t./${d}`).join('\n')}\n)\n`;
}

function nodeFiles(files, count, rand) {
  const { apps, libs, libDeps, appDeps } = layout(count, rand);
  const workspaceDeps = (deps) => Object.fromEntries(deps.map((d) => [`@synth/${nodeLib(d)}`, '*']));
  for (let i = 0; i < libs; i++) {
    const dir = `node/libs/${nodeLib(i)}`;
    const deps = libDeps[i];
    files[`${dir}/package.json`] = JSON.stringify({ name: `@synth/${nodeLib(i)}`, version: '1.0.0', main: 'src/index.js', dependencies: workspaceDeps(deps) }, null, 2) + '\n';
    files[`${dir}/src/index.js`] =
      deps.map((d) => `const ${nodeLib(d)} = require('@synth/${nodeLib(d)}');`).join('\n') +
      `\nexports.name = () => ['${nodeLib(i)}'${deps.map((d) => `, ${nodeLib(d)}.name()`).join('')}].join(',');\n`;
  }
  for (let i = 0; i < apps; i++) {
    const dir = `node/apps/${nodeApp(i)}`;
    const deps = appDeps[i];
    // A few apps use a real registry package, so the lockfile has external packages too.
    const external = i % 10 === 0 ? { ms: '^2.1.3' } : {};
    files[`${dir}/package.json`] =
      JSON.stringify({ name: `@synth/${nodeApp(i)}`, version: '1.0.0', private: true, scripts: { start: 'node src/main.js' }, dependencies: { ...external, ...workspaceDeps(deps) } }, null, 2) + '\n';
    files[`${dir}/src/main.js`] = deps.map((d) => `console.log(require('@synth/${nodeLib(d)}').name());`).join('\n') + '\n';
    files[`${dir}/Dockerfile`] = `FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "src/main.js"]\n`;
  }
}

/** The files of a synthetic workspace of `count` projects (count/2 Go, count/2 Node). */
function syntheticFiles(count) {
  const rand = random(count);
  const files = {
    'package.json': JSON.stringify({ name: 'synth', private: true, workspaces: ['node/apps/*', 'node/libs/*'] }, null, 2) + '\n',
    '.gitignore': 'node_modules\ndist\n.nx\n',
  };
  goFiles(files, Math.floor(count / 2), rand);
  nodeFiles(files, count - Math.floor(count / 2), rand);
  return files;
}

module.exports = { syntheticFiles };

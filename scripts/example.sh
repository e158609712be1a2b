#!/usr/bin/env bash
# The main job on the bundled example (examples/shop: Go apps and Node apps in one
# workspace), on a fresh clone: installs what is missing, makes sure a Docker engine and
# the local base images exist, packs the plugin, copies the example to a workspace in a
# temporary folder, installs the example's npm workspace and, in .nx/installation, Nx and the
# plugin from the tarball, runs setup, builds every image with
# `nx run-many -t docker-build`, runs each image, and lists the images with their sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

bash scripts/ensure-deps.sh
docker_client="$(bash scripts/engine/up.sh | sed -n 's/^DOCKER=//p' | tail -n 1)"
bash scripts/engine/base-images.sh >/dev/null
node scripts/pack.js >/dev/null
tarball="$(ls "$repo"/dist/nx-docker-stages-*.tgz)"

# Nothing can be pulled on these machines: the example points at the local base images.
# Elsewhere, unset these to use the defaults (golang, distroless, node) or set your own mirrors.
go_image="${GO_IMAGE:-nx-docker-stages-test/go:1.23}"
go_runtime_image="${GO_RUNTIME_IMAGE:-nx-docker-stages-test/static:nonroot}"
node_image="${NODE_IMAGE:-nx-docker-stages-test/node:20}"
node_runtime_image="${NODE_RUNTIME_IMAGE:-nx-docker-stages-test/node-slim:20}"

# Outside the repository: inside it, Nx would find the repository's own linked plugin sources
# (node_modules/nx-docker-stages) before the tarball installed in the example.
work="${EXAMPLE_DIR:-${TMPDIR:-/tmp}/nx-docker-stages-example}"
rm -rf "$work"
mkdir -p "$work"
cp -R examples/shop/. "$work/"
cd "$work"
# Engines started with --iptables=false reach the npm registry only from the host network.
cat > nx.json <<'JSON'
{
  "$schema": "./.nx/installation/node_modules/nx/schemas/nx-schema.json",
  "targetDefaults": { "docker-build": { "options": { "network": "host" } } }
}
JSON
printf 'node_modules\ndist\n.nx\n' > .gitignore
mkdir -p .nx/installation
cat > .nx/installation/package.json <<JSON
{ "private": true, "dependencies": { "nx": "23.2.1", "@nx/devkit": "23.2.1", "nx-docker-stages": "file:$tarball" } }
JSON
(cd .nx/installation && npm install --no-audit --no-fund --loglevel=error)
npm ci --no-audit --no-fund --loglevel=error
git init -q -b main . && git add -A && git -c user.name=example -c user.email=example@example.invalid commit -qm example

export NX_DAEMON=false NX_NO_CLOUD=true
nx=.nx/installation/node_modules/.bin/nx
echo "== nx g nx-docker-stages:setup"
"$nx" g nx-docker-stages:setup --goImage="$go_image" --goRuntimeImage="$go_runtime_image" \
  --nodeImage="$node_image" --nodeRuntimeImage="$node_runtime_image"
echo "== nx run-many -t docker-build --parallel=3"
"$nx" run-many -t docker-build --parallel=3 --output-style=static
echo "== the images, run"
images=$(node -e '
  const { readdirSync, existsSync, readFileSync } = require("fs");
  const walk = (d) => readdirSync(d).flatMap((e) => existsSync(`${d}/${e}/metadata.json`) ? [JSON.parse(readFileSync(`${d}/${e}/metadata.json`)).tags[0]] : e.startsWith("@") ? walk(`${d}/${e}`) : []);
  console.log(walk("dist/docker").join("\n"));')
for image in $images; do
  printf '%-24s -> %s\n' "$image" "$("$docker_client" run --rm --network none "$image")"
done
echo "== the images and their sizes"
for image in $images; do "$docker_client" image ls --format '{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' "$image"; done
echo "(runtime base images: Go $("$docker_client" image ls --format '{{.Size}}' "$go_runtime_image"), Node $("$docker_client" image ls --format '{{.Size}}' "$node_runtime_image"))"
echo "Example workspace: $work"

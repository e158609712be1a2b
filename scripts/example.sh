#!/usr/bin/env bash
# The main job on the bundled example (examples/shop), on a fresh clone:
# installs what is missing, makes sure a Docker engine and the local base images
# exist, packs the plugin, copies the example to a temporary workspace, installs
# Nx and the plugin there from the tarball, runs setup, builds every image with
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
# Elsewhere, override these to use the defaults (golang, distroless) or your own mirrors.
go_image="${GO_IMAGE:-nx-docker-stages-test/go:1.19}"
go_runtime_image="${GO_RUNTIME_IMAGE:-nx-docker-stages-test/static:nonroot}"

work="${EXAMPLE_DIR:-$repo/tmp/example}"
rm -rf "$work"
mkdir -p "$work"
cp -R examples/shop/. "$work/"
cd "$work"
cat > package.json <<JSON
{ "name": "shop", "private": true,
  "devDependencies": { "nx": "23.2.1", "@nx/devkit": "23.2.1", "nx-docker-stages": "file:$tarball" } }
JSON
echo '{ "$schema": "./node_modules/nx/schemas/nx-schema.json" }' > nx.json
printf 'node_modules\ndist\n.nx\n' > .gitignore
git init -q -b main . && git add -A && git -c user.name=example -c user.email=example@example.invalid commit -qm example
npm install --no-audit --no-fund --loglevel=error

export NX_DAEMON=false NX_NO_CLOUD=true
echo "== nx g nx-docker-stages:setup"
npx nx g nx-docker-stages:setup --goImage="$go_image" --goRuntimeImage="$go_runtime_image"
echo "== nx run-many -t docker-build --parallel=3"
npx nx run-many -t docker-build --parallel=3 --output-style=static
echo "== the images, run"
apps=$(node -e 'const fs=require("fs");for(const d of fs.readdirSync("dist/docker"))console.log(d)')
for app in $apps; do
  printf '%-8s -> %s\n' "$app" "$("$docker_client" run --rm --network none "$app:latest")"
done
echo "== the images and their sizes"
for app in $apps; do "$docker_client" image ls --format '{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' "$app:latest"; done
echo "(runtime base image: $("$docker_client" image ls --format '{{.Size}}' "$go_runtime_image"))"
echo "Example workspace: $work"

#!/usr/bin/env bash
# Build the local base images the tests use, once per machine.
#
# Why: no container registry answers on our machines, so `FROM golang:1.23-bookworm` or
# `FROM gcr.io/distroless/static-debian12` cannot be pulled. We make look-alikes from a
# Debian root file system (debootstrap, from Debian's archive, which does answer) and
# `docker import` them under fixed names that the tests name in their Dockerfiles:
#
#   nx-docker-stages-test/go:1.23          Debian bookworm + golang-1.23-go (bookworm-backports, + tzdata) + gcc + host CA bundle
#   nx-docker-stages-test/static:nonroot   stand-in for distroless static:nonroot (no shell)
#   nx-docker-stages-test/base:nonroot     stand-in for distroless base:nonroot: static + glibc (cgo apps)
#   nx-docker-stages-test/node:20          Debian + the host's node and npm + host CA bundle
#   nx-docker-stages-test/node-slim:20     the same without npm (runtime image)
#
# Each image whose `docker image inspect` succeeds is skipped, so a second run takes
# about a second. The debootstrap root fs is cached under $CACHE_DIR and made once.
# Needs: root, a running engine (scripts/engine/up.sh), debootstrap (up.sh installs it).
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
export DOCKER_BUILDKIT=1
CACHE_DIR="${NX_DOCKER_STAGES_CACHE_DIR:-/var/cache/nx-docker-stages}"
SUITE=bookworm
MIRROR="${NX_DOCKER_STAGES_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ROOTFS="$CACHE_DIR/rootfs-$SUITE"              # pristine debootstrap output, never edited
ROOTFS_DONE="$CACHE_DIR/rootfs-$SUITE.complete" # beside it, so it is not imported
WORK_DIR="$CACHE_DIR/work"                     # per-image copies, removed after import

IMG_GO=nx-docker-stages-test/go:1.23
IMG_STATIC=nx-docker-stages-test/static:nonroot
IMG_BASE=nx-docker-stages-test/base:nonroot
IMG_NODE=nx-docker-stages-test/node:20
IMG_NODE_SLIM=nx-docker-stages-test/node-slim:20
# Where the images that fetch packages (go, node) hold the host's CA bundle: these machines reach the
# registries and the Go module proxy through a TLS-intercepting proxy that only that bundle trusts.
HOST_CA=/usr/local/share/ca-certificates/host-ca.crt

STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "[engine/base-images] $*" >&2; }
die() { echo "[engine/base-images] ERROR: $*" >&2; exit 1; }
have_image() {
  "$DOCKER" image inspect "$1" >/dev/null 2>&1 || return 1
  # The Go image of an older version of this script lacks the host's CA bundle, or gcc (cgo): made again.
  if [[ "$1" == "$IMG_GO" ]]; then
    local env
    env="$("$DOCKER" image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1")"
    grep -qx "SSL_CERT_FILE=$HOST_CA" <<<"$env" && grep -qx "CC=gcc" <<<"$env" || return 1
  fi
}

summary() {
  "$DOCKER" image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' 'nx-docker-stages-test/*'
}

"$DOCKER" info >/dev/null 2>&1 || die "$DOCKER does not answer 'docker info': run scripts/engine/up.sh first (or set DOCKER=...)"

# ---- fast path: everything is there already ------------------------------------------
missing=()
for img in "$IMG_GO" "$IMG_STATIC" "$IMG_BASE" "$IMG_NODE" "$IMG_NODE_SLIM"; do
  have_image "$img" || missing+=("$img")
done
if ((${#missing[@]} == 0)); then
  log "all base images present"
  summary
  exit 0
fi

[[ "$(id -u)" == 0 ]] || die "building ${missing[*]} needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing: run scripts/engine/up.sh (it installs it) or apt-get install debootstrap"

mkdir -p "$CACHE_DIR"
# One builder at a time per machine: parallel test workers would otherwise all run
# debootstrap into the same directory.
exec 9>"$CACHE_DIR/lock"
flock -w 1800 9 || die "timed out waiting for another base-images.sh ($CACHE_DIR/lock)"

cleanup() { rm -rf "$WORK_DIR"; }
trap cleanup EXIT

# Time a step and say how long it took.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "── $name"
  "$@"
  log "── $name: done in $((SECONDS - t0)) s"
}

# ---- the Debian root file system, made once ------------------------------------------
make_rootfs() {
  rm -rf "$ROOTFS.tmp"
  # tzdata rides along: the Go image and the static image both want /usr/share/zoneinfo,
  # and getting it here costs a few MB instead of a second apt run.
  debootstrap --variant=minbase --include=ca-certificates,tzdata "$SUITE" "$ROOTFS.tmp" "$MIRROR" \
    >"$CACHE_DIR/debootstrap.log" 2>&1 \
    || { tail -n 30 "$CACHE_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE_DIR/debootstrap.log)"; }

  # Point apt inside at the same Debian archive the host uses (bookworm-updates and
  # security too), and take over the host's Acquire:: settings (proxy, snapshot
  # Valid-Until), so `apt-get install` in a chroot or a Dockerfile RUN works like on
  # the host. Only Debian's own sources: others need keyrings the root fs lacks.
  local f copied=0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if ! { [[ -s "$f" ]] && grep -qE '^[^#]*(URIs:|deb ).*debian\.org' "$f"; }; then continue; fi
    mkdir -p "$ROOTFS.tmp/etc/apt/sources.list.d"
    cp "$f" "$ROOTFS.tmp/etc/apt/sources.list.d/host-$(basename "$f" | sed 's/^sources\.list$/debian.list/')"
    copied=1
  done
  if ((copied)); then rm -f "$ROOTFS.tmp/etc/apt/sources.list"; fi
  for f in /etc/apt/apt.conf.d/*; do
    # (not files that also hook commands into apt runs: those tools are not in the root fs)
    if [[ -f "$f" ]] && grep -q 'Acquire::' "$f" && ! grep -q 'Invoke' "$f"; then
      cp "$f" "$ROOTFS.tmp/etc/apt/apt.conf.d/"
    fi
  done

  # Keep the images small: no package lists or .debs in the base.
  rm -rf "$ROOTFS.tmp"/var/lib/apt/lists/* "$ROOTFS.tmp"/var/cache/apt/*.bin \
         "$ROOTFS.tmp"/var/cache/apt/archives/*.deb "$ROOTFS.tmp"/debootstrap
  rm -rf "$ROOTFS"
  mv "$ROOTFS.tmp" "$ROOTFS"
  date -u +%FT%TZ >"$ROOTFS_DONE"
}

# A fresh, writable copy of the root fs for one image (the cached one stays pristine).
new_workdir() {
  local dir="$WORK_DIR/$1"
  rm -rf "$dir"; mkdir -p "$WORK_DIR"
  cp -a "$ROOTFS" "$dir"
  echo "$dir"
}

# apt-get inside a chroot of DIR; leaves no lists, caches or resolv.conf behind.
chroot_apt_install() {
  local dir="$1"; shift
  cp /etc/resolv.conf "$dir/etc/resolv.conf"            # name resolution for apt
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d" # never start services
  chmod +x "$dir/usr/sbin/policy-rc.d"
  local env=(/usr/bin/env -i PATH="$STD_PATH" HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive)
  { chroot "$dir" "${env[@]}" apt-get update -q &&
    chroot "$dir" "${env[@]}" apt-get install -y -q --no-install-recommends "$@"; } \
    >"$CACHE_DIR/chroot-apt.log" 2>&1 \
    || { tail -n 30 "$CACHE_DIR/chroot-apt.log" >&2; die "apt-get install $* in the chroot failed (log: $CACHE_DIR/chroot-apt.log)"; }
  chroot "$dir" "${env[@]}" apt-get clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir/usr/sbin/policy-rc.d"
  : >"$dir/etc/resolv.conf"   # the engine mounts its own at run time
}

# Tar DIR into the engine as image NAME, with Dockerfile-like changes (-c ...).
import_dir() {
  local dir="$1" name="$2"; shift 2
  local changes=() c
  for c in "$@"; do changes+=(-c "$c"); done
  # --numeric-owner: uids in the image must be the numbers, not the host's names.
  # /dev, /proc, /sys are filled by the engine at run time; ship them empty.
  tar --numeric-owner -C "$dir" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . \
    | "$DOCKER" import "${changes[@]}" - "$name" >/dev/null
}

# The host's CA bundle: the file NODE_EXTRA_CA_CERTS or SSL_CERT_FILE names, else Debian's.
host_ca_file() {
  local ca_file="${NODE_EXTRA_CA_CERTS:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"
  [[ -s "$ca_file" ]] || die "CA bundle $ca_file not found (set NODE_EXTRA_CA_CERTS or SSL_CERT_FILE)"
  echo "$ca_file"
}

# ---- nx-docker-stages-test/go:1.23 -----------------------------------------------------
# Bookworm itself has Go 1.19 only; Go 1.23 (as in the plugin's default golang:1.23-bookworm)
# comes from bookworm-backports. The backports source goes into this image's copy of the
# root fs only; apt takes golang-1.23-go from it since no other suite has that package.
build_go() {
  local dir
  dir="$(new_workdir go)"
  printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "$SUITE" >"$dir/etc/apt/sources.list.d/debian-backports.sources"
  # gcc and the C library's headers, as in the official golang:*-bookworm images: apps built with cgo need them.
  chroot_apt_install "$dir" golang-1.23-go gcc libc6-dev
  # Like the official golang image: a world-writable GOPATH so any USER can build.
  mkdir -p "$dir/go/src" "$dir/go/bin"
  chmod -R 1777 "$dir/go"
  # `go mod download` reaches the Go module proxy through the TLS-intercepting proxy, as npm does:
  # the host's bundle, named by SSL_CERT_FILE (which Go reads), as a CI runner's base image would.
  install -D -m 0644 "$(host_ca_file)" "$dir$HOST_CA"
  import_dir "$dir" "$IMG_GO" \
    "ENV PATH=/usr/lib/go-1.23/bin:$STD_PATH" 'ENV GOPATH=/go' "ENV SSL_CERT_FILE=$HOST_CA" 'ENV CC=gcc' 'WORKDIR /' 'CMD ["bash"]'
  rm -rf "$dir"
  "$DOCKER" run --rm --network none "$IMG_GO" go version >&2
}

# ---- nx-docker-stages-test/static:nonroot ----------------------------------------------
# What gcr.io/distroless/static-debian12:nonroot holds that programs notice: CA
# certificates, time zones, passwd/group entries, nsswitch.conf, a /tmp, the nonroot
# user's home. No shell and no package manager, on purpose: tests must not rely on them.
build_static() {
  local dir="$WORK_DIR/static"
  fill_static_dir "$dir"
  import_dir "$dir" "$IMG_STATIC" \
    "ENV PATH=$STD_PATH" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    'USER 65532:65532' 'WORKDIR /home/nonroot'
  rm -rf "$dir"
}

# ---- nx-docker-stages-test/base:nonroot ------------------------------------------------
# What gcr.io/distroless/base-debian12:nonroot adds to static: the C library (Debian's libc6, the
# same release as the Go image's, so what cgo binaries link is there). Still no shell.
build_base() {
  local dir="$WORK_DIR/base" list path
  fill_static_dir "$dir"
  # Debian's root fs merges /usr: libc6's file list names /lib/..., which lives in usr/lib/... here.
  ln -s usr/lib "$dir/lib"
  ln -s usr/lib64 "$dir/lib64"
  mkdir -p "$dir/usr/lib" "$dir/usr/lib64"
  list="$(ls "$ROOTFS"/var/lib/dpkg/info/libc6:*.list | head -n 1)"
  [[ -s "$list" ]] || die "no libc6 file list in $ROOTFS/var/lib/dpkg/info"
  while IFS= read -r path; do
    path="${path#/}"
    case "$path" in lib/*|lib64/*) path="usr/$path" ;; esac
    case "$path" in usr/share/*|etc/*) continue ;; esac
    if [[ -f "$ROOTFS/$path" || -L "$ROOTFS/$path" ]] && [[ ! -d "$ROOTFS/$path" ]]; then echo "$path"; fi
  done <"$list" >"$WORK_DIR/base-files"
  [[ -f "$ROOTFS/etc/ld.so.cache" ]] && echo etc/ld.so.cache >>"$WORK_DIR/base-files"
  tar -C "$ROOTFS" -c --files-from="$WORK_DIR/base-files" | tar -C "$dir" -x
  import_dir "$dir" "$IMG_BASE" \
    "ENV PATH=$STD_PATH" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    'USER 65532:65532' 'WORKDIR /home/nonroot'
  rm -rf "$dir" "$WORK_DIR/base-files"
}

# The files of the static image in DIR (made afresh).
fill_static_dir() {
  local dir="$1"
  rm -rf "$dir"
  mkdir -p "$dir"/etc/ssl/certs "$dir"/usr/share "$dir"/tmp "$dir"/root "$dir"/home/nonroot \
           "$dir"/dev "$dir"/proc "$dir"/sys
  cp "$ROOTFS/etc/ssl/certs/ca-certificates.crt" "$dir/etc/ssl/certs/"
  cp -a "$ROOTFS/usr/share/zoneinfo" "$dir/usr/share/"
  cp "$ROOTFS/usr/lib/os-release" "$dir/etc/os-release"
  cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$dir/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
  cat >"$dir/etc/nsswitch.conf" <<'EOF'
passwd:         files
group:          files
shadow:         files
hosts:          files dns
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
EOF
  chmod 1777 "$dir/tmp"
  chmod 700 "$dir/root"
  chown 65532:65532 "$dir/home/nonroot"
  chmod 700 "$dir/home/nonroot"
}

# ---- nx-docker-stages-test/node-slim:20 and node:20 ------------------------------------
# The host's own node works in the root fs (same Debian, same glibc), so we copy it in
# rather than download a Node build (nothing but npm/Debian registries answer).
build_node_images() {
  local node_bin npm_cli npm_dir ca_file registry dir
  node_bin="$(readlink -f "$(command -v node)")" || die "no node on the host PATH"
  ca_file="$(host_ca_file)"

  dir="$(new_workdir node)"
  install -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  # npm in containers reaches the registry through a TLS-intercepting proxy: without the
  # host's bundle it fails with SELF_SIGNED_CERT_IN_CHAIN after a minute of retries.
  install -D -m 0644 "$ca_file" "$dir$HOST_CA"
  # A `node` user with uid/gid 1000, as in the official node images.
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$dir/etc/passwd"
  echo 'node:x:1000:' >>"$dir/etc/group"
  echo 'node:*:19000:0:99999:7:::' >>"$dir/etc/shadow"
  install -d -o 1000 -g 1000 -m 0755 "$dir/home/node"

  local changes=("ENV PATH=$STD_PATH"
                 "ENV NODE_EXTRA_CA_CERTS=$HOST_CA"
                 'WORKDIR /' 'CMD ["node"]')

  if ! have_image "$IMG_NODE_SLIM"; then
    import_dir "$dir" "$IMG_NODE_SLIM" "${changes[@]}"
    [[ "$("$DOCKER" run --rm --network none "$IMG_NODE_SLIM" node -e 'console.log(1)')" == 1 ]] \
      || die "$IMG_NODE_SLIM: node does not run"
  fi

  if ! have_image "$IMG_NODE"; then
    # npm's own directory, found from the npm command (e.g. /usr/lib/node_modules/npm).
    npm_cli="$(readlink -f "$(command -v npm)")" || die "no npm on the host PATH"
    npm_dir="$(dirname "$(dirname "$npm_cli")")"
    [[ -f "$npm_dir/bin/npm-cli.js" ]] || die "cannot find npm's directory (from $npm_cli)"
    mkdir -p "$dir/usr/local/lib/node_modules"
    cp -a "$npm_dir" "$dir/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
    # The registry the host's npm uses (a mirror, if any), so npm in builds uses it too.
    registry="$(npm config get registry 2>/dev/null || true)"
    if [[ -n "$registry" && "$registry" != undefined ]]; then
      changes+=("ENV NPM_CONFIG_REGISTRY=$registry")
    fi
    # No "new npm available" notices in build logs (and no look-up for them).
    changes+=('ENV NPM_CONFIG_UPDATE_NOTIFIER=false')
    import_dir "$dir" "$IMG_NODE" "${changes[@]}"
    [[ "$("$DOCKER" run --rm --network none "$IMG_NODE" node -e 'console.log(1)')" == 1 ]] \
      || die "$IMG_NODE: node does not run"
    "$DOCKER" run --rm --network none "$IMG_NODE" npm --version >/dev/null \
      || die "$IMG_NODE: npm does not run"
  fi
  rm -rf "$dir"
}

# ---- main -------------------------------------------------------------------------------
log "missing: ${missing[*]}"
if [[ ! -f "$ROOTFS_DONE" || ! -d "$ROOTFS" ]]; then
  step "debootstrap $SUITE root fs (cached in $ROOTFS)" make_rootfs
fi
have_image "$IMG_GO" || step "$IMG_GO" build_go
have_image "$IMG_STATIC" || step "$IMG_STATIC" build_static
have_image "$IMG_BASE" || step "$IMG_BASE" build_base
{ have_image "$IMG_NODE" && have_image "$IMG_NODE_SLIM"; } || step "$IMG_NODE_SLIM + $IMG_NODE" build_node_images
summary

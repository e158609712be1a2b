#!/usr/bin/env bash
# Installs Debian's Go 1.23 toolchain (golang-1.23-go, from bookworm-backports: bookworm
# itself has Go 1.19 only) for what needs Go on the machine: the @nx-go/nx-go
# compatibility suite (@nx-go/nx-go runs `go list`) and the benchmark's size floor.
# nx-docker-stages itself never needs Go on the machine. It goes to /usr/lib/go-1.23/bin
# and is NOT put on the PATH, so every other suite still proves the plugin works without it.
# The same Go as in the test image nx-docker-stages-test/go:1.23 (scripts/engine/base-images.sh).
# Prints the toolchain's bin folder.
set -euo pipefail
GO_BIN=/usr/lib/go-1.23/bin
MIRROR="${NX_DOCKER_STAGES_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BACKPORTS_SOURCE=/etc/apt/sources.list.d/debian-backports.sources
if [[ ! -x "$GO_BIN/go" ]]; then
  [[ "$(id -u)" == 0 ]] || { echo "ensure-go-toolchain: $GO_BIN/go missing and installing it needs root" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  # Backports are pinned below the release (priority 100): adding the source changes no
  # installed package, and -t takes only golang-1.23-go and what it needs from there.
  if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" >"$BACKPORTS_SOURCE"
  fi
  install_go() { apt-get install -y -q --no-install-recommends -t bookworm-backports golang-1.23-go >/dev/null; }
  install_go 2>/dev/null || { apt-get update -q >/dev/null 2>&1 && install_go; } \
    || { echo "ensure-go-toolchain: apt-get install -t bookworm-backports golang-1.23-go failed" >&2; exit 1; }
fi
echo "$GO_BIN"

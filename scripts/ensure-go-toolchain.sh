#!/usr/bin/env bash
# Installs Debian's Go 1.19 toolchain for the one e2e suite that needs it: the
# @nx-go/nx-go compatibility check (@nx-go/nx-go runs `go list`; nx-docker-stages
# itself never needs Go on the machine). It goes to /usr/lib/go-1.19/bin and is
# NOT put on the PATH, so every other suite still proves the plugin works without it.
# Prints the toolchain's bin folder.
set -euo pipefail
GO_BIN=/usr/lib/go-1.19/bin
if [[ ! -x "$GO_BIN/go" ]]; then
  [[ "$(id -u)" == 0 ]] || { echo "ensure-go-toolchain: $GO_BIN/go missing and installing it needs root" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends golang-1.19-go >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends golang-1.19-go >/dev/null; }
fi
echo "$GO_BIN"

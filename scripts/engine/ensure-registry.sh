#!/usr/bin/env bash
# Installs Debian's docker-registry (Distribution 2.8) when it is missing, for the
# e2e suites that push images. The suites start it themselves on a loopback port
# with their own config (the packaged config listens on every address) and stop it.
set -euo pipefail
if ! command -v docker-registry >/dev/null; then
  [[ "$(id -u)" == 0 ]] || { echo "ensure-registry: docker-registry missing and installing it needs root" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q docker-registry >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q docker-registry >/dev/null; }
fi
command -v docker-registry

#!/usr/bin/env bash
# Stop the dockerd that scripts/engine/up.sh started, and nothing else.
#
# Why the marker: an engine that was already running (a developer's own Docker, or one
# another session started) must survive our test runs; up.sh leaves a marker and a pid
# file only when it started dockerd itself. Without them this script does nothing.
set -euo pipefail

STATE_DIR="${NX_DOCKER_STAGES_ENGINE_DIR:-/tmp/nx-docker-stages-engine}"
PID_FILE="$STATE_DIR/dockerd.pid"
MARKER="$STATE_DIR/started-by-up"
WAIT_SECONDS="${NX_DOCKER_STAGES_ENGINE_STOP_WAIT:-30}"

log() { echo "[engine/down] $*" >&2; }

if [[ ! -f "$MARKER" ]]; then
  log "no engine started by up.sh; nothing to stop"
  exit 0
fi

pid="$(cat "$PID_FILE" 2>/dev/null || true)"
# Only signal the pid if it still is a dockerd: a stale pid file could name a reused pid.
if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]; then
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  # dockerd stops its containers and its managed containerd on SIGTERM; give it time,
  # then insist, so the next up.sh does not find a half-dead daemon.
  deadline=$((SECONDS + WAIT_SECONDS))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "dockerd did not exit within ${WAIT_SECONDS}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  log "dockerd stopped"
else
  log "dockerd from up.sh is no longer running"
fi
rm -f "$MARKER" "$PID_FILE"

#!/usr/bin/env bash
# Make sure a Docker engine with BuildKit answers, and print which client to use.
#
#   bash scripts/engine/up.sh        -> last line of stdout: DOCKER=/usr/bin/docker
#
# Why this exists: the `docker` first on the PATH of our machines is a bare Docker 28
# client with no daemon and no buildx, and it refuses BuildKit without buildx. Debian's
# docker.io package (20.10) brings a daemon plus a client with BuildKit built in, so we
# install it when nothing answers and start its daemon ourselves (there is no systemd).
#
# Idempotent: when an engine already answers, it only prints the client and exits (<2 s).
# What it starts is recorded in $STATE_DIR so that down.sh stops only that.
set -euo pipefail

STATE_DIR="${NX_DOCKER_STAGES_ENGINE_DIR:-/tmp/nx-docker-stages-engine}"
DEBIAN_DOCKER=/usr/bin/docker            # Debian's client: BuildKit without buildx
LOG_FILE="$STATE_DIR/dockerd.log"
PID_FILE="$STATE_DIR/dockerd.pid"        # written by dockerd itself (--pidfile)
MARKER="$STATE_DIR/started-by-up"        # exists only while a dockerd we started may run
WAIT_SECONDS="${NX_DOCKER_STAGES_ENGINE_WAIT:-60}"

log() { echo "[engine/up] $*" >&2; }
die() { echo "[engine/up] ERROR: $*" >&2; exit 1; }

# `docker info` against a dead socket can hang on some setups; bound it.
answers() { timeout 10 "$1" info >/dev/null 2>&1; }

# The client to report: Debian's one when it answers (it does BuildKit without buildx),
# else whatever `docker` on the PATH has a working daemon behind it (e.g. a developer's
# Docker Desktop with buildx). Prints nothing and fails when neither answers.
find_working_client() {
  if [[ -x "$DEBIAN_DOCKER" ]] && answers "$DEBIAN_DOCKER"; then
    echo "$DEBIAN_DOCKER"; return 0
  fi
  local path_docker
  path_docker="$(command -v docker || true)"
  if [[ -n "$path_docker" && "$path_docker" != "$DEBIAN_DOCKER" ]] && answers "$path_docker"; then
    echo "$path_docker"; return 0
  fi
  return 1
}

# ---- fast path: something already answers --------------------------------------------
if client="$(find_working_client)"; then
  echo "DOCKER=$client"
  exit 0
fi

# ---- slow path: install and start Debian's engine -------------------------------------
[[ "$(id -u)" == 0 ]] || die "no Docker engine answers 'docker info', and starting one needs root (run as root, or start Docker yourself)."
[[ -f /etc/debian_version ]] && command -v apt-get >/dev/null \
  || die "no Docker engine answers 'docker info', and this is not a Debian machine with apt-get: start a Docker engine (with BuildKit) yourself."

mkdir -p "$STATE_DIR"
# Serialise concurrent callers (parallel test workers, several shells): only one of them
# installs and starts dockerd, the others wait here and then find it answering.
exec 9>"$STATE_DIR/lock"
flock -w 600 9 || die "timed out waiting for another up.sh holding $STATE_DIR/lock"

# Someone may have brought the engine up while we waited for the lock.
if client="$(find_working_client)"; then
  echo "DOCKER=$client"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
need_pkgs=()
{ [[ -x "$DEBIAN_DOCKER" ]] && command -v dockerd >/dev/null; } || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)   # base-images.sh needs it
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]} from Debian's archive"
  # Try with the package lists we have first; `apt-get update` only when that fails
  # (missing or stale lists), since the update costs time and network.
  if ! apt-get install -y -q "${need_pkgs[@]}" >"$STATE_DIR/apt.log" 2>&1; then
    log "install failed with current lists; running apt-get update and retrying"
    apt-get update -q >>"$STATE_DIR/apt.log" 2>&1 || { tail -n 20 "$STATE_DIR/apt.log" >&2; die "apt-get update failed (log: $STATE_DIR/apt.log)"; }
    apt-get install -y -q "${need_pkgs[@]}" >>"$STATE_DIR/apt.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/apt.log" >&2; die "apt-get install ${need_pkgs[*]} failed (log: $STATE_DIR/apt.log)"; }
  fi
fi
command -v dockerd >/dev/null || die "dockerd is still missing after installing docker.io"

# A previous dockerd of ours that died leaves its pid file and marker behind: tidy them,
# but never start a second daemon while one of ours is still alive (it may be booting).
our_pid=""
if [[ -f "$PID_FILE" ]]; then
  our_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [[ -z "$our_pid" ]] || ! kill -0 "$our_pid" 2>/dev/null; then
    rm -f "$PID_FILE" "$MARKER"; our_pid=""
  fi
fi

if [[ -z "$our_pid" ]]; then
  log "starting dockerd --iptables=false (log: $LOG_FILE)"
  # --iptables=false: this machine has no usable iptables/NAT; builds that need the
  #   network use --network host instead.
  # setsid + nohup: the daemon must outlive this script and the shell job that ran it.
  echo "started $(date -u +%FT%TZ) by up.sh" >"$MARKER"
  setsid nohup dockerd --iptables=false --pidfile "$PID_FILE" \
    </dev/null >>"$LOG_FILE" 2>&1 &
  launcher_pid=$!
fi

# Bounded wait until Debian's client answers.
deadline=$((SECONDS + WAIT_SECONDS))
until answers "$DEBIAN_DOCKER"; do
  if [[ -n "${launcher_pid:-}" ]] && ! kill -0 "$launcher_pid" 2>/dev/null && [[ ! -f "$PID_FILE" ]]; then
    rm -f "$MARKER"
    tail -n 30 "$LOG_FILE" >&2 || true
    die "dockerd exited during start-up (log: $LOG_FILE)"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 30 "$LOG_FILE" >&2 || true
    die "dockerd did not answer within ${WAIT_SECONDS}s (log: $LOG_FILE); stop it with scripts/engine/down.sh"
  fi
  sleep 0.5
done
log "engine is up (dockerd pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
# Tells the caller that this very run started the engine, so that it (and only it) stops it again.
[[ -n "${launcher_pid:-}" ]] && echo "STARTED=1"
echo "DOCKER=$DEBIAN_DOCKER"

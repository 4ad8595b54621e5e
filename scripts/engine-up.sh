#!/usr/bin/env bash
# Make sure a Docker engine answers. If one is already reachable (Docker Desktop,
# a CI runner, an engine started earlier), use it and change nothing. Otherwise,
# on a Debian-like machine as root, install Debian's docker.io and start dockerd.
set -euo pipefail

log_dir=${LABCHECK_ENGINE_LOG_DIR:-/var/log/labcheck}
pid_file=/var/run/docker.pid
log_file=$log_dir/dockerd.log

engine_answers() {
  timeout 10 docker info >/dev/null 2>&1
}

say() { printf 'engine-up: %s\n' "$*" >&2; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "a Docker engine already answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)); using it as it is"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  say "no Docker engine answers and this user is not root."
  say "Start your engine (Docker Desktop, or 'sudo systemctl start docker') and run this again."
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no Docker engine answers and this machine has no apt-get to install one."
    say "Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again."
    exit 1
  fi
  say "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

mkdir -p "$log_dir" /etc/docker
# Debian's engine reads /etc/docker/daemon.json; the kit adds its registry mirror there later.
[ -f /etc/docker/daemon.json ] || echo '{}' > /etc/docker/daemon.json

if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  say "dockerd (pid $(cat "$pid_file")) is running but does not answer yet; waiting"
else
  rm -f "$pid_file"
  say "starting dockerd (log: $log_file)"
  # setsid: the engine must outlive the shell (and the CI step) that started it. Every inherited
  # descriptor above 2 is closed first: started under `flock LOCK ...`, the engine would otherwise
  # hold that lock for as long as it runs, and every later `flock LOCK` would wait forever.
  setsid bash -c 'for fd in /proc/self/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null
    exec dockerd --pidfile "$1"' close-fds "$pid_file" >>"$log_file" 2>&1 < /dev/null &
fi

# Prefer Debian's CLI here: it matches the engine it came with.
for _ in $(seq 1 60); do
  if engine_answers; then
    say "engine ready: $(docker info --format '{{.ServerVersion}} ({{.OperatingSystem}})' 2>/dev/null)"
    exit 0
  fi
  sleep 0.5
done
say "dockerd did not answer within 30 s. Its last log lines:"
tail -n 20 "$log_file" >&2 || true
exit 1

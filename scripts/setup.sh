#!/usr/bin/env bash
# Everything labcheck needs on a bare Debian-like machine: Debian packages, a running
# Docker engine, the project's virtualenv. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  docker.io docker-registry debootstrap busybox-static git iproute2 procps
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra
  poppler-utils sudo chromium
)
python=$(scripts/python.sh)
# Debian keeps venv's pip bootstrap (ensurepip) in a package of its own.
if [ "$python" = /usr/bin/python3.11 ] && ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
  packages+=(python3.11-venv)
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

scripts/engine-up.sh

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python" >&2
  "$python" -m venv .venv
fi
if ! .venv/bin/python -c 'import labcheck, docker, weasyprint, pytest_html' >/dev/null 2>&1 \
   || [ pyproject.toml -nt .venv/.labcheck-installed ]; then
  echo "setup: installing labcheck into .venv" >&2
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e '.[dev]'
  touch .venv/.labcheck-installed
fi

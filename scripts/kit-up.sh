#!/usr/bin/env bash
# Bring up the offline classroom kit: make sure an engine answers, then `labcheck kit up`.
# Extra arguments go to `labcheck kit up` (e.g. --nodes node1,node2,node3 or --online).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/engine-up.sh
exec .venv/bin/labcheck kit up "$@"

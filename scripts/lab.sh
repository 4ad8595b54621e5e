#!/usr/bin/env bash
# The main job: from a bare machine, set everything up, bring the offline kit up and run
# every bundled lab. Ends with the path of each lab's PDF report, one line per lab.
# Extra arguments go to `labcheck run` (e.g. --student-name "Ana Pérez" --group 2B).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/labcheck kit up >&2
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
status=0
.venv/bin/labcheck run "$@" || status=$?
for pdf in reports/*/informe.pdf; do
  if [ -f "$pdf" ] && [ "$pdf" -nt "$marker" ]; then echo "PDF: $(realpath "$pdf")"; fi
done
exit $status

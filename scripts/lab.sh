#!/usr/bin/env bash
# The main job: from a bare machine, set everything up, bring the offline kit up and run
# the bundled lab. Ends with the paths of the evidence and the PDF report.
# Extra arguments go to `labcheck run` (e.g. --student-name "Ana Pérez" --group 2B).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/labcheck kit up >&2
status=0
.venv/bin/labcheck run "$@" || status=$?
pdf=$(ls -t reports/*/informe.pdf 2>/dev/null | head -n 1 || true)
[ -n "$pdf" ] && echo "PDF: $(realpath "$pdf")"
exit $status

#!/usr/bin/env bash
# The project's tests, from a bare machine: set-up, the offline kit, then the whole suite
# (unit tests, plugin tests through pytester, and tests against the real engine), lint and types.
# Extra arguments go to pytest (e.g. -m "not docker" for the tests that need no engine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/labcheck kit up >&2
.venv/bin/python -m pytest "$@"
.venv/bin/ruff check labcheck tests bench
.venv/bin/mypy

#!/usr/bin/env bash
# The project's tests, from a bare machine: set-up, the offline kit, then the whole suite
# (unit tests, plugin tests through pytester, and tests against the real engine), the same tests
# that need no engine on the dependency floors (scripts/floors.sh), lint and types.
# Extra arguments go to pytest (e.g. -m "not docker" for the tests that need no engine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/labcheck kit up >&2
.venv/bin/python -m pytest "$@"
scripts/floors.sh  # the oldest declared dependency versions, in a fresh venv: the tests that need no engine
.venv/bin/ruff check labcheck tests bench conftest.py
.venv/bin/ruff format --check labcheck tests bench conftest.py
.venv/bin/mypy

#!/usr/bin/env bash
# Dependency floors are the truth: in a fresh virtualenv, install every lower bound declared in
# pyproject.toml exactly (scripts/floors.py makes the constraints), then run the tests that need
# no engine there. A floor the code does not really work with fails here.
# Extra arguments go to pytest. FLOORS_VENV names the virtualenv (default: a fresh temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/python.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv=${FLOORS_VENV:-$work/venv}
rm -rf "$venv"
"$python" -m venv "$venv"
"$python" scripts/floors.py > "$work/floors.txt"
echo "floors: installing $(tr '\n' ' ' < "$work/floors.txt")" >&2
"$venv/bin/pip" install -q --upgrade pip >/dev/null
"$venv/bin/pip" install -q -c "$work/floors.txt" -e '.[test]'
# Prove the pins took: every floor is the version installed.
"$venv/bin/python" - "$work/floors.txt" <<'PY'
import sys
from importlib.metadata import version

from packaging.version import Version

for line in open(sys.argv[1]).read().split():
    name, floor = line.split("==")
    if Version(version(name)) != Version(floor):
        raise SystemExit(f"floors: {name} {version(name)} installed, floor is {floor}")
PY
"$venv/bin/python" -m pytest -m "not docker" -q -p no:cacheprovider "$@"

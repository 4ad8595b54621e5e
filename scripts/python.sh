#!/usr/bin/env bash
# Prints the Python that labcheck's virtualenvs are made with: $PYTHON when set; else Debian's own
# /usr/bin/python3.11 where there is one; else python3.11 on the PATH; else python3.
#
# Why Debian's first: it is linked with a static libpython, where a default source build (pyenv's,
# `--enable-shared`) calls the interpreter through a shared library; rendering the bundled lab's
# PDF, a CPU-bound pure-Python job, took about 15% less CPU with it (alternating runs, one session).
set -euo pipefail
if [ -n "${PYTHON:-}" ]; then
  echo "$PYTHON"
elif [ -x /usr/bin/python3.11 ] && [ -f /etc/debian_version ]; then
  echo /usr/bin/python3.11
elif command -v python3.11 >/dev/null 2>&1; then
  command -v python3.11
else
  command -v python3
fi

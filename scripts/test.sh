#!/usr/bin/env bash
# Run the whole test suite, installing what it needs first: the virtualenv with the test
# extras, the pinned npm packages (lunr.js, axe-core, the Nu validator), Debian's chromium and a
# Java runtime for the validator.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
. scripts/venv.sh
make_venv .venv
# compat: the install is a line in a .pth file naming this folder; the default, an import hook,
# costs every start of the program 20 ms (measured: 30 -> 10 ms to import the package)
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]" --config-settings editable_mode=compat
npm ci --silent --no-audit --no-fund
.venv/bin/ruff check generator tests bench
.venv/bin/python -m pytest -q "$@"

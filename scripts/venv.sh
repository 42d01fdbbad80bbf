# Sourced by scripts/build.sh, scripts/test.sh and bench/run.sh. make_venv FOLDER makes a virtualenv
# in FOLDER unless there is one. It prefers Debian's own Python 3.11, built with profile-guided and
# link-time optimisation, to the first python3 on the PATH (on this machine pyenv's 3.11, built
# without them): with it the same full build of 2,000 answers took 5-18% less time and 9-18% less
# CPU in four runs side by side, an edit 3-16% less (bench/RESULTS.md). The site is byte for byte
# the same with either. A virtualenv made earlier is kept: remove it to have it made again.
make_venv() {
  [ -x "$1/bin/python" ] && return 0
  local py
  for py in /usr/bin/python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -m venv "$1" >/dev/null 2>&1; then
      return 0
    fi
    rm -rf "$1"
  done
  echo "error: found no Python 3 that can make a virtualenv (on Debian: apt-get install python3-venv)" >&2
  return 1
}

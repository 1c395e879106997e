#!/usr/bin/env bash
# Set up everything on a fresh machine: a virtualenv with the project and its
# test tools in .venv, and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
    fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
install() {
    if ! .venv/bin/python -m pip install -q "$@" >.venv/pip.log 2>&1; then
        cat .venv/pip.log >&2
        echo "setup: pip install $* failed (see above)" >&2
        exit 1
    fi
}
install --upgrade pip
install -e ".[test]"
.venv/bin/wijkboekhouding --help >/dev/null

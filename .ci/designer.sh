#!/usr/bin/env bash
# The designer's browser tests drive Debian's Chromium with playwright-core (which downloads no
# browser): install it once per CI run when it is missing.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version

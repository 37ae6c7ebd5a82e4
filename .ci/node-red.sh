#!/usr/bin/env bash
# What the Node-RED tests of packages/node-red-contrib-lambda-stream need beyond `npm ci`, once per CI
# run, in .cache/ (git-ignored): Node-RED 4 in .cache/node-red-4 (the runtime tests on both lanes, the
# end-to-end and editor tests on the Node 20 lane) and Node-RED 5 in .cache/node-red-5 (it needs
# Node >= 22.9: the end-to-end and editor tests on the Node 24 lane); and Debian's chromium.
# Node-RED is not a dev dependency of the workspace because it depends on npm@10, which npm would hoist
# into node_modules/.bin/npm, shadowing the machine's npm in every npm script (and npm 10's `pack` runs
# `prepare` even with --ignore-scripts, which breaks the packaging test).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== install chromium (Debian)"
  flock /tmp/apt.lock sh -c 'apt-get update -qq && apt-get install -y -qq chromium >/dev/null'
fi

install_node_red() { # MAJOR VERSION
  local dir=".cache/node-red-$1" version="$2" installed
  installed="$(node -p "try { require('./$dir/node_modules/node-red/package.json').version } catch { '' }")"
  if [ "$installed" = "$version" ]; then
    echo "== node-red $version already in $dir"
    return
  fi
  echo "== install node-red $version into $dir"
  mkdir -p "$dir"
  printf '{ "name": "node-red-%s-host", "private": true }\n' "$1" >"$dir/package.json"
  # --ignore-scripts and no optional packages: Node-RED's only one with an install script is the
  # native bcrypt, which would fetch a prebuilt binary from outside the npm registry; Node-RED uses
  # bcryptjs when it is absent.
  npm install --prefix "$dir" --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error "node-red@$version"
}

install_node_red 4 4.1.15
install_node_red 5 5.0.7

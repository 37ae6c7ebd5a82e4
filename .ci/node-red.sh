#!/usr/bin/env bash
# What the Node-RED tests of packages/node-red-contrib-lambda-stream need beyond `npm ci`, once per CI
# run: Node-RED 5 (it needs Node >= 22.9, so the Node 24 lane's end-to-end and editor tests run on it;
# the Node 20 lane uses the workspace's node-red@4 dev dependency) in .cache/node-red-5 (git-ignored),
# and Debian's chromium for the editor test.
set -euo pipefail
cd "$(dirname "$0")/.."

version=5.0.7
dir=.cache/node-red-5

if ! command -v chromium >/dev/null 2>&1; then
  echo "== install chromium (Debian)"
  flock /tmp/apt.lock sh -c 'apt-get update -qq && apt-get install -y -qq chromium >/dev/null'
fi

installed="$(node -p "try { require('./$dir/node_modules/node-red/package.json').version } catch { '' }")"
if [ "$installed" = "$version" ]; then
  echo "== node-red $version already in $dir"
  exit 0
fi
echo "== install node-red $version into $dir"
mkdir -p "$dir"
printf '{ "name": "node-red-5-host", "private": true }\n' >"$dir/package.json"
# --ignore-scripts and no optional packages: Node-RED's only one with an install script is the native
# bcrypt, which would fetch a prebuilt binary from outside the npm registry; Node-RED uses bcryptjs
# when it is absent. Installed with this lane's npm; it runs under the Node 24 lane's node.
npm install --prefix "$dir" --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error "node-red@$version"
node -p "'node-red ' + require('./$dir/node_modules/node-red/package.json').version + ' installed'"

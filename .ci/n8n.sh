#!/usr/bin/env bash
# Installs the pinned n8n that the n8n end-to-end test (packages/n8n-nodes-lambda-stream/test/e2e)
# runs, once per CI run, into .cache/n8n (git-ignored). Needs Node >= 24 on PATH: n8n 2.x does not
# install or run on Node 20. About 8 minutes and 3 GB on a cold npm cache.
set -euo pipefail
cd "$(dirname "$0")/.."

version=2.41.1
dir=.cache/n8n

installed="$(node -p "try { require('./$dir/node_modules/n8n/package.json').version } catch { '' }")"
if [ "$installed" = "$version" ]; then
  echo "== n8n $version already in $dir"
  exit 0
fi

echo "== install n8n $version into $dir (Node $(node --version))"
mkdir -p "$dir"
printf '{ "name": "n8n-e2e-host", "private": true }\n' >"$dir/package.json"
# --ignore-scripts: n8n's install scripts fetch binaries from outside the npm registry. The one
# native module the CLI needs to start (sqlite3, its database) is rebuilt from source instead.
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --no-save --loglevel=error "n8n@$version"
npm rebuild --prefix "$dir" sqlite3 --loglevel=error
node -p "'n8n ' + require('./$dir/node_modules/n8n/package.json').version + ' installed'"

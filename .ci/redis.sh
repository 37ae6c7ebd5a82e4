#!/usr/bin/env bash
# The BullMQ host's tests need Debian's redis-server binary. They start their own server (loopback,
# a free port, a temporary data directory, nothing persisted: test/support/redis-server.ts) and stop
# it, so this script only installs the package when it is missing; no server is left running.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # The package's own service is not what the tests use: stop it if the install started one.
  (service redis-server stop || true) >/dev/null 2>&1
fi
redis-server --version

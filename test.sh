#!/usr/bin/env bash
# The whole Likeness test suite on a fresh machine: installs what the tests need, then runs every test project.
# Tests start their own redis-server on free loopback ports; nothing else needs to be running.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (Debian package) for the tests..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

dotnet test Services.sln -c Release "$@"

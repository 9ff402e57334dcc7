#!/usr/bin/env bash
# Installs the Debian 12 packages SEI Platform needs to build, test and run.
# Idempotent: installs only what is missing, and runs `apt-get update` only when
# something is. Safe to call from every make target.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgit2-dev libsqlite3-dev sqlite3 zlib1g-dev libdeflate-dev
  libpq-dev postgresql
  libcli11-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-dev libssl-dev libsodium-dev libcurl4-openssl-dev wrk
  time chromium
)
# The web app needs node and npm; a machine may have them from another package
# (nodesource's nodejs bundles npm), so Debian's are installed only when absent.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2

#!/usr/bin/env bash
# Installs what dbclone needs to build and run on Debian 12, idempotently.
#   scripts/install-deps.sh          build + run (the embedded default)
#   scripts/install-deps.sh --test   also what the test suite and benches use
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libpq-dev postgresql-15 postgresql-contrib
  libcurl4-openssl-dev libssl-dev libzstd-dev libxxhash-dev libre2-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev googletest libcpp-httplib-dev
             clang clang-format clang-tidy libclang-rt-14-dev pgcopydb python3
             git ca-certificates locales pgbouncer
             postgresql-server-dev-15)  # builds the tests' security label provider (PGXS)
  # The S3-protocol test peer runs on Node.js. Some machines carry a Node.js
  # build that bundles npm (and conflicts with Debian's npm package), so
  # Debian's nodejs/npm are installed only when the commands are missing.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [[ "${1:-}" == "--test" ]]; then
  # The tests run on the PostgreSQL 15 a fresh Debian 12 installs today, not on
  # an older minor release a machine image may carry: 15.20 (bookworm-security)
  # stamps every column with a server-managed option that 15.18 does not, and
  # the README's demo failed on it while every test passed on 15.18.
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  pg15=(postgresql-15 postgresql-client-15 libpq5 libpq-dev)
  # (the package lists first: an image's lists are as old as the image)
  "${sudo_cmd[@]}" apt-get update -qq
  if apt-get -s install --only-upgrade "${pg15[@]}" 2>/dev/null | grep -q '^Inst '; then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --only-upgrade "${pg15[@]}"
  fi
  # PostgreSQL 13-18 servers for the cross-version tests (npm test peers).
  "$(dirname "$0")/install-pg-peers.sh"
  # antlr-ng, antlr4ng and TypeScript for the Oracle PL/SQL grammar check.
  "$(dirname "$0")/install-grammar-tools.sh"
fi

# A second language for the server's messages: the test that dbclone decides
# on SQLSTATE codes, not on English text, runs a target with lc_messages German.
if [[ "${1:-}" == "--test" ]] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi

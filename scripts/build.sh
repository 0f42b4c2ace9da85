#!/usr/bin/env bash
# Configures and builds one flavour: release (default; dbclone only, no
# tests, so it needs no test libraries), ci (warnings as errors, with the
# tests) or sanitize (ASan+UBSan, warnings as errors, with the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release)  dir=build;          args=(-DCMAKE_BUILD_TYPE=Release -DDBCLONE_TESTS=OFF) ;;
  ci)       dir=build-ci;       args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBCLONE_WERROR=ON -DDBCLONE_TESTS=ON) ;;
  sanitize) dir=build-sanitize; args=(-DCMAKE_BUILD_TYPE=Debug -DDBCLONE_WERROR=ON -DDBCLONE_SANITIZE=ON -DDBCLONE_TESTS=ON) ;;
  *) echo "usage: $0 [release|ci|sanitize]" >&2; exit 2 ;;
esac
# ccache, where present, makes rebuilds in several work trees cheap; it is
# optional and changes nothing in what is built.
if command -v ccache >/dev/null; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
cmake --build "$dir" --parallel "$(nproc)"
echo "$dir"

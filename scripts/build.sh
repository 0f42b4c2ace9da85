#!/usr/bin/env bash
# Configures and builds one flavour: release (default), ci (warnings as
# errors) or sanitize (ASan+UBSan, warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release)  dir=build;          args=(-DCMAKE_BUILD_TYPE=Release) ;;
  ci)       dir=build-ci;       args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBCLONE_WERROR=ON) ;;
  sanitize) dir=build-sanitize; args=(-DCMAKE_BUILD_TYPE=Debug -DDBCLONE_WERROR=ON -DDBCLONE_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|ci|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
cmake --build "$dir" --parallel "$(nproc)"
echo "$dir"

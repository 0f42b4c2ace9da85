#!/usr/bin/env bash
# The newcomer's command: installs what dbclone needs (idempotent), builds
# it, and runs the main job on the embedded default - two throwaway local
# PostgreSQL servers, the demo schema cloned from one into the other under a
# new name, verified, and the report printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release >/dev/null
exec build/dbclone clone "$@"

#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
# dependencies (idempotent), a warnings-as-errors build with every unit and
# integration test against real PostgreSQL servers, then a sanitizer build
# (ASan + UBSan) running the unit tests and the integration tests again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The PostgreSQL 13-18 servers were just installed: the cross-version tests
# must run, not skip.
export DBCLONE_REQUIRE_PG_PEERS=1

echo "== format check"
scripts/format.sh --check

echo "== build (warnings as errors)"
scripts/build.sh ci
echo "== tests (build-ci)"
ctest --test-dir build-ci --output-on-failure --timeout 2400 -j1

echo "== build (sanitizers)"
scripts/build.sh sanitize
echo "== tests (build-sanitize)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure --timeout 2400 -j1
echo "== all tests passed"

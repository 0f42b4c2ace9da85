#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
# dependencies (idempotent), a warnings-as-errors build with every unit and
# integration test against real PostgreSQL servers, clang-tidy over src/ with
# the checked-in .clang-tidy and a ThreadSanitizer build running the tests
# that use several threads, then a sanitizer build (ASan + UBSan) running the
# unit tests and the integration tests again.
#
# For local use only: DBCLONE_SKIP_EXTRA_CHECKS=1 leaves out clang-tidy and
# the ThreadSanitizer pass.
# CI never sets it.
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

if [[ "${DBCLONE_SKIP_EXTRA_CHECKS:-0}" != 1 ]]; then
  echo "== clang-tidy (src/, .clang-tidy)"
  scripts/tidy.sh build-ci

  echo "== build (ThreadSanitizer)"
  scripts/build.sh tsan
  echo "== tests (build-tsan: worker pool, journal, redaction, parallel copy, checksums, chunked import)"
  # Only what runs on several threads: the pool itself, the journal its
  # workers write to, redaction (every thread logs through it), and the
  # integration tests that copy, checksum and import in parallel (a few
  # minutes, not the suite).
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    build-tsan/tests/unit_tests --gtest_filter='WorkerPool*:Journal*:Redact*'
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    build-tsan/tests/integration_tests --gtest_filter="${DBCLONE_TSAN_TESTS:-Clone.PagilaWithRemap:Clone.DemoSchemaEveryObjectKind:Verify.*:DumpSet.*:ExportImport.PagilaRemappedIntoAnotherServer}"
fi

echo "== build (sanitizers)"
scripts/build.sh sanitize
echo "== tests (build-sanitize)"
# The PostgreSQL 13-18 matrix (cross_version) ran above; it exercises the
# servers more than dbclone's code, so the sanitizer pass leaves it out to
# keep CI within its time; so does the Oracle grammar check (it parses, with
# the ANTLR grammar under node, statements the unit tests wrote - no dbclone
# code runs in it).
# The kill tests ran above with their full count (>= 50 kills per command);
# under the sanitizers a smaller count looks for memory errors on the resume
# paths without doubling CI time.
DBCLONE_KILL_POINTS=${DBCLONE_SANITIZE_KILL_POINTS:-12} \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure --timeout 2400 -j1 -E '^(cross_version|oracle_grammar)$'
echo "== all tests passed"

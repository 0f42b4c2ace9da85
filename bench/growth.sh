#!/usr/bin/env bash
# How each tool's time grows with data and with jobs: runs bench/run.sh at
# several pgbench scales (about 0.5, 1 and 3 GB with the wide table) and job
# counts, and gathers each run's ratio line and table into one file.
#
#   bench/growth.sh                 scales "25 50 150", jobs "1 2", ROUNDS=3
#   SCALES="10 20" JOBS_LIST="2" bench/growth.sh
# Every variable of bench/run.sh (DBCLONE, DURABILITY, ROUNDS, NO_VERIFY, ...) applies.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scales=${SCALES:-25 50 150}
jobs_list=${JOBS_LIST:-1 2}
out="$repo/bench/results/$(date -u +%F)-growth.md"
mkdir -p "$repo/bench/results"
{
    echo "# dbclone growth, $(date -u +'%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)"
    echo
} >"$out"
for scale in $scales; do
    for jobs in $jobs_list; do
        echo "== scale $scale, jobs $jobs" >&2
        result=$(JOBS=$jobs "$repo/bench/run.sh" "$scale") || { echo "bench/run.sh $scale (jobs $jobs) failed" >&2; exit 1; }
        {
            echo "## scale $scale, jobs $jobs"
            echo
            echo "$result" | sed -n '3,$p'
            echo
        } >>"$out"
    done
done
echo "results written to $out" >&2

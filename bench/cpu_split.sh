#!/usr/bin/env bash
# CPU seconds one command costs each side: the source cluster's processes, the
# target cluster's, and the command itself (with its children), beside its
# wall time. Server work is where a copy between two local clusters spends its
# time on a small machine, and wall time alone does not say which side grew.
#
#   bench/cpu_split.sh SOURCE_PGDATA TARGET_PGDATA -- command [args...]
#
# A cluster's CPU is the user + system time of its postmaster and every live
# child (checkpointer, WAL writer, ...) plus the children it has reaped
# (backends that ended, parallel and autovacuum workers), from /proc/<pid>/stat;
# a backend still alive at the end counts what it used so far. Run it as a
# user that may read those files (the cluster's owner or root).
set -euo pipefail

[[ $# -ge 4 && "$3" == "--" ]] || { echo "usage: $0 SOURCE_PGDATA TARGET_PGDATA -- command [args...]" >&2; exit 2; }
src_data=$1 tgt_data=$2
shift 3
tick=$(getconf CLK_TCK)

# Clock ticks used so far by the cluster whose data directory is $1.
cluster_ticks() {
    local pm sum=0 pid fields
    pm=$(head -1 "$1/postmaster.pid")
    for pid in "$pm" $(pgrep -P "$pm"); do
        fields=$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null) || continue
        # After the ')' that ends the command name: field 14 (utime) is the 12th.
        read -r -a f <<<"$fields"
        sum=$((sum + f[11] + f[12] + f[13] + f[14]))
    done
    echo "$sum"
}

times=$(mktemp)
trap 'rm -f "$times"' EXIT
s0=$(cluster_ticks "$src_data") t0=$(cluster_ticks "$tgt_data") start=$(date +%s.%N)
rc=0
/usr/bin/time -f "%U %S %M" -o "$times" "$@" || rc=$?
end=$(date +%s.%N) s1=$(cluster_ticks "$src_data") t1=$(cluster_ticks "$tgt_data")
read -r user sys rss_kib < <(tail -1 "$times")
awk -v rc="$rc" -v wall="$(echo "$end - $start" | bc)" -v src="$((s1 - s0))" -v tgt="$((t1 - t0))" -v tick="$tick" \
    -v client="$(echo "$user + $sys" | bc)" -v rss="$rss_kib" 'BEGIN {
    printf "exit %d  wall %.2f s  CPU s: source %.2f  target %.2f  client %.2f  (client peak RSS %d KiB)\n",
        rc, wall, src / tick, tgt / tick, client, rss }'
exit "$rc"

#!/usr/bin/env bash
# Compares dbclone with pg_dump/pg_restore and pgcopydb on the same data, in
# the same run, on two throwaway local PostgreSQL clusters. See bench/README.md.
#
#   bench/run.sh [scale]     scale: pgbench scale factor (default 50, about 1 GB)
#
# Environment: JOBS (parallel jobs for every tool, default: number of cores),
# DBCLONE (default: build/dbclone), PGBIN (default /usr/lib/postgresql/15/bin),
# WIDE_ROWS (rows of the wide table, default 2000 x scale), BIG_VALUES (rows of
# 200 MiB bytea, default 0; with them a 50-column table of WIDE50_ROWS rows, default
# 200000: the client-memory case), NO_VERIFY=1 passes
# --no-verify to dbclone clone and import (the other tools do not verify), KEEP=1 keeps the
# work directory (clusters stopped, data and logs kept), ROUNDS (default 3: every tool runs
# that many times, alternating, and the report gives median, min and max), DURABILITY
# (default on: the servers' default durability, as real servers run; off: fsync,
# synchronous_commit and full_page_writes off, a lab setting).
set -euo pipefail

scale=${1:-50}
[[ "$scale" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [scale]   (scale: a positive integer)" >&2; exit 2; }
jobs=${JOBS:-$(nproc)}
repo=$(cd "$(dirname "$0")/.." && pwd)
dbclone=${DBCLONE:-$repo/build/dbclone}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
wide_rows=${WIDE_ROWS:-$((2000 * scale))}
big_values=${BIG_VALUES:-0}
wide50_rows=${WIDE50_ROWS:-200000}
rounds=${ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer" >&2; exit 2; }
durability=${DURABILITY:-on}
[[ "$durability" == on || "$durability" == off ]] || { echo "DURABILITY must be on or off" >&2; exit 2; }
verify_flag=()
[[ "${NO_VERIFY:-0}" == 1 ]] && verify_flag=(--no-verify)
export PATH="$pgbin:$PATH"  # pgcopydb runs pg_dump/pg_restore from PATH

say() { echo "== $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

# --- dependencies ------------------------------------------------------------
check_deps() {
    local missing=()
    [[ -x /usr/bin/time ]] || missing+=(time)
    command -v pgcopydb >/dev/null || missing+=(pgcopydb)
    [[ -x "$pgbin/initdb" && -x "$pgbin/pg_dump" && -x "$pgbin/pgbench" ]] || missing+=(postgresql-15 postgresql-contrib)
    if ((${#missing[@]})); then
        say "installing: ${missing[*]}"
        local sudo_cmd=()
        [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    [[ -x /usr/bin/time ]] || die "/usr/bin/time (package 'time') is missing"
    command -v pgcopydb >/dev/null || die "pgcopydb is missing"
    [[ -x "$pgbin/initdb" ]] || die "no PostgreSQL binaries in $pgbin (set PGBIN)"
}

# PostgreSQL server binaries refuse to run as root.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# --- clusters ------------------------------------------------------------------
work=""
clusters=()
any_failed=0
cleanup() {
    local rc=$?
    for c in "${clusters[@]}"; do as_pg "$pgbin/pg_ctl" -D "$c" -m immediate stop >/dev/null 2>&1 || true; done
    [[ -n "$work" ]] || return 0
    if [[ "${KEEP:-0}" == 1 || $rc -ne 0 ]]; then
        say "work directory kept: $work"
    elif ((any_failed)); then
        # Keep what explains the failure, not the gigabytes of cluster data.
        find "$work" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
        say "a step failed: its logs are kept in $work/logs"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

src_port=54301
tgt_port=54302

# Throwaway clusters with the same settings for every tool. DURABILITY=on (the
# default) keeps PostgreSQL's durability defaults (fsync, synchronous_commit,
# full_page_writes on, wal_level replica, default checkpoints), as real servers
# run; DURABILITY=off is the lab setting that hides the cost of WAL flushes.
start_cluster() {
    local dir=$1 port=$2
    as_pg "$pgbin/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$dir.initdb.log" 2>&1 ||
        die "initdb failed, see $dir.initdb.log"
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work/sock'
port = $port
max_connections = 200
shared_buffers = 512MB
maintenance_work_mem = 256MB
max_worker_processes = 16
CONF
    if [[ "$durability" == off ]]; then
        cat >>"$dir/postgresql.conf" <<CONF
max_wal_size = 8GB
checkpoint_timeout = 30min
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    as_pg "$pgbin/pg_ctl" -D "$dir" -l "$dir.log" -w start >/dev/null || die "cannot start cluster $dir, see $dir.log"
    clusters+=("$dir")
}

uri() { echo "postgresql:///$2?host=$work/sock&port=$1&user=postgres"; }
psql_at() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# --- data ----------------------------------------------------------------------
load_source() {
    local src; src=$(uri $src_port bench)
    "$pgbin/createdb" -h "$work/sock" -p $src_port -U postgres bench
    say "loading pgbench scale $scale (with foreign keys)"
    "$pgbin/pgbench" -i -q -s "$scale" -I dtgvpf -h "$work/sock" -p $src_port -U postgres bench >"$work/pgbench.log" 2>&1 ||
        die "pgbench -i failed, see $work/pgbench.log"
    say "loading $wide_rows wide rows (text, jsonb, bytea)"
    psql_at "$src" >/dev/null <<SQL
CREATE TABLE public.wide (
    id      bigint PRIMARY KEY,
    title   text NOT NULL,
    body    text,
    doc     jsonb,
    blob    bytea,
    created timestamptz NOT NULL DEFAULT now()
);
INSERT INTO public.wide (id, title, body, doc, blob, created)
SELECT g,
       'row ' || g || ' ' || md5(g::text),
       (SELECT string_agg(md5((g * 31 + k)::text), ' ') FROM generate_series(1, 40) k),
       jsonb_build_object('id', g, 'tags', jsonb_build_array(md5(g::text), g % 17, g % 3 = 0),
                          'nested', jsonb_build_object('a', g % 97, 'text', repeat('x', g % 300))),
       decode((SELECT string_agg(md5((g * 7 + k)::text), '') FROM generate_series(1, 16) k), 'hex'),
       now() - g * interval '1 second'
FROM generate_series(1, $wide_rows) g;
CREATE INDEX wide_created ON public.wide (created);
SQL
    if ((big_values > 0)); then
        # Client memory with values bigger than any buffer: rows of one
        # 200 MiB bytea each, and a 50-column table.
        say "loading $big_values rows of 200 MiB bytea and $wide50_rows rows of 50 columns"
        psql_at "$src" >/dev/null <<SQL
CREATE TABLE public.big_values (id int PRIMARY KEY, payload bytea NOT NULL);
ALTER TABLE public.big_values ALTER payload SET STORAGE EXTERNAL;
INSERT INTO public.big_values
SELECT g, decode(repeat(md5(g::text), 200 * 1024 * 1024 / 16), 'hex') FROM generate_series(1, $big_values) g;
CREATE TABLE public.wide50 AS
SELECT g AS id, $(for c in $(seq 1 49); do printf 'md5((g * %d)::text) AS c%02d' "$c" "$c"; [[ $c -lt 49 ]] && printf ', '; done)
FROM generate_series(1, $wide50_rows) g;
ALTER TABLE public.wide50 ADD PRIMARY KEY (id);
SQL
    fi
    psql_at "$src" >/dev/null <<SQL
VACUUM ANALYZE;
CHECKPOINT;
SQL
}

# Row count of every table, plus index and constraint counts: a copy that is
# fast because it left something out does not pass.
fingerprint() {
    local conn=$1 schema=$2 q
    q=$(psql_at "$conn" -c "SELECT string_agg(format('SELECT %L, count(*) FROM %I.%I', c.relname, n.nspname, c.relname),
                                              ' UNION ALL ' ORDER BY c.relname)
                            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = '$schema' AND c.relkind IN ('r', 'p')")
    [[ -n "$q" ]] || { echo "no tables"; return; }
    psql_at "$conn" -F= -c "$q ORDER BY 1" | tr '\n' ' '
    psql_at "$conn" -c "SELECT 'indexes=' || count(*) FROM pg_indexes WHERE schemaname = '$schema'" | tr '\n' ' '
    psql_at "$conn" -c "SELECT 'constraints=' || count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                        WHERE n.nspname = '$schema'"
}

# Reads every table (and the TOASTed wide values) so that no tool pays for a cold cache.
# Reads every table's rows, so that each tool finds the source in the page
# cache. A column outside the key: count(*) of a freshly vacuumed table is an
# index-only scan that leaves the heap on disk, and round 1's first tool
# (always dbclone) then read it cold (its maximum was 2-2.5x its median).
warm_source() {
    psql_at "$(uri $src_port bench)" -c "SELECT sum(length(filler)) FROM pgbench_accounts;
        SELECT count(*) FROM pgbench_history WHERE mtime IS NOT NULL;
        SELECT sum(length(body)) + sum(length(blob)) + sum(length(doc::text)) FROM wide;" >/dev/null
    if ((big_values > 0)); then
        psql_at "$(uri $src_port bench)" -c "SELECT sum(length(payload)) FROM big_values;
            SELECT sum(length(c49)) FROM wide50;" >/dev/null
    fi
}

# --- timing --------------------------------------------------------------------
# results: one "label|command|seconds|rss_kib|status|check|artefact_bytes|round" line per step
results=()
round=1
last_seconds=""
last_rss=""
last_ok=0

# Every timed step starts from the same server state: no dirty pages or WAL
# left by the step before it for the checkpointer to write during this one.
# Without this, a step that follows a loading step (dbclone import after
# dbclone clone) pays for its predecessor's checkpoint, and one that follows
# a reading step (pg_restore after pg_dump) does not.
settle() {
    psql_at "$(uri $src_port postgres)" -c CHECKPOINT
    psql_at "$(uri $tgt_port postgres)" -c CHECKPOINT
}

# timed LABEL -- command...: wall time (our clock) and peak RSS (time -v) of one step.
timed() {
    local label=$1; shift 2
    local log="$work/logs/$label.r$round.log" tv="$work/logs/$label.r$round.time"
    settle
    say "running $label"
    local start end rc=0
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    last_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
    last_rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv" 2>/dev/null || true)
    last_ok=$((rc == 0))
    if ((rc != 0)); then
        any_failed=1
        echo "bench: $label FAILED (exit $rc); last lines of $log:" >&2
        tail -n 5 "$log" | sed 's/^/    /' >&2
    fi
    return 0
}

record() {  # label command check artefact_bytes
    local status=ok
    ((last_ok)) || status=FAILED
    if [[ "$3" == DIFFERS ]]; then
        status="wrong result"
        any_failed=1
        echo "bench: $1 exited 0 but the target does not match the source (see $work/logs/check.log)" >&2
    fi
    results+=("$1|$2|$last_seconds|$last_rss|$status|$3|${4:-}|$round")
}

# Sum of two steps recorded just before (both must have succeeded).
record_total() {  # label command check artefact_bytes
    local a b
    IFS='|' read -r -a a <<<"${results[-2]}"
    IFS='|' read -r -a b <<<"${results[-1]}"
    local status=ok secs=- rss=-
    if [[ "${a[4]}" == ok && "${b[4]}" == ok && "$3" != DIFFERS ]]; then
        secs=$(awk -v x="${a[2]}" -v y="${b[2]}" 'BEGIN { printf "%.1f", x + y }')
        rss=$(( ${a[3]:-0} > ${b[3]:-0} ? ${a[3]:-0} : ${b[3]:-0} ))
    else
        status=FAILED
    fi
    results+=("$1|$2|$secs|$rss|$status|$3|${4:-}|$round")
}

check_copy() {  # conn schema → "match" or "DIFFERS"
    local got; got=$(fingerprint "$1" "$2" 2>&1 || true)
    if [[ "$got" == "$source_fingerprint" ]]; then echo match; else
        echo "target $2 differs: $got" >>"$work/logs/check.log"; echo DIFFERS; fi
}

# --- the runs --------------------------------------------------------------------
# A fresh target database per run, dropped after its check so that the disk
# holds one copy at a time.
fresh_db() { "$pgbin/dropdb" --if-exists -h "$work/sock" -p $tgt_port -U postgres "$1"; "$pgbin/createdb" -h "$work/sock" -p $tgt_port -U postgres "$1"; }
drop_db() { "$pgbin/dropdb" --if-exists -h "$work/sock" -p $tgt_port -U postgres "$1"; }

run_dbclone() {
    local tgt; tgt=$(uri $tgt_port bench_dbclone)
    fresh_db bench_dbclone
    rm -rf "$work/store"; mkdir -p "$work/store"
    if [[ ! -x "$dbclone" ]]; then
        echo "bench: dbclone binary not found at $dbclone (build with scripts/build.sh or set DBCLONE); skipping dbclone" >&2
        for l in "dbclone clone" "dbclone export" "dbclone import" "dbclone export + import"; do
            results+=("$l|-|-|-|not built|-||$round")
        done
        return
    fi
    timed dbclone-clone -- "$dbclone" --jobs "$jobs" clone "$src" "$tgt" --schema public:copy_1 "${verify_flag[@]}"
    local check=-
    ((last_ok)) && check=$(check_copy "$tgt" copy_1)
    record "dbclone clone (streamed)" "dbclone --jobs $jobs clone SRC TGT --schema public:copy_1 ${verify_flag[*]}" "$check"

    timed dbclone-export -- "$dbclone" --jobs "$jobs" export "$src" --schema public --store "$work/store"
    if ((last_ok)) && [[ -z "$(find "$work/store" -name manifest.json -print -quit)" ]]; then
        echo "bench: dbclone export exited 0 but wrote no dump set (no manifest.json in $work/store)" >&2
        last_ok=0
        any_failed=1
    fi
    record "dbclone export" "dbclone --jobs $jobs export SRC --schema public --store DIR" - "$(du -sb "$work/store" 2>/dev/null | cut -f1)"
    check=-
    if ((last_ok)); then
        # The import gets a fresh database too, as pg_restore does, not the
        # one that holds the clone's copy.
        fresh_db bench_dbclone
        timed dbclone-import -- "$dbclone" --jobs "$jobs" import "$tgt" --store "$work/store" --schema public:copy_2 \
            "${verify_flag[@]}"
        ((last_ok)) && check=$(check_copy "$tgt" copy_2)
        record "dbclone import" "dbclone --jobs $jobs import TGT --store DIR --schema public:copy_2 ${verify_flag[*]}" "$check"
    else
        echo "bench: dbclone import skipped: the export failed" >&2
        results+=("dbclone import|-|-|-|skipped|-||$round")
    fi
    record_total "dbclone export + import" "" "$check"
    drop_db bench_dbclone
}

run_pg_dump() {
    local tgt; tgt=$(uri $tgt_port bench_pgdump)
    fresh_db bench_pgdump
    rm -rf "$work/pgdump"
    # pg_dump -n public dumps CREATE SCHEMA public; a fresh database already has one.
    psql_at "$tgt" -c "DROP SCHEMA public"
    timed pg_dump -- "$pgbin/pg_dump" -Fd -j "$jobs" -n public -f "$work/pgdump" "$src"
    record "pg_dump -Fd -j $jobs" "pg_dump -Fd -j $jobs -n public -f DIR SRC" - "$(du -sb "$work/pgdump" 2>/dev/null | cut -f1)"
    local check=-
    if ((last_ok)); then
        timed pg_restore -- "$pgbin/pg_restore" -j "$jobs" --no-owner -d "$tgt" "$work/pgdump"
        ((last_ok)) && check=$(check_copy "$tgt" public)
        record "pg_restore -j $jobs" "pg_restore -j $jobs --no-owner -d TGT DIR" "$check"
    else
        results+=("pg_restore -j $jobs|-|-|-|skipped|-||$round")
    fi
    record_total "pg_dump + pg_restore" "" "$check"
    drop_db bench_pgdump
}

run_pgcopydb() {
    local tgt; tgt=$(uri $tgt_port bench_pgcopydb)
    fresh_db bench_pgcopydb
    rm -rf "$work/pgcopydb"
    timed pgcopydb -- pgcopydb clone --source "$src" --target "$tgt" --table-jobs "$jobs" --index-jobs "$jobs" \
        --no-owner --dir "$work/pgcopydb"
    local check=-
    ((last_ok)) && check=$(check_copy "$tgt" public)
    record "pgcopydb clone" "pgcopydb clone --table-jobs $jobs --index-jobs $jobs --no-owner" "$check"
    drop_db bench_pgcopydb
}

# The size a one-file custom-format dump takes (the dump set's size goal); timed
# too, but outside the ratios.
run_pg_dump_fc() {
    rm -f "$work/pgdump.fc"
    timed pg_dump_fc -- "$pgbin/pg_dump" -Fc -n public -f "$work/pgdump.fc" "$src"
    record "pg_dump -Fc (size reference)" "pg_dump -Fc -n public -f FILE SRC" - "$(stat -c %s "$work/pgdump.fc" 2>/dev/null)"
    rm -f "$work/pgdump.fc"
}

# --- report ----------------------------------------------------------------------
labels() {  # the step labels in the order they first ran
    local r f seen="|"
    for r in "${results[@]}"; do
        IFS='|' read -r -a f <<<"$r"
        [[ "$seen" == *"|${f[0]}|"* ]] && continue
        seen+="${f[0]}|"
        echo "${f[0]}"
    done
}

# label → "median min max runs_ok runs rss_max_kib artefact_bytes status check command"
summary_of() {
    local r f secs=() rss=0 ok=0 n=0 art="" check=match cmd="" status
    for r in "${results[@]}"; do
        IFS='|' read -r -a f <<<"$r"
        [[ "${f[0]}" == "$1" ]] || continue
        n=$((n + 1))
        [[ -n "${f[1]}" && "${f[1]}" != - ]] && cmd=${f[1]}
        [[ -n "${f[6]:-}" ]] && art=${f[6]}
        [[ "${f[5]}" == DIFFERS ]] && check=DIFFERS
        [[ "${f[5]}" == - && "$check" == match ]] && check=-
        if [[ "${f[4]}" == ok ]]; then
            ok=$((ok + 1))
            secs+=("${f[2]}")
            [[ "${f[3]}" =~ ^[0-9]+$ ]] && ((f[3] > rss)) && rss=${f[3]}
        fi
    done
    local stats="- - -"
    ((ok > 0)) && stats=$(printf '%s\n' "${secs[@]}" | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f", m, v[1], v[NR] }')
    status=ok
    ((ok < n)) && status="FAILED $((n - ok)) of $n"
    echo "$stats $ok $n ${rss:-0} ${art:--} $status|$check|$cmd"
}

median_of() { local s; s=$(summary_of "$1"); read -r m _ <<<"$s"; [[ "$m" == - ]] && echo "" || echo "$m"; }

ratio() {  # seconds base
    [[ -n "$1" && -n "$2" && "$1" != - ]] || { echo "-"; return; }
    awk -v x="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", x / b; else print "-" }'
}

mib() { [[ -n "$1" && "$1" != - && "$1" != 0 ]] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || echo -; }
mib_bytes() { [[ -n "$1" && "$1" != - ]] && awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }' || echo -; }

# The smaller of two medians, with its name.
fastest() {  # label_a label_b
    local a b; a=$(median_of "$1"); b=$(median_of "$2")
    if [[ -n "$a" && ( -z "$b" || $(awk -v x="$a" -v y="$b" 'BEGIN { print (x <= y) }') == 1 ) ]]; then echo "$a|$1"
    elif [[ -n "$b" ]]; then echo "$b|$2"; else echo "|"; fi
}

report() {
    local clone dump peer peer_s peer_l
    clone=$(median_of "dbclone clone (streamed)")
    dump=$(median_of "dbclone export + import")
    peer=$(fastest "pgcopydb clone" "pg_dump + pg_restore")
    peer_s=${peer%%|*}; peer_l=${peer#*|}
    echo "# dbclone benchmark, $(date -u +'%Y-%m-%d %H:%M UTC')"
    echo
    echo "ratio $(ratio "$clone" "$peer_s")  (dbclone clone ${verify_flag[*]:-with verification} median ${clone:--} s ÷ fastest peer, $peer_l, median ${peer_s:--} s)"
    echo
    echo "- data: pgbench scale $scale (foreign keys on) + table \`wide\` with $wide_rows rows (text, jsonb, bytea); source database size $source_size"
    if ((big_values > 0)); then echo "- memory case: table \`big_values\` with $big_values rows of one 200 MiB bytea each (storage external) and table \`wide50\` with $wide50_rows rows of 50 columns"; fi
    echo "- jobs: $jobs for every tool; $rounds rounds, tools alternating (order rotated each round); machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
    echo "- versions: $("$pgbin/postgres" --version), $(pgcopydb --version 2>/dev/null | grep -m1 'pgcopydb version'), dbclone $dbclone_version"
    echo "- clusters: two local throwaway clusters on the same machine, unix sockets; durability $durability: $cluster_settings"
    echo "- bench/run.sh at commit $bench_commit; load average before the runs: $load_before"
    echo
    echo "| method | median s | min s | max s | ÷ dbclone clone | ÷ dbclone export+import | peak RSS MiB | artefact MiB | runs ok | status | target check |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    local l s med min max ok n rss art rest status check
    while IFS= read -r l; do
        s=$(summary_of "$l")
        read -r med min max ok n rss art rest <<<"${s%%|*}"
        status=$rest
        rest=${s#*|}; check=${rest%%|*}
        local vs_clone=- vs_dump=-
        if [[ "$med" != - ]]; then vs_clone=$(ratio "$med" "$clone"); vs_dump=$(ratio "$med" "$dump"); fi
        echo "| $l | $med | $min | $max | $vs_clone | $vs_dump | $(mib "$rss") | $(mib_bytes "$art") | $ok/$n | $status | $check |"
    done < <(labels)
    echo
    echo "Ratios divide the method's median wall time by dbclone's: above 1 means dbclone was faster."
    echo "Goal lines (issue: clone ≤ 0.80 × fastest peer; export ≤ 0.5 × pg_dump -Fd; dump set ≤ pg_dump -Fc; import ≤ 0.8 × pg_restore):"
    echo "- clone ÷ fastest peer: $(ratio "$clone" "$peer_s")"
    echo "- export ÷ pg_dump -Fd: $(ratio "$(median_of "dbclone export")" "$(median_of "pg_dump -Fd -j $jobs")")"
    echo "- import ÷ pg_restore: $(ratio "$(median_of "dbclone import")" "$(median_of "pg_restore -j $jobs")")"
    local set_s fc_s
    set_s=$(summary_of "dbclone export"); read -r _ _ _ _ _ _ set_s _ <<<"${set_s%%|*}"
    fc_s=$(summary_of "pg_dump -Fc (size reference)"); read -r _ _ _ _ _ _ fc_s _ <<<"${fc_s%%|*}"
    echo "- dump set size ÷ pg_dump -Fc size: $(ratio "$set_s" "$fc_s")"
    echo
    echo "Peak RSS is the largest single client process over all runs (time -v); server memory is not included. Commands:"
    echo
    while IFS= read -r l; do
        s=$(summary_of "$l"); rest=${s#*|}; rest=${rest#*|}
        [[ -n "$rest" ]] && echo "- $l: \`$rest\`"
    done < <(labels)
    return 0
}

# --- main ----------------------------------------------------------------------------
check_deps
work=$(mktemp -d /tmp/dbclone-bench.XXXXXX)
mkdir -p "$work/sock" "$work/logs" "$work/store"
chmod 755 "$work"
[[ $(id -u) -eq 0 ]] && chown postgres "$work" "$work/sock"
say "work directory $work"

start_cluster "$work/source" $src_port
start_cluster "$work/target" $tgt_port
src=$(uri $src_port bench)
load_source
source_size=$(psql_at "$src" -c "SELECT pg_size_pretty(pg_database_size('bench'))")
source_fingerprint=$(fingerprint "$src" public)
dbclone_version="(not built)"
if [[ -x "$dbclone" ]]; then
    dbclone_version=$("$dbclone" --version 2>/dev/null | head -1) || dbclone_version="(--version failed)"
fi
dbclone_version+=" ($dbclone)"
bench_commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)

cluster_settings=$(psql_at "$src" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_size', 'checkpoint_timeout',
                   'shared_buffers', 'maintenance_work_mem')")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
methods=(run_dbclone run_pg_dump run_pgcopydb)
for ((round = 1; round <= rounds; round++)); do
    # Rotate the order each round so that no tool always runs first (or last).
    for ((k = 0; k < ${#methods[@]}; k++)); do
        run=${methods[$(((k + round - 1) % ${#methods[@]}))]}
        warm_source
        psql_at "$(uri $tgt_port postgres)" -c CHECKPOINT
        $run
    done
done
round=1
run_pg_dump_fc

mkdir -p "$repo/bench/results"
out="$repo/bench/results/$(date -u +%F).md"
report | tee "$out"
say "results written to $out"

#!/usr/bin/env bash
# Server-side counters of one clone, dbclone against pgcopydb, on the same two
# throwaway clusters and the same data (see bench/README.md, "Profile"). Wall
# time on a shared machine is noisy; these counters are not: WAL bytes,
# full-page images and WAL syncs (pg_stat_wal), buffers written by
# checkpointer, bgwriter and backends (pg_stat_bgwriter), commits and block
# reads (pg_stat_database), sequential scans per table on both sides
# (pg_stat_user_tables), and the client's CPU time (time -v). A sampler notes
# once a second what every session on the target is doing, so overlapping and
# serialized phases show.
#
#   bench/profile.sh [scale]      (default 10)
#
# Environment: JOBS (default: number of cores), ROUNDS (default 2, tools
# alternate), DBCLONE (default build-ci/dbclone), DBCLONE_B (a second dbclone
# binary, run as a third tool: before/after a change), EXTRA (more dbclone
# options), PGBIN, OUT (where report.md, samples and logs go; default
# /tmp/dbclone-profile-out), KEEP=1 (keep the work directory).
set -euo pipefail

scale=${1:-10}
jobs=${JOBS:-$(nproc)}
rounds=${ROUNDS:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
dbclone=${DBCLONE:-$repo/build-ci/dbclone}
dbclone_b=${DBCLONE_B:-}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
export PATH="$pgbin:$PATH"
read -r -a extra <<<"${EXTRA:-}"

as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
say() { echo "== $*" >&2; }

work=$(mktemp -d /tmp/dbclone-profile.XXXXXX)
chmod 777 "$work"
mkdir -p "$work/sock" "$work/out"
chmod 777 "$work/sock"
clusters=()
sampler=""
cleanup() {
    [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null || true
    for c in "${clusters[@]}"; do as_pg "$pgbin/pg_ctl" -D "$c" -m immediate stop >/dev/null 2>&1 || true; done
    if [[ "${KEEP:-0}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

src_port=54401
tgt_port=54402
start_cluster() {
    local dir=$1 port=$2
    as_pg "$pgbin/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work/sock'
port = $port
max_connections = 200
shared_buffers = 512MB
maintenance_work_mem = 256MB
track_io_timing = on
CONF
    as_pg "$pgbin/pg_ctl" -D "$dir" -l "$dir.log" -w start >/dev/null
    clusters+=("$dir")
}
uri() { echo "postgresql:///$2?host=$work/sock&port=$1&user=postgres"; }
q() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

start_cluster "$work/src" $src_port
start_cluster "$work/tgt" $tgt_port
src=$(uri $src_port bench)
"$pgbin/createdb" -h "$work/sock" -p $src_port -U postgres bench
say "loading pgbench scale $scale + wide"
"$pgbin/pgbench" -i -q -s "$scale" -I dtgvpf -h "$work/sock" -p $src_port -U postgres bench >/dev/null 2>&1
q "$src" >/dev/null <<SQL
CREATE TABLE public.wide (id bigint PRIMARY KEY, title text NOT NULL, body text, doc jsonb, blob bytea,
                          created timestamptz NOT NULL DEFAULT now());
INSERT INTO public.wide
SELECT g, 'row ' || g || ' ' || md5(g::text),
       (SELECT string_agg(md5((g * 31 + k)::text), ' ') FROM generate_series(1, 40) k),
       jsonb_build_object('id', g, 'tags', jsonb_build_array(md5(g::text), g % 17, g % 3 = 0),
                          'nested', jsonb_build_object('a', g % 97, 'text', repeat('x', g % 300))),
       decode((SELECT string_agg(md5((g * 7 + k)::text), '') FROM generate_series(1, 16) k), 'hex'),
       now() - g * interval '1 second'
FROM generate_series(1, 2000 * $scale) g;
CREATE INDEX wide_created ON public.wide (created);
VACUUM ANALYZE;
CHECKPOINT;
SQL

# Counters of a cluster as one line of name=value.
counters() {
    q "$(uri "$1" postgres)" -F' ' -c "
      SELECT 'wal_bytes=' || wal_bytes, 'wal_fpi=' || wal_fpi, 'wal_records=' || wal_records,
             'wal_write=' || wal_write, 'wal_sync=' || wal_sync FROM pg_stat_wal;
      SELECT 'ckpt=' || (checkpoints_timed + checkpoints_req), 'buf_ckpt=' || buffers_checkpoint,
             'buf_clean=' || buffers_clean, 'buf_backend=' || buffers_backend,
             'backend_fsync=' || buffers_backend_fsync FROM pg_stat_bgwriter;
      SELECT 'commits=' || sum(xact_commit), 'blks_read=' || sum(blks_read), 'blks_hit=' || sum(blks_hit),
             'tup_returned=' || sum(tup_returned), 'temp_bytes=' || sum(temp_bytes) FROM pg_stat_database;" | tr '\n' ' '
}
# Per-table sequential scans and rows read by them in one database.
scans() {
    q "$1" -F' ' -c "SELECT relname || ':seq=' || seq_scan || ',seq_tup=' || seq_tup_read || ',idx=' || coalesce(idx_scan, 0)
                             || ',autovacuum=' || autovacuum_count || ',autoanalyze=' || autoanalyze_count
                      FROM pg_stat_user_tables WHERE schemaname = '$2' ORDER BY relname" | tr '\n' ' '
}
delta() {  # before after: name=after-before for every counter
    awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
        for (i = 1; i <= n; i++) { split(x[i], p, "="); split(y[i], r, "="); printf "%s=%d ", p[1], r[2] - p[2] } }'
}
sample() {  # once a second: what every client session on the target does
    local out=$1 t0; t0=$(date +%s.%N)
    while :; do
        q "$(uri $tgt_port postgres)" -F' ' -c "SELECT to_char(clock_timestamp(), 'SS.MS'), pg_current_wal_lsn(),
               string_agg(coalesce(wait_event, 'cpu') || ':' || left(regexp_replace(query, '\s+', ' ', 'g'), 60), ' | ')
               FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active'
               AND pid <> pg_backend_pid()" >>"$out" 2>/dev/null || true
        sleep 1
    done
}

run_tool() {  # label round
    local label=$1 r=$2 db schema tgt
    case $label in
        pgcopydb) db=prof_pgcopydb schema=public ;;
        *) db=prof_dbclone schema=copy_1 ;;
    esac
    q "$(uri $tgt_port postgres)" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" -c CHECKPOINT
    q "$src" -c "SELECT count(*) FROM pgbench_accounts; SELECT sum(length(body)) + sum(length(blob)) FROM wide" >/dev/null
    q "$(uri $src_port postgres)" -c "SELECT pg_stat_reset()" >/dev/null
    q "$src" -c "SELECT pg_stat_reset()" >/dev/null
    tgt=$(uri $tgt_port $db)
    local before_t before_s; before_t=$(counters $tgt_port); before_s=$(counters $src_port)
    local base=$work/out/$label.r$r
    sample "$base.samples" &
    sampler=$!
    local start end
    start=$(date +%s.%N)
    case $label in
        pgcopydb)
            rm -rf "$work/pgcopydb"
            /usr/bin/time -v -o "$base.time" pgcopydb clone --source "$src" --target "$tgt" --table-jobs "$jobs" \
                --index-jobs "$jobs" --no-owner --dir "$work/pgcopydb" >"$base.log" 2>&1 ;;
        dbclone) /usr/bin/time -v -o "$base.time" "$dbclone" --jobs "$jobs" clone "$src" "$tgt" \
                --schema public:copy_1 "${extra[@]}" >"$base.log" 2>&1 ;;
        dbclone_b) /usr/bin/time -v -o "$base.time" "$dbclone_b" --jobs "$jobs" clone "$src" "$tgt" \
                --schema public:copy_1 "${extra[@]}" >"$base.log" 2>&1 ;;
    esac
    end=$(date +%s.%N)
    kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=""
    sleep 1  # statistics of finished sessions reach shared memory
    local after_t after_s; after_t=$(counters $tgt_port); after_s=$(counters $src_port)
    # Pages the run left dirty (hint bits set by a later reader, visibility
    # map): written by the next checkpoint, after the clock stopped.
    local ckpt_before ckpt_after
    ckpt_before=$(q "$(uri $tgt_port postgres)" -c "SELECT buffers_checkpoint FROM pg_stat_bgwriter")
    q "$(uri $tgt_port postgres)" -c CHECKPOINT
    ckpt_after=$(q "$(uri $tgt_port postgres)" -c "SELECT buffers_checkpoint FROM pg_stat_bgwriter")
    local cpu; cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {m=$2}
                                END { printf "client_user=%.1fs client_sys=%.1fs rss=%dMiB", u, s, m / 1024 }' "$base.time")
    {
        echo "### $label round $r: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s wall, load $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "- $cpu"
        echo "- target: $(delta "$before_t" "$after_t") left_dirty=$((ckpt_after - ckpt_before))"
        echo "- source: $(delta "$before_s" "$after_s")"
        echo "- target scans: $(scans "$tgt" "$schema")"
        echo "- source scans: $(scans "$src" public)"
        echo
    } | tee -a "$work/out/report.md"
    q "$(uri $tgt_port postgres)" -c "DROP DATABASE $db"
}

tools=(dbclone pgcopydb)
[[ -n "$dbclone_b" ]] && tools+=(dbclone_b)
echo "# profile: scale $scale, jobs $jobs, $(date -u +'%Y-%m-%d %H:%M UTC'), dbclone $dbclone ${dbclone_b:+/ B $dbclone_b}" |
    tee "$work/out/report.md"
for ((r = 1; r <= rounds; r++)); do
    for ((k = 0; k < ${#tools[@]}; k++)); do run_tool "${tools[$(((k + r - 1) % ${#tools[@]}))]}" "$r"; done
done
out=${OUT:-/tmp/dbclone-profile-out}
mkdir -p "$out"
cp -r "$work/out/." "$out/"
say "report, samples and logs in $out"

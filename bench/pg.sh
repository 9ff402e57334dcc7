#!/usr/bin/env bash
# PostgreSQL against SQLite, side by side in one run (issue 8: the PostgreSQL
# path within 2x of SQLite for collection, and metrics under the same 200 ms
# target). Three parts, each skippable:
#
#   1. git collection (SKIP_GIT=1 or SKIP_PG_GIT=1 skips): alternates
#        sei --db FILE collect git REPO            into a fresh SQLite file
#        sei --db postgres://... collect git REPO  into a fresh PostgreSQL database
#      then the no-op rerun of each, and checks that both stores hold the same
#      numbers (`sei export commit-files` from each, compared as sets).
#   2. the push API (SKIP_SERVE=1 or SKIP_PG_PUSH=1 skips): `sei serve` on a
#      fresh copy of a demo store, SQLite file or PostgreSQL database (the push
#      writer commits durably on both), wrk -t2 -c64 POST
#      /api/v1/push/deployments with a new id per request for DUR seconds
#      (default 10), alternating backends run by run; then every 2xx answer's
#      id is looked up among the stored rows.
#   3. the metrics summary on the `sei demo --scale` organisation
#      (SKIP_METRICS=1 or SKIP_PG_METRICS=1 skips): metrics_bench on the
#      SQLite scale store (bench/out/demo-scale.db, as bench/run.sh makes it)
#      and on the same organisation in PostgreSQL (written once, kept in the
#      cluster's directory), then one cold GET /api/v1/metrics/{dora,pr}
#      through `sei serve` on each, the answers compared.
#
#   bench/pg.sh                  the generated 50k history (bench/make-history.sh)
#   bench/pg.sh PATH...          also any repositories you name (working trees or bare)
#   RUNS=5 bench/pg.sh           repetitions per measurement (median reported; default 3)
#
# The cluster is PostgreSQL 15 with durable settings (fsync and
# full_page_writes on: build/tests/pg_test_cluster start-durable) on a free
# loopback port; it lives in bench/out/pg-data and keeps its data between
# runs (the scale organisation and the push template database; delete the
# directory to start over). make bench runs this after bench/run.sh's own
# parts (SKIP_PG=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEI="$ROOT/build/bin/sei"
CLUSTER_TOOL="$ROOT/build/tests/pg_test_cluster"
METRICS_BENCH="$ROOT/build/bin/metrics_bench"
OUT="$ROOT/bench/out"
RUNS=${RUNS:-3}
DUR=${DUR:-10}
mkdir -p "$OUT"
source bench/lib.sh
[ -x "$SEI" ] && [ -x "$CLUSTER_TOOL" ] || { echo "bench: build first (make build)" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: psql not found (apt-get install postgresql)" >&2; exit 1; }

STATE="$OUT/pg-cluster"
KEEP="$OUT/pg-data"
WORK=$(mktemp -d)
"$CLUSTER_TOOL" stop "$STATE" >/dev/null 2>&1 || true
CI=true "$CLUSTER_TOOL" start-durable "$STATE" "$KEEP" >&2
trap 'serve_stop; "$CLUSTER_TOOL" stop "$STATE" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
PORT=$(cat "$STATE/port")
ADMIN="postgres://postgres@127.0.0.1:$PORT/postgres"
pg_url() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }

# fresh_pg NAME [TEMPLATE]: database NAME, empty (or a copy of TEMPLATE).
fresh_pg() {
  PGOPTIONS="-c client_min_messages=warning" psql -q "$ADMIN" \
    -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
    -c "CREATE DATABASE $1${2:+ TEMPLATE $2}" >/dev/null
}

# ---- 1. git collection ----

bench_repo() {
  local repo=$1 label=$2
  local db="$OUT/pg-bench.db" pgurl; pgurl=$(pg_url sei_bench)
  local commits; commits=$(git -C "$repo" rev-list --branches --tags | wc -l)
  cat "$repo"/objects/pack/* "$repo"/.git/objects/pack/* >/dev/null 2>&1 || true
  local st=() sm=() sn=() pt=() pm=() pn=() i t m
  for i in $(seq "$RUNS"); do
    rm -f "$db" "$db-wal" "$db-shm"
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    st+=("$t"); sm+=("$m")
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    sn+=("$t")
    fresh_pg sei_bench
    read -r t m < <(measure "$SEI" --db "$pgurl" --progress never collect git "$repo")
    pt+=("$t"); pm+=("$m")
    read -r t m < <(measure "$SEI" --db "$pgurl" --progress never collect git "$repo")
    pn+=("$t")
  done
  local s p snoop pnoop smem pmem
  s=$(printf '%s\n' "${st[@]}" | median); p=$(printf '%s\n' "${pt[@]}" | median)
  snoop=$(printf '%s\n' "${sn[@]}" | median); pnoop=$(printf '%s\n' "${pn[@]}" | median)
  smem=$(printf '%s\n' "${sm[@]}" | median); pmem=$(printf '%s\n' "${pm[@]}" | median)
  "$SEI" --db "$db" export commit-files --format tsv | sort > "$OUT/pg-bench-sqlite.tsv"
  "$SEI" --db "$pgurl" export commit-files --format tsv | sort > "$OUT/pg-bench-postgres.tsv"
  local parity="equal"
  cmp -s "$OUT/pg-bench-sqlite.tsv" "$OUT/pg-bench-postgres.tsv" ||
    parity="DIFFERENT ($(diff "$OUT/pg-bench-sqlite.tsv" "$OUT/pg-bench-postgres.tsv" | grep -c '^[<>]') lines)"
  local rows; rows=$(wc -l < "$OUT/pg-bench-postgres.tsv")
  printf '| %s | %s | %s | %.2f s | %.2f s | **%.2f** | %s MiB | %s MiB | %.3f s | %.3f s | %s |\n' \
    "$label" "$commits" "$rows" "$s" "$p" "$(awk -v a="$p" -v b="$s" 'BEGIN{print a/b}')" \
    "$((smem / 1024))" "$((pmem / 1024))" "$snoop" "$pnoop" "$parity" | tee -a "$OUT/results.md"
}

if [ -z "${SKIP_GIT:-}${SKIP_PG_GIT:-}" ]; then
  {
    echo
    echo "# sei collect git into SQLite vs PostgreSQL 15 ($(nproc) cores, $RUNS runs, medians; $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| repository | commits | file rows | SQLite | PostgreSQL | ratio | SQLite peak RSS | PostgreSQL peak RSS (sei) | SQLite no-op | PostgreSQL no-op | numbers |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  } | tee -a "$OUT/results.md"
  [ -d "$OUT/history-50k.git" ] || bash bench/make-history.sh "$OUT/history-50k.git" 50000 3000 >&2
  bench_repo "$OUT/history-50k.git" "generated, 50k commits"
  for repo in "$@"; do
    bench_repo "$(cd "$repo" && pwd)" "$(basename "$repo")"
  done
fi

# ---- 2. the push API ----

# cpu_s PID: the user + system CPU seconds of a running process.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# pg_cpu_s: the cluster's CPU seconds: the postmaster, its live processes and
# those that ended (the postmaster's children's times).
pg_cpu_s() {
  local pm hz; pm=$(head -n 1 "$KEEP/data/postmaster.pid"); hz=$(getconf CLK_TCK)
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
    for c in $(ps --ppid "$pm" -o pid=); do awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk -v hz="$hz" '{s += $1} END {printf "%.2f", s / hz}'
}

# push_run BACKEND: one wrk run against `sei serve` on a fresh copy of the
# demo store; appends "pushes/s p50 p90 p99 2xx stored missing sei-cpu-us
# pg-cpu-us" (CPU microseconds a 2xx push) to $WORK/push-BACKEND.
push_run() {
  local backend=$1 db
  if [ "$backend" = sqlite ]; then
    db="$WORK/push.db"
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$OUT/demo-push.db" "$db"
  else
    fresh_pg sei_push sei_push_template
    db=$(pg_url sei_push)
  fi
  local token; token=$("$SEI" --db "$db" token create --role admin --name bench 2>/dev/null)
  serve_start "$db"
  # Waits for the first metrics load, so that it does not run inside the measurement.
  curl -sf -H "Authorization: Bearer $token" "$SERVE_URL/api/v1/metrics/dora?since=90d" >/dev/null
  local tag="r$(date +%s%N)"
  rm -f "$WORK"/ok.*
  push_lua "$WORK/push.lua" "$token" "$tag" "$WORK/ok"
  echo "push into $backend (load $(cut -d' ' -f1 /proc/loadavg)):" >&2
  local s0 p0 s1 p1
  s0=$(cpu_s "$SERVE_PID"); p0=$(pg_cpu_s)
  wrk_run -t2 -c64 -d"${DUR}s" -s "$WORK/push.lua" "$SERVE_URL" >&2
  s1=$(cpu_s "$SERVE_PID"); p1=$(pg_cpu_s)
  serve_stop
  local like="push:bench:deployment:$tag-%"
  db_query "$db" "select id from deployments where id like '$like'" | sort >"$WORK/stored"
  cat "$WORK"/ok.* | sort >"$WORK/ok.sorted"
  local ok stored missing
  ok=$(wc -l <"$WORK/ok.sorted"); stored=$(wc -l <"$WORK/stored")
  missing=$(comm -23 "$WORK/ok.sorted" "$WORK/stored" | wc -l)
  echo "  2xx answers $ok (wrk: $WRK_REQUESTS answers, $WRK_NON2XX non-2xx), stored rows $stored, 2xx without a row $missing" >&2
  echo "  CPU during the run: sei serve $(awk -v a="$s1" -v b="$s0" 'BEGIN{print a-b}') s, PostgreSQL $(awk -v a="$p1" -v b="$p0" 'BEGIN{print a-b}') s" >&2
  echo "$WRK_RPS $WRK_P50 $WRK_P90 $WRK_P99 $ok $stored $missing" \
    "$(awk -v a="$s1" -v b="$s0" -v n="$ok" 'BEGIN{printf "%.0f", (a - b) * 1e6 / n}')" \
    "$(awk -v a="$p1" -v b="$p0" -v n="$ok" 'BEGIN{printf "%.0f", (a - b) * 1e6 / n}')" >>"$WORK/push-$backend"
}

# col FILE N: column N of every run, median.
col() { awk -v n="$2" '{print $n}' "$1" | median; }
runs() { awk -v n="$2" '{printf "%s%s", (NR > 1 ? " / " : ""), $n}' "$1"; }
sum() { awk -v n="$2" '{s += $n} END {print s}' "$1"; }

if [ -z "${SKIP_SERVE:-}${SKIP_PG_PUSH:-}" ]; then
  command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
  # The same demo organisation on both (sei demo is seeded), written once.
  if [ ! -f "$OUT/demo-push.db.done" ]; then
    rm -f "$OUT/demo-push.db"*
    "$SEI" --db "$OUT/demo-push.db" --progress never demo >/dev/null
    touch "$OUT/demo-push.db.done"
  fi
  if [ ! -f "$KEEP/sei_push_template.done" ]; then
    fresh_pg sei_push_template
    "$SEI" --db "$(pg_url sei_push_template)" --progress never demo >/dev/null
    touch "$KEEP/sei_push_template.done"
  fi
  rm -f "$WORK"/push-*
  for i in $(seq "$RUNS"); do
    # Alternating, and which goes first too.
    if [ $((i % 2)) -eq 1 ]; then push_run sqlite; push_run postgres
    else push_run postgres; push_run sqlite; fi
  done
  s=$(col "$WORK/push-sqlite" 1); p=$(col "$WORK/push-postgres" 1)
  {
    echo
    echo "# push API, sei serve (durable) on SQLite vs PostgreSQL 15: wrk -t2 -c64 -d${DUR}s POST /api/v1/push/deployments ($(nproc) cores, $RUNS runs each, alternating, medians; $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| backend | pushes/s | p50 | p90 | p99 | pushes/s, each run | CPU µs a push: sei serve | CPU µs a push: PostgreSQL | 2xx answers | stored rows | 2xx without a stored row |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for b in sqlite postgres; do
      f="$WORK/push-$b"
      printf '| %s | **%s** | %s ms | %s ms | %s ms | %s | %s | %s | %s | %s | %s |\n' "$b" "$(col "$f" 1)" \
        "$(col "$f" 2)" "$(col "$f" 3)" "$(col "$f" 4)" "$(runs "$f" 1)" "$(col "$f" 8)" \
        "$(col "$f" 9)" "$(sum "$f" 5)" "$(sum "$f" 6)" "$(sum "$f" 7)"
    done
    echo
    echo "PostgreSQL / SQLite throughput: **$(awk -v a="$p" -v b="$s" 'BEGIN{printf "%.2f", a/b}')** (target: within 2x, >= 0.50)"
  } | tee -a "$OUT/results.md"
fi

# ---- 3. the metrics summary on the scale organisation ----

# metrics_run LABEL DB: metrics_bench's org and team summaries; prints a row.
metrics_run() {
  local label=$1 db=$2 json="$WORK/metrics.json"
  SEI_BENCH_DB="$db" "$METRICS_BENCH" --benchmark_filter='^BM_(Org|Team)YearDoraAndPr$' \
    --benchmark_min_time=3 --benchmark_out="$json" --benchmark_out_format=json >/dev/null 2>&1 || {
    echo "bench: metrics_bench failed on $db" >&2; exit 1; }
  python3 - "$label" "$json" <<'PYEOF'
import json, sys
label, path = sys.argv[1], sys.argv[2]
b = {x["name"]: x for x in json.load(open(path))["benchmarks"]}
org, team = b["BM_OrgYearDoraAndPr"], b["BM_TeamYearDoraAndPr"]
scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
ms = lambda x, k="real_time": x[k] * scale[x["time_unit"]]
print(f"| {label} | {org['load_s']:.1f} s | **{ms(org):.1f} ms** | {ms(org, 'cpu_time'):.1f} ms | "
      f"{ms(team):.1f} ms | {org['peak_rss_mib']:.0f} MiB | "
      f"{org['prs']:.0f} PRs, {org['deployments']:.0f} deployments |")
PYEOF
}

# cold_get LABEL DB: `sei serve` on DB; the time from its start to the first
# answer of a one-year org DORA query (the Dataset load included), then an
# uncached PR-flow query on the loaded Dataset. The first request's token
# use is a write (the token's last_used_at), which makes the server load the
# Dataset once more (at once on PostgreSQL, which announces commits; at the
# next poll on SQLite): the PR query waits for that load to finish (the
# answers' X-Sei-Data-Generation header says 2) and 3 s more (freeing the
# previous Dataset), so that it does not run beside them. Leaves the bodies
# in $WORK/cold-LABEL-{dora,pr}.json.
cold_get() {
  local label=$1 db=$2 token q="since=2025-11-30&until=2026-11-30&granularity=week"
  token=$("$SEI" --db "$db" token create --role admin --name bench 2>/dev/null)
  local t0 t1 t2 t3 gen=1
  t0=$(date +%s.%N)
  serve_start "$db" --no-worker
  t1=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $token" "$SERVE_URL/api/v1/metrics/dora?$q" >"$WORK/cold-$label-dora.json"
  t2=$(date +%s.%N)
  for _ in $(seq 240); do
    gen=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $token" "$SERVE_URL/api/v1/metrics/dora?$q" |
      tr -d '\r' | awk -F': ' 'tolower($1) == "x-sei-data-generation" {print $2}')
    [ "${gen:-1}" -ge 2 ] && break
    sleep 0.5
  done
  t3=$(date +%s.%N)
  sleep 3
  local tpr; tpr=$(curl -sf -o "$WORK/cold-$label-pr.json" -w '%{time_total}' \
    -H "Authorization: Bearer $token" "$SERVE_URL/api/v1/metrics/pr?$q")
  serve_stop
  printf '| %s | %.1f s | %.1f s | %.1f s | %.0f ms |\n' "$label" "$(awk -v a="$t1" -v b="$t0" 'BEGIN{print a-b}')" \
    "$(awk -v a="$t2" -v b="$t0" 'BEGIN{print a-b}')" "$(awk -v a="$t3" -v b="$t2" 'BEGIN{print a-b}')" \
    "$(awk -v a="$tpr" 'BEGIN{print a*1000}')"
}

if [ -z "${SKIP_METRICS:-}${SKIP_PG_METRICS:-}" ]; then
  [ -x "$METRICS_BENCH" ] || { echo "bench: build metrics_bench first" >&2; exit 1; }
  scale_sqlite
  SCALE_PG=$(pg_url sei_scale)
  if [ ! -f "$KEEP/sei_scale.done" ]; then
    fresh_pg sei_scale
    echo "bench: writing the scale demo organisation into PostgreSQL (several minutes)" >&2
    read -r t m < <(MEASURE_STDOUT="$KEEP/sei_scale.log" measure "$SEI" --db "$SCALE_PG" --progress never demo --scale)
    # Autovacuum would analyze the new tables while the metrics below run:
    # done here once, as on a database in service.
    read -r vt _ < <(measure psql -qX "$SCALE_PG" -c "VACUUM (ANALYZE)")
    {
      echo "| sei demo --scale into PostgreSQL (write + derive$(demo_split "$KEEP/sei_scale.log" "$t")) | $t s | $((m / 1024)) MiB |"
      echo "| then VACUUM (ANALYZE) of the new PostgreSQL database | $vt s | |"
    } >"$KEEP/sei_scale.done"
  fi
  # The linker re-run on each (reads everything, finds nothing to change).
  read -r lst lsm < <(measure "$SEI" --db "$SCALE_DB" link)
  read -r lpt lpm < <(measure "$SEI" --db "$SCALE_PG" link)
  {
    echo
    echo "# metrics on the scale organisation, SQLite vs PostgreSQL 15 ($(nproc) cores; $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| step | time | peak RSS |"
    echo "| --- | --- | --- |"
    cat "$SCALE_DB.done" "$KEEP/sei_scale.done"
    echo "| sei link re-run, SQLite | $lst s | $((lsm / 1024)) MiB |"
    echo "| sei link re-run, PostgreSQL | $lpt s | $((lpm / 1024)) MiB |"
    echo
    echo "| backend | Dataset load | org DORA + PR flow, one year, weekly | (its CPU time) | one team | peak RSS | Dataset |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for i in $(seq "$RUNS"); do
      metrics_run sqlite "$SCALE_DB"
      metrics_run postgres "$SCALE_PG"
    done
    echo
    echo "| backend | sei serve start to listening | to the first dora answer (Dataset load included) | then the reload its token's use caused | then an uncached pr answer |"
    echo "| --- | --- | --- | --- | --- |"
    cold_get sqlite "$SCALE_DB"
    cold_get postgres "$SCALE_PG"
    same=equal
    for f in dora pr; do
      python3 - "$WORK/cold-sqlite-$f.json" "$WORK/cold-postgres-$f.json" <<'PYEOF' || same=DIFFERENT
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b): d.pop("data", None)
sys.exit(0 if a == b else 1)
PYEOF
    done
    echo
    echo "dora and pr answers from both backends (without their data.generation and loaded_at): $same"
  } | tee -a "$OUT/results.md"
fi

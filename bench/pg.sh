#!/usr/bin/env bash
# Git collection into SQLite and into PostgreSQL, side by side in one run
# (issue 8: the PostgreSQL path within 2x of SQLite).
#
#   bench/pg.sh                  the generated 50k history (bench/make-history.sh)
#   bench/pg.sh PATH...          also any repositories you name (working trees or bare)
#   RUNS=5 bench/pg.sh           repetitions per measurement (median reported; default 3)
#
# It starts a throwaway PostgreSQL 15 cluster with durable settings (fsync and
# full_page_writes on: build/tests/pg_test_cluster start-durable) on a free
# loopback port, and for each repository alternates, so machine noise hits
# both:
#   sei --db FILE collect git REPO          into a fresh SQLite file
#   sei --db postgres://... collect git REPO into a fresh PostgreSQL database
# then the no-op rerun of each, and checks that both stores hold the same
# numbers (`sei export commit-files` from each, compared as sets).
# make bench runs it after bench/run.sh (SKIP_PG=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEI="$ROOT/build/bin/sei"
CLUSTER_TOOL="$ROOT/build/tests/pg_test_cluster"
OUT="$ROOT/bench/out"
RUNS=${RUNS:-3}
mkdir -p "$OUT"
[ -x "$SEI" ] && [ -x "$CLUSTER_TOOL" ] || { echo "bench: build first (make build)" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: psql not found (apt-get install postgresql)" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {m=int((NR+1)/2); print a[m]}'; }

# measure CMD... -> prints "seconds max_rss_kib"
measure() {
  local tf; tf=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>"$OUT/last-stderr.txt" || {
    echo "bench: command failed: $*" >&2; cat "$OUT/last-stderr.txt" >&2; rm -f "$tf"; exit 1; }
  tail -n 1 "$tf"; rm -f "$tf"
}

STATE="$OUT/pg-cluster"
"$CLUSTER_TOOL" stop "$STATE" >/dev/null 2>&1 || true
CI=true "$CLUSTER_TOOL" start-durable "$STATE" >&2
trap '"$CLUSTER_TOOL" stop "$STATE" >/dev/null 2>&1 || true' EXIT
PORT=$(cat "$STATE/port")
ADMIN="postgres://postgres@127.0.0.1:$PORT/postgres"
PGURL="postgres://postgres@127.0.0.1:$PORT/sei_bench"

fresh_pg() {
  PGOPTIONS="-c client_min_messages=warning" psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS sei_bench WITH (FORCE)" -c "CREATE DATABASE sei_bench" >/dev/null
}

bench_repo() {
  local repo=$1 label=$2
  local db="$OUT/pg-bench.db"
  local commits; commits=$(git -C "$repo" rev-list --branches --tags | wc -l)
  cat "$repo"/objects/pack/* "$repo"/.git/objects/pack/* >/dev/null 2>&1 || true
  local st=() sm=() sn=() pt=() pm=() pn=()
  for i in $(seq "$RUNS"); do
    rm -f "$db" "$db-wal" "$db-shm"
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    st+=("$t"); sm+=("$m")
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    sn+=("$t")
    fresh_pg
    read -r t m < <(measure "$SEI" --db "$PGURL" --progress never collect git "$repo")
    pt+=("$t"); pm+=("$m")
    read -r t m < <(measure "$SEI" --db "$PGURL" --progress never collect git "$repo")
    pn+=("$t")
  done
  local s p snoop pnoop smem pmem
  s=$(printf '%s\n' "${st[@]}" | median); p=$(printf '%s\n' "${pt[@]}" | median)
  snoop=$(printf '%s\n' "${sn[@]}" | median); pnoop=$(printf '%s\n' "${pn[@]}" | median)
  smem=$(printf '%s\n' "${sm[@]}" | median); pmem=$(printf '%s\n' "${pm[@]}" | median)
  "$SEI" --db "$db" export commit-files --format tsv | sort > "$OUT/pg-bench-sqlite.tsv"
  "$SEI" --db "$PGURL" export commit-files --format tsv | sort > "$OUT/pg-bench-postgres.tsv"
  local parity="equal"
  cmp -s "$OUT/pg-bench-sqlite.tsv" "$OUT/pg-bench-postgres.tsv" ||
    parity="DIFFERENT ($(diff "$OUT/pg-bench-sqlite.tsv" "$OUT/pg-bench-postgres.tsv" | grep -c '^[<>]') lines)"
  local rows; rows=$(wc -l < "$OUT/pg-bench-postgres.tsv")
  printf '| %s | %s | %s | %.2f s | %.2f s | **%.2f** | %s MiB | %s MiB | %.3f s | %.3f s | %s |\n' \
    "$label" "$commits" "$rows" "$s" "$p" "$(awk -v a="$p" -v b="$s" 'BEGIN{print a/b}')" \
    "$((smem / 1024))" "$((pmem / 1024))" "$snoop" "$pnoop" "$parity" | tee -a "$OUT/results.md"
}

{
  echo
  echo "# sei collect git into SQLite vs PostgreSQL 15 ($(nproc) cores, $RUNS runs, medians; $(date -u +%F))"
  echo
  echo "| repository | commits | file rows | SQLite | PostgreSQL | ratio | SQLite peak RSS | PostgreSQL peak RSS (sei) | SQLite no-op | PostgreSQL no-op | numbers |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} | tee -a "$OUT/results.md"

[ -d "$OUT/history-50k.git" ] || bash bench/make-history.sh "$OUT/history-50k.git" 50000 3000 >&2
bench_repo "$OUT/history-50k.git" "generated, 50k commits"
for repo in "$@"; do
  bench_repo "$(cd "$repo" && pwd)" "$(basename "$repo")"
done

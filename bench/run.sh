#!/usr/bin/env bash
# make bench: the git collection benchmark, side by side in one run.
#
#   bench/run.sh                 generated history (50,000 commits) + memory check at 100,000
#   bench/run.sh PATH...         also any repositories you name (working trees or bare)
#   RUNS=5 bench/run.sh          repetitions per measurement (median reported; default 3)
#   SKIP_100K=1 bench/run.sh     skip the 100,000-commit memory check
#   SKIP_GIT=1 bench/run.sh      only the metrics part (below)
#   SKIP_METRICS=1 bench/run.sh  skip the metrics part
#   SKIP_SERVE=1 bench/run.sh    skip the sei serve load test (bench/serve.sh)
#   SKIP_PG=1 bench/run.sh       skip PostgreSQL against SQLite (bench/pg.sh: git
#                                collection, the push API, the scale metrics; SKIP_GIT,
#                                SKIP_SERVE and SKIP_METRICS skip its parts too, and
#                                SKIP_PG_GIT, SKIP_PG_PUSH, SKIP_PG_METRICS only them)
#
# For each repository it times, alternating runs so machine noise hits both:
#   git log --branches --tags --numstat --no-renames --diff-merges=first-parent > /dev/null
#   sei collect git REPO   into a fresh database (full collection)
#   sei collect git REPO   again (the no-op incremental run)
# and prints the ratio sei/git and the peak memory (max RSS) of each. It also
# checks that sei's numbers equal git's (the same numstat lines).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEI="$ROOT/build/bin/sei"
OUT="$ROOT/bench/out"
RUNS=${RUNS:-3}
mkdir -p "$OUT"
[ -x "$SEI" ] || { echo "bench: build first (make build)" >&2; exit 1; }
source bench/lib.sh

bench_repo() {
  local repo=$1 label=$2
  local db="$OUT/bench.db"
  local commits; commits=$(git -C "$repo" rev-list --branches --tags | wc -l)
  # Warm the page cache for both contenders.
  cat "$repo"/objects/pack/* "$repo"/.git/objects/pack/* >/dev/null 2>&1 || true
  local gt=() gm=() st=() sm=() nt=()
  for i in $(seq "$RUNS"); do
    read -r t m < <(measure git -C "$repo" log --branches --tags --numstat --no-renames \
      --diff-merges=first-parent --format=%H)
    gt+=("$t"); gm+=("$m")
    rm -f "$db" "$db-wal" "$db-shm"
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    st+=("$t"); sm+=("$m")
    read -r t m < <(measure "$SEI" --db "$db" --progress never collect git "$repo")
    nt+=("$t")
  done
  local g s n gmem smem
  g=$(printf '%s\n' "${gt[@]}" | median); s=$(printf '%s\n' "${st[@]}" | median)
  n=$(printf '%s\n' "${nt[@]}" | median)
  gmem=$(printf '%s\n' "${gm[@]}" | median); smem=$(printf '%s\n' "${sm[@]}" | median)
  # Parity: the same numstat lines, as sets.
  git -C "$repo" -c core.quotePath=false log --branches --tags --numstat --no-renames \
    --diff-merges=first-parent --format='@%H' | awk -F'\t' '/^@/{sha=substr($0,2); next} NF{print sha "\t" $3 "\t" $1 "\t" $2}' \
    | sort > "$OUT/git-numstat.tsv"
  "$SEI" --db "$db" export commit-files --format tsv | sort > "$OUT/sei-numstat.tsv"
  local parity="equal"
  cmp -s "$OUT/git-numstat.tsv" "$OUT/sei-numstat.tsv" || parity="DIFFERENT ($(diff "$OUT/git-numstat.tsv" "$OUT/sei-numstat.tsv" | grep -c '^[<>]') lines)"
  local rows; rows=$(wc -l < "$OUT/sei-numstat.tsv")
  printf '| %s | %s | %s | %.2f s | %.2f s | **%.2f** | %s | %s | %.3f s | %s |\n' \
    "$label" "$commits" "$rows" "$g" "$s" "$(awk -v a="$s" -v b="$g" 'BEGIN{print a/b}')" \
    "$((gmem / 1024)) MiB" "$((smem / 1024)) MiB" "$n" "$parity" | tee -a "$OUT/results.md"
}

: > "$OUT/results.md"
echo "# sei collect git vs git log --numstat ($(nproc) cores, $RUNS runs, medians; $(date -u +%F))" | tee -a "$OUT/results.md"
echo | tee -a "$OUT/results.md"
echo "| repository | commits | file rows | git log --numstat | sei collect | ratio | git peak RSS | sei peak RSS | sei no-op | numbers |" | tee -a "$OUT/results.md"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |" | tee -a "$OUT/results.md"

if [ -z "${SKIP_GIT:-}" ]; then
  bash bench/make-history.sh "$OUT/history-50k.git" 50000 3000 >&2
  bench_repo "$OUT/history-50k.git" "generated, 50k commits"
  for repo in "$@"; do
    bench_repo "$(cd "$repo" && pwd)" "$(basename "$repo")"
  done
  if [ -z "${SKIP_100K:-}" ]; then
    bash bench/make-history.sh "$OUT/history-100k.git" 100000 5000 >&2
    RUNS=1 bench_repo "$OUT/history-100k.git" "generated, 100k commits"
  fi
fi

# Metrics on the scale organisation: `sei demo --scale` (1M commits, 200k PRs,
# 50k+ production deployments) into a store kept in bench/out (made once; the
# demo refuses to rewrite a different one), identity resolution and linking
# (timed), then the engine on a warm Dataset: DORA + PR flow with weekly
# series over one year, for the organisation and for one team.
if [ -z "${SKIP_METRICS:-}" ]; then
  scale_sqlite
  read -r lt lm < <(measure "$SEI" --db "$SCALE_DB" link)
  {
    echo
    echo "| step | time | peak RSS |"
    echo "| --- | --- | --- |"
    cat "$SCALE_DB.done"
    echo "| sei link (re-run on the scale store) | $lt s | $((lm / 1024)) MiB |"
    echo
  } | tee -a "$OUT/results.md"
  if [ -x build/bin/metrics_bench ]; then
    SEI_BENCH_DB="$SCALE_DB" build/bin/metrics_bench --benchmark_min_time=3 2>/dev/null |
      tee -a "$OUT/results.md"
  fi
fi

# PostgreSQL against SQLite, side by side (bench/pg.sh): git collection, the
# push API and the metrics summary on the scale organisation.
if [ -z "${SKIP_PG:-}" ]; then
  bash bench/pg.sh
fi

# sei serve under load (wrk): the cached metrics read and the push API.
if [ -z "${SKIP_SERVE:-}" ]; then
  bash bench/serve.sh | tee -a "$OUT/results.md"
fi

echo
[ -n "${SKIP_GIT:-}" ] && { echo "results: $OUT/results.md"; exit 0; }
for b in build/bin/line_diff_bench build/bin/object_db_bench; do
  if [ -x "$b" ]; then
    "$b" --benchmark_min_time=0.5 2>/dev/null | tail -n +1
  fi
done
echo
echo "results: $OUT/results.md"

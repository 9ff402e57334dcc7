#!/usr/bin/env bash
# make-history.sh OUT_DIR [COMMITS] [FILES]
#
# Builds the generated history for the git collection benchmark: a bare
# repository at OUT_DIR holding `gen_history --commits COMMITS --files FILES`
# (defaults 50000 and 3000; SEED and AUTHORS from the environment, defaults 1
# and 40), packed the way a maintained repository is:
#
#   gen_history ... | git fast-import --depth=0     (no deltas yet: fast)
#   git repack -a -d -F --depth=50 --window=50      (one pack, real deltas)
#
# Idempotent: OUT_DIR/sei-history.params records the generator version and
# parameters once the repository is complete; when they match, nothing is
# done. A directory that holds something else is never replaced. The build
# happens in OUT_DIR.tmp.PID and is moved into place at the end, so an
# interrupted run leaves no half-made repository behind. Timings go to stderr
# and to OUT_DIR/sei-history.log.
#
# gen_history is taken from $GEN_HISTORY, else build/bin/gen_history (built
# with cmake when missing).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
OUT=$1
COMMITS=${2:-50000}
FILES=${3:-3000}
SEED=${SEED:-1}
AUTHORS=${AUTHORS:-40}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPACK=(repack -a -d -F -q --depth=50 --window=50)

# No user or system configuration may change how objects are packed.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY

GEN=${GEN_HISTORY:-$ROOT/build/bin/gen_history}
if [ ! -x "$GEN" ]; then
  if [ -z "${GEN_HISTORY:-}" ] && [ -f "$ROOT/build/CMakeCache.txt" ]; then
    cmake --build "$ROOT/build" --target gen_history >&2
  fi
  [ -x "$GEN" ] || { echo "make-history: no gen_history at $GEN (build first, or set GEN_HISTORY)" >&2; exit 1; }
fi

PARAMS="$("$GEN" --version) commits=$COMMITS files=$FILES seed=$SEED authors=$AUTHORS git=${REPACK[*]}"
STAMP="$OUT/sei-history.params"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PARAMS" ] &&
  git --git-dir="$OUT" rev-parse -q --verify refs/heads/main >/dev/null; then
  echo "make-history: $OUT is up to date ($PARAMS)" >&2
  exit 0
fi
if [ -e "$OUT" ] && [ ! -f "$STAMP" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
  echo "make-history: refusing to replace $OUT: it was not made by make-history.sh" >&2
  exit 1
fi

TMP="$OUT.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$TMP"
mkdir -p "$(dirname "$OUT")"
git init -q --bare "$TMP"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "make-history: generating and importing $COMMITS commits, $FILES files into $OUT" >&2
t0=$(now)
"$GEN" --commits "$COMMITS" --files "$FILES" --seed "$SEED" --authors "$AUTHORS" |
  git --git-dir="$TMP" -c core.compression=1 fast-import --quiet --depth=0 --active-branches=64
t_import=$(elapsed "$t0")

t0=$(now)
git --git-dir="$TMP" "${REPACK[@]}"
t_repack=$(elapsed "$t0")

pack_kib=$(du -sk "$TMP/objects/pack" | cut -f1)
summary="generate+import ${t_import} s, repack ${t_repack} s, pack $((pack_kib / 1024)) MiB,"
summary+=" $(git --git-dir="$TMP" rev-list --count --branches --tags) commits,"
summary+=" $(git --git-dir="$TMP" for-each-ref | wc -l) refs"
echo "$PARAMS" > "$TMP/sei-history.log"
echo "$summary" >> "$TMP/sei-history.log"
echo "$PARAMS" > "$TMP/sei-history.params"
rm -rf "$OUT"
mv "$TMP" "$OUT"
trap - EXIT
echo "make-history: $OUT: $summary" >&2

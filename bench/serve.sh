#!/usr/bin/env bash
# sei serve under load (part of make bench; alone: bash bench/serve.sh).
# Starts `sei serve` on a free loopback port against a demo store
# (bench/out/demo-serve.db, made once), then with wrk, 64 connections:
#   1. the cached metrics read: GET /api/v1/metrics/dora (org, 90 days)
#   2. the push API: POST /api/v1/push/deployments with a new id each request
# and prints requests/s and latency percentiles, and the rows the pushes
# left in the store (every 2xx must be a stored row).
# The push API into PostgreSQL against SQLite, side by side: bench/pg.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEI="$ROOT/build/bin/sei"
OUT="$ROOT/bench/out"
DUR=${DUR:-10}
mkdir -p "$OUT"
source bench/lib.sh
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
DB="$OUT/demo-serve.db"
[ -f "$DB.done" ] || { rm -f "$DB"*; "$SEI" --db "$DB" --progress never demo >/dev/null; touch "$DB.done"; }
TOKEN=$("$SEI" --db "$DB" token create --role admin --name bench 2>/dev/null)
WORK=$(mktemp -d)
trap 'serve_stop; rm -rf "$WORK"' EXIT
serve_start "$DB"
curl -sf -H "Authorization: Bearer $TOKEN" "$SERVE_URL/api/v1/metrics/dora?since=90d" >/dev/null

echo "## sei serve, wrk -t2 -c64 -d${DUR}s on loopback ($(date -u +%F))"
echo
echo "### cached read: GET /api/v1/metrics/dora?since=90d"
wrk_run -t2 -c64 -d"${DUR}s" -H "Authorization: Bearer $TOKEN" \
  "$SERVE_URL/api/v1/metrics/dora?since=90d"

TAG="s$(date +%s)"
push_lua "$WORK/push.lua" "$TOKEN" "$TAG" "$WORK/ok"
echo
echo "### push: POST /api/v1/push/deployments (a new deployment per request)"
wrk_run -t2 -c64 -d"${DUR}s" -s "$WORK/push.lua" "$SERVE_URL"
serve_stop
STORED=$(db_query "$DB" "select count(*) from deployments where id like 'push:bench:deployment:$TAG-%'")
cat "$WORK"/ok.* | sort >"$WORK/ok.sorted"
db_query "$DB" "select id from deployments where id like 'push:bench:deployment:$TAG-%'" | sort >"$WORK/stored"
MISSING=$(comm -23 "$WORK/ok.sorted" "$WORK/stored" | wc -l)
echo
echo "deployments stored by the push run: $STORED for $(wc -l <"$WORK/ok.sorted") 2xx answers; 2xx answers without a stored row: $MISSING"

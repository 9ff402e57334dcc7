#!/usr/bin/env bash
# sei serve under load (part of make bench; alone: bash bench/serve.sh).
# Starts `sei serve` on a free loopback port against a demo store
# (bench/out/demo-serve.db, made once), then with wrk, 64 connections:
#   1. the cached metrics read: GET /api/v1/metrics/dora (org, 90 days)
#   2. the push API: POST /api/v1/push/deployments with a new id each request
# and prints requests/s and latency percentiles, and the rows the pushes
# left in the store (every 2xx must be a stored row).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SEI="$ROOT/build/bin/sei"
OUT="$ROOT/bench/out"
DUR=${DUR:-10}
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
DB="$OUT/demo-serve.db"
[ -f "$DB.done" ] || { rm -f "$DB"*; "$SEI" --db "$DB" --progress never demo >/dev/null; touch "$DB.done"; }
TOKEN=$("$SEI" --db "$DB" token create --role admin --name bench 2>/dev/null)
LOG=$(mktemp)
"$SEI" --db "$DB" serve --listen 127.0.0.1:0 --access-log off >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG" "$LUA"' EXIT
for _ in $(seq 100); do grep -q listening "$LOG" && break; sleep 0.1; done
ADDR=$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$LOG")
URL="http://$ADDR"
curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/metrics/dora?since=90d" >/dev/null

echo "## sei serve, wrk -t2 -c64 -d${DUR}s on loopback ($(date -u +%F))"
echo
echo "### cached read: GET /api/v1/metrics/dora?since=90d"
wrk -t2 -c64 -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/metrics/dora?since=90d" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx"

LUA=$(mktemp --suffix=.lua)
cat >"$LUA" <<LUAEOF
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) prefix = "b" .. tid .. "-" .. os.time() .. "-" end
request = function()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. counter .. '","environment":"staging","service":"bench",' ..
               '"result":"success","started_at":"2026-11-20T10:00:00Z"}'
  return wrk.format("POST", "/api/v1/push/deployments?connection=bench",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}, body)
end
LUAEOF
BEFORE=$(sqlite3 "$DB" "select count(*) from deployments where connection_id='push:bench'")
echo
echo "### push: POST /api/v1/push/deployments (a new deployment per request)"
wrk -t2 -c64 -d"${DUR}s" --latency -s "$LUA" "$URL" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
kill -TERM $PID; wait $PID || true
AFTER=$(sqlite3 "$DB" "select count(*) from deployments where connection_id='push:bench'")
echo
echo "deployments stored by the push run: $((AFTER - BEFORE))"

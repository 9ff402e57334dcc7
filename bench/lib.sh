# Shell shared by bench/run.sh, bench/pg.sh and bench/serve.sh (sourced, not run).
# The sourcing script sets ROOT (the repository), SEI (build/bin/sei) and OUT
# (bench/out) first.

median() { sort -n | awk '{a[NR]=$1} END {m=int((NR+1)/2); print a[m]}'; }

# measure CMD... -> prints "seconds max_rss_kib" (the command's output goes to
# $MEASURE_STDOUT when set, else nowhere)
measure() {
  local tf; tf=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >"${MEASURE_STDOUT:-/dev/null}" 2>"$OUT/last-stderr.txt" || {
    echo "bench: command failed: $*" >&2; cat "$OUT/last-stderr.txt" >&2; rm -f "$tf"; exit 1; }
  tail -n 1 "$tf"; rm -f "$tf"
}

is_pg() { [[ $1 == postgres://* || $1 == postgresql://* ]]; }

# db_query DB SQL: one value from a SQLite file or a PostgreSQL URL.
db_query() {
  if is_pg "$1"; then psql -qtAX "$1" -c "$2"; else sqlite3 "$1" "$2"; fi
}

# ---- sei serve ----

# serve_start DB [ARGS...]: starts `sei --db DB serve` on a free loopback port
# with ARGS; sets SERVE_PID, SERVE_URL and SERVE_LOG, and waits until it
# listens. serve_stop stops it (SIGTERM: accepted pushes are still written).
serve_start() {
  local db=$1; shift
  SERVE_LOG=$(mktemp)
  "$SEI" --db "$db" serve --listen 127.0.0.1:0 --access-log off "$@" >"$SERVE_LOG" 2>&1 &
  SERVE_PID=$!
  local _
  for _ in $(seq 300); do
    grep -q listening "$SERVE_LOG" && break
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.1
  done
  SERVE_URL="http://$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$SERVE_LOG")"
  [ "$SERVE_URL" != "http://" ] || {
    echo "bench: sei serve did not start:" >&2; cat "$SERVE_LOG" >&2; exit 1; }
}

serve_stop() {
  [ -n "${SERVE_PID:-}" ] || return 0
  kill -TERM "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  rm -f "$SERVE_LOG"
  SERVE_PID=
}

# ---- wrk ----

# push_lua FILE TOKEN TAG [IDS]: a wrk script that POSTs a new deployment per
# request (ids "TAG-<thread>-<n>", connection "bench"). With IDS, each
# thread writes the id of every 2xx answer to IDS.<thread>, one a line (to
# check afterwards that each is a stored row).
push_lua() {
  local file=$1 token=$2 tag=$3 ids=${4:-}
  cat >"$file" <<LUAEOF
local counter = 0
local threads = 0
local ids_path = "$ids"
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args)
  prefix = "$tag-" .. tid .. "-"
  if ids_path ~= "" then ids = io.open(ids_path .. "." .. tid, "w") end
end
request = function()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. counter .. '","environment":"staging","service":"bench",' ..
               '"result":"success","started_at":"2026-11-20T10:00:00Z"}'
  return wrk.format("POST", "/api/v1/push/deployments?connection=bench",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $token"}, body)
end
LUAEOF
  if [ -n "$ids" ]; then
    cat >>"$file" <<'LUAEOF'
response = function(status, headers, body)
  if ids and status >= 200 and status < 300 then
    local id = body:match('"id":"([^"]*)"')
    if id then ids:write(id, "\n"); ids:flush() end
  end
end
LUAEOF
  fi
}

# to_ms VALUE: wrk's "5.61ms" / "812.00us" / "1.02s" in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}

# wrk_run ARGS...: runs `wrk --latency ARGS`, prints its summary lines and
# sets WRK_RPS, WRK_P50, WRK_P90, WRK_P99 (ms), WRK_REQUESTS and WRK_NON2XX.
wrk_run() {
  local out; out=$(wrk --latency "$@")
  grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in" <<<"$out"
  WRK_RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  WRK_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  WRK_P90=$(to_ms "$(awk '$1 == "90%" {print $2}' <<<"$out")")
  WRK_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  WRK_REQUESTS=$(awk '/requests in/ {print $1}' <<<"$out")
  WRK_NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  WRK_NON2XX=${WRK_NON2XX:-0}
}

# ---- the scale organisation ----

# scale_sqlite: sets SCALE_DB to bench/out/demo-scale.db, `sei demo --scale`
# (1M commits, 200k PRs, 50k+ production deployments), written once: its
# .done file holds the table row with the demo's time and peak RSS (the demo
# refuses to rewrite a different store).
scale_sqlite() {
  SCALE_DB="$OUT/demo-scale.db"
  [ -f "$SCALE_DB.done" ] && return 0
  rm -f "$SCALE_DB" "$SCALE_DB-wal" "$SCALE_DB-shm"
  echo "bench: writing the scale demo organisation (a few minutes)" >&2
  local t m
  read -r t m < <(MEASURE_STDOUT="$SCALE_DB.log" measure "$SEI" --db "$SCALE_DB" --progress never demo --scale)
  echo "| sei demo --scale (write + derive$(demo_split "$SCALE_DB.log" "$t")) | $t s | $((m / 1024)) MiB |" > "$SCALE_DB.done"
}

# demo_split LOG SECONDS: ": write X s, derive Y s", SECONDS split by the
# derive step's own time in `sei demo`'s summary ("derived ... (Y s)").
demo_split() {
  awk -v total="$2" '/^  derived/ {d = $(NF - 1); gsub(/[(]/, "", d)}
       END {if (d != "") printf ": write %.1f s, derive %.1f s", total - d, d}' "$1"
}

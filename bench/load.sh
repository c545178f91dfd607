#!/usr/bin/env bash
# Load test on several workers: bench/load.sh [CLIENTS] [SECONDS] [WORKERS] [MIX]  (default 20 60 4 full;
# MIX probe: the first probe's mix, without confirmations)
# Copies the 10,000-order bench database (bench/compare.sh makes it) into so_bench_load,
# prepares it (bench/load.py prepare), serves it on 127.0.0.1:8470 with --workers and the
# long-polling port 8472, runs the clients, stops the server and checks that nothing was lost.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
CLIENTS=${1:-20}; SECONDS_=${2:-60}; WORKERS=${3:-4}; MIX=${4:-full}
SOURCE=${SERVICE_ORDER_LOAD_SOURCE:-so_bench_10k}
DB=so_bench_load
PORT=8470; GEVENT_PORT=8472
LOG="$BUILD/load-server.log"; RESULT="$BUILD/load-result.json"
db_exists "$SOURCE" || { echo "[load] $SOURCE is missing: run bench/compare.sh first"; exit 1; }
"$ODOO" db -c "$BUILD/odoo-test.conf" drop "$DB" >/dev/null 2>&1 || true
"$ODOO" db -c "$BUILD/odoo-test.conf" duplicate -f "$SOURCE" "$DB" 2>&1 | grep -v "security risk" || true
# the addon as it is in this checkout
"$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" -u service_order --stop-after-init --log-level=warn --http-port=$PORT \
  2>&1 | grep -v "security risk" || true
"$VENV/bin/python" "$REPO/bench/load.py" prepare "$BUILD/odoo-test.conf" "$DB"
: > "$LOG"
"$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" --db-filter="^$DB\$" --workers="$WORKERS" --max-cron-threads=1 \
  --http-interface=127.0.0.1 --http-port=$PORT --gevent-port=$GEVENT_PORT --limit-time-real=300 \
  --limit-memory-soft=2147483648 --limit-memory-hard=2684354560 --log-level=info --logfile="$LOG" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || { echo "[load] the server did not start (see $LOG)"; exit 1; }
echo "[load] $CLIENTS clients for ${SECONDS_} s against --workers=$WORKERS, mix $MIX (log: $LOG)"
"$VENV/bin/python" "$REPO/bench/load.py" run "http://127.0.0.1:$PORT" "$DB" "$CLIENTS" "$SECONDS_" "$RESULT" "$LOG" "$MIX"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
trap - EXIT
"$VENV/bin/python" "$REPO/bench/load.py" check "$BUILD/odoo-test.conf" "$DB" "$RESULT"

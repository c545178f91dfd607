#!/usr/bin/env bash
# Benchmark of the technician's day without signal: bench/offline.sh [TECHNICIANS] [WORKERS] [CRON]
# (default 200 4 1; CRON: --max-cron-threads, 0 leaves the completion reports' PDFs for later).
# Makes a database of its own (so_bench_offline: the addon without demo data on a copy of the
# dependencies' template), prepares it (bench/offline.py prepare:
# TECHNICIANS technicians with an order of the day each, a technician with a 10-stop day),
# measures the 10-stop day's pack (size, build time), serves the database on 127.0.0.1:8480
# with --workers, lets every technician come back online at once with the 20 operations of
# a whole visit (and its signature), sends them all a second time, stops the server and
# checks that nothing was lost or doubled. Prints the figures and whether the targets are met.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
TECHNICIANS=${1:-200}; WORKERS=${2:-4}; CRON=${3:-1}
DB=${SERVICE_ORDER_OFFLINE_DB:-so_bench_offline}
PORT=${SERVICE_ORDER_OFFLINE_PORT:-8480}
LOG="$BUILD/offline-server.log"; RESULT="$BUILD/offline-result.json"; SETUP="$BUILD/offline-setup.json"
TEMPLATE=$(deps_template)
"$ODOO" db -c "$BUILD/odoo-test.conf" drop "$DB" >/dev/null 2>&1 || true
"$ODOO" db -c "$BUILD/odoo-test.conf" duplicate -f "$TEMPLATE" "$DB" 2>&1 | grep -v "security risk" || true
"$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" -i service_order --without-demo=all --stop-after-init --log-level=warn \
  --http-port=$PORT 2>&1 | grep -v "security risk" || true
"$VENV/bin/python" "$REPO/bench/offline.py" prepare "$BUILD/odoo-test.conf" "$DB" "$TECHNICIANS" "$SETUP"
"$VENV/bin/python" "$REPO/bench/offline.py" pack "$BUILD/odoo-test.conf" "$DB"
: > "$LOG"
# as in production: a cron thread (the job runner) makes the completion reports meanwhile
"$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" --db-filter="^$DB\$" --workers="$WORKERS" --max-cron-threads="$CRON" \
  --http-interface=127.0.0.1 --http-port=$PORT --gevent-port=$((PORT + 2)) --limit-time-real=600 \
  --limit-time-cpu=600 --limit-memory-soft=2147483648 --limit-memory-hard=2684354560 --log-level=info \
  --logfile="$LOG" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || { echo "[offline] the server did not start (see $LOG)"; exit 1; }
echo "[offline] $TECHNICIANS technicians against --workers=$WORKERS --max-cron-threads=$CRON (log: $LOG)"
rc=0
"$VENV/bin/python" "$REPO/bench/offline.py" run "http://127.0.0.1:$PORT" "$DB" "$TECHNICIANS" "$SETUP" "$RESULT" \
  "$SERVER" || rc=$?
retried=$(grep -c "serialization\|could not serialize\|SerializationFailure" "$LOG" || true)
echo "[offline] concurrency errors Odoo retried: $retried"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
trap - EXIT
"$VENV/bin/python" "$REPO/bench/offline.py" check "$BUILD/odoo-test.conf" "$DB" "$RESULT" || rc=$?
exit "$rc"

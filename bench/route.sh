#!/usr/bin/env bash
# Prints the day-route figures: the demo day's routes before and after optimising, the time to
# order 30 stops, and how close to the best order the heuristic comes. Usage: bench/route.sh
# The database service_order_route_bench (with the demo data) is made once; its "demo day" is
# the day it was made.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
DB=${SERVICE_ORDER_ROUTE_BENCH_DB:-service_order_route_bench}
if ! db_exists "$DB"; then
  "$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn
fi
"$VENV/bin/python" "$REPO/bench/route.py" "$BUILD/odoo-test.conf" "$DB"

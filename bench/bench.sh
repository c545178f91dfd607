#!/usr/bin/env bash
# Prints speed and memory figures of the hot paths. Usage: bench/bench.sh [N_ORDERS]
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
DB=service_order_bench
if ! db_exists "$DB"; then
  "$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" -i service_order --without-demo=all --stop-after-init --log-level=warn
fi
"$VENV/bin/python" "$REPO/bench/bench.py" "$BUILD/odoo-test.conf" "$DB" "${1:-2000}"

#!/usr/bin/env bash
# Sets everything up on first use, then serves Odoo on 127.0.0.1:8069 with a demo
# database holding the addon and its demo data. Usage: tools/run.sh [DBNAME]
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${1:-service_order_demo}
want=$(addon_hash)
if ! db_exists "$DB"; then
  echo "[run] creating the demo database $DB (about a minute)"
  "$ODOO" -c "$BUILD/odoo.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn
  echo "$want" > "$BUILD/$DB.stamp"
elif [ "$(cat "$BUILD/$DB.stamp" 2>/dev/null)" != "$want" ]; then
  echo "[run] the addon changed: updating $DB"
  "$ODOO" -c "$BUILD/odoo.conf" -d "$DB" -u service_order --stop-after-init --log-level=warn
  echo "$want" > "$BUILD/$DB.stamp"
fi
cat <<MSG

  Service Orders is at  http://127.0.0.1:8069/web/login   (database $DB)

  demo logins (login / password):
    admin       / admin        administrator, Service Orders supervisor
    supervisor  / supervisor   Service Orders supervisor (approves orders)
    dispatcher  / dispatcher   Service Orders dispatcher (creates, plans, closes)
    technician  / technician   Service Orders technician (sees only assigned orders)
    technician2 / technician2  Service Orders technician
    portal      / portal       portal customer

  Ctrl+C stops the server.
MSG
exec "$ODOO" -c "$BUILD/odoo.conf" -d "$DB" --db-filter="^$DB\$" --log-level=warn

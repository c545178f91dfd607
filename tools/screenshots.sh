#!/usr/bin/env bash
# Screenshots for the docs (docs/screenshots/*.png), from the demo database.
# Makes the demo database first if it is missing (as tools/run.sh does), starts Odoo on a
# free local port, drives headless chromium, stops Odoo. Arguments go to screenshots.py:
#   tools/screenshots.sh                          # database service_order_demo
#   tools/screenshots.sh --db my_demo             # another database with the demo data
#   tools/screenshots.sh --url http://127.0.0.1:8069 --db service_order_demo   # running server
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=service_order_demo
URL=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --db) DB=${args[i+1]} ;;
    --db=*) DB=${args[i]#--db=} ;;
    --url|--url=*) URL=1 ;;
  esac
done
if [ -z "$URL" ]; then
  want=$(addon_hash)
  if ! db_exists "$DB"; then
    echo "[screenshots] creating the demo database $DB (about a minute)"
    "$ODOO" -c "$BUILD/odoo.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn
    echo "$want" > "$BUILD/$DB.stamp"
  elif [ -f "$BUILD/$DB.stamp" ] && [ "$(cat "$BUILD/$DB.stamp")" != "$want" ]; then
    echo "[screenshots] the addon changed: updating $DB"
    "$ODOO" -c "$BUILD/odoo.conf" -d "$DB" -u service_order --stop-after-init --log-level=warn
    echo "$want" > "$BUILD/$DB.stamp"
  elif [ ! -f "$BUILD/$DB.stamp" ]; then
    # made by another checkout (its files are in that checkout's data dir): not updated here
    echo "[screenshots] note: $DB was not made by this checkout; it is used as it is"
  fi
fi
exec "$VENV/bin/python" "$REPO/tools/screenshots.py" --odoo "$ODOO" --config "$BUILD/odoo.conf" --db "$DB" "$@"

#!/usr/bin/env bash
# This addon against OCA fieldservice 18.0, side by side in one database per size:
#   bench/compare.sh [N ...]      (default: 10000 100000 orders of each)
# Installs OCA's odoo-addon-fieldservice wheel into the shared virtual environment if it is
# not importable, makes the databases so_bench_<N> once (both addons, no demo data, then
# bench/populate.py), updates this addon in them when its files changed, and measures them
# all in one process (bench/compare.py). Prints a markdown table and whether the targets are
# met (bench/README.md).
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000)
CONF="$BUILD/odoo-test.conf"
BASE=so_bench_base
started=$(date +%s)

if ! "$VENV/bin/python" -c "import odoo.addons.fieldservice" 2>/dev/null; then
  echo "[bench] installing OCA fieldservice 18.0 (odoo-addon-fieldservice) into $VENV"
  "$VENV/bin/pip" install -q "odoo-addon-fieldservice==18.0.*"
fi
hash=$(addon_hash)
# a database is updated when the addon's files changed since it was last (its bench_addon_hash)
ensure_current() {
  psql -q -d "$1" -c "CREATE TABLE IF NOT EXISTS bench_addon_hash (hash text)"
  [ -n "$(psql -tA -d "$1" -c 'SELECT 1 FROM bench_addon_hash')" ] || psql -q -d "$1" -c "INSERT INTO bench_addon_hash VALUES ('')"
  if [ "$(psql -tA -d "$1" -c 'SELECT hash FROM bench_addon_hash')" != "$hash" ]; then
    echo "[bench] $1: updating service_order (its files changed)"
    "$ODOO" -c "$CONF" -d "$1" -u service_order --stop-after-init --log-level=warn --http-port=8470 \
      2>&1 | grep -v "security risk" || true
    vacuumdb -q --analyze -d "$1"
    psql -q -d "$1" -c "UPDATE bench_addon_hash SET hash = '$hash'"
  fi
}
if ! db_exists "$BASE"; then
  echo "[bench] $BASE: service_order and fieldservice, no demo data"
  "$ODOO" -c "$CONF" -d "$BASE" -i service_order,fieldservice --without-demo=all --stop-after-init \
    --log-level=warn --http-port=8470 2>&1 | grep -v "security risk" || true
  psql -q -d "$BASE" -c "CREATE TABLE bench_addon_hash (hash text); INSERT INTO bench_addon_hash VALUES ('$hash')"
fi
dbs=()
for n in "${SIZES[@]}"; do
  db="so_bench_$((n / 1000))k"
  if ! db_exists "$db"; then
    ensure_current "$BASE"
    "$ODOO" db -c "$CONF" duplicate -f "$BASE" "$db" 2>&1 | grep -v "security risk" || true
    "$VENV/bin/python" "$REPO/bench/populate.py" "$CONF" "$db" "$n"
    vacuumdb -q --analyze -d "$db"  # as autovacuum would have, after the load
  fi
  ensure_current "$db"
  dbs+=("$db")
done
ready=$(date +%s)
echo "[bench] databases ready in $((ready - started)) s; measuring ${dbs[*]}"
"$VENV/bin/python" "$REPO/bench/compare.py" "$CONF" "${dbs[@]}"
echo "[bench] total $(( $(date +%s) - started )) s (population and updates $((ready - started)) s)"

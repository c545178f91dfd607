#!/usr/bin/env bash
# Sets everything up on first use, installs the addon on a fresh database and runs the
# whole test suite (unit tests and browser tours) with pytest-odoo.
# Extra arguments go to pytest, e.g.  tools/test.sh -k approval  or  tools/test.sh tests/test_sale.py
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${SERVICE_ORDER_TEST_DB:-service_order_test}
# Odoo skips (does not fail) browser tours when websocket-client or Chrome is missing
"$VENV/bin/python" -c "import websocket" || { echo "[test] websocket-client is missing"; exit 1; }
command -v chromium >/dev/null || { echo "[test] chromium is missing"; exit 1; }

# the lint (ruff, pylint-odoo, the translation files: tools/lint.sh) runs beside the install,
# which mostly waits on PostgreSQL; its report is printed, and judged, before the tests
lint_log="$BUILD/lint.log"
bash "$REPO/tools/lint.sh" > "$lint_log" 2>&1 &
lint_pid=$!

# what to run: the whole suite, unless the arguments name test files or folders
targets=(tests)
for arg in "$@"; do
  case "$arg" in -*) ;; *) [ -e "$REPO/$arg" ] || [ -e "$arg" ] && targets=() ;; esac
done

TEMPLATE=$(deps_template)

# the upgrade test (tools/upgrade_test.sh: updates from the supported sources, cached once
# installed and worked) runs beside the install too, with the whole suite (or when
# SERVICE_ORDER_UPGRADE_TEST=1); its report is printed, and judged, before the tests
upgrade_pid=""
if [ "${SERVICE_ORDER_UPGRADE_TEST:-${#targets[@]}}" != 0 ]; then
  upgrade_log="$BUILD/upgrade.log"
  SERVICE_ORDER_SETUP_DONE=1 bash "$REPO/tools/upgrade_test.sh" > "$upgrade_log" 2>&1 &
  upgrade_pid=$!
fi
echo "[test] installing service_order on a fresh database $DB (a copy of $TEMPLATE)"
"$ODOO" db -c "$BUILD/odoo-test.conf" duplicate -f "$TEMPLATE" "$DB" 2>&1 | grep -v "security risk" || true
"$ODOO" -c "$BUILD/odoo-test.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn

# the asset bundles, compiled once for every browser tour (tools/warm_assets.py)
(cd "$REPO" && echo 'exec(open("tools/warm_assets.py").read())' \
   | "$ODOO" shell -c "$BUILD/odoo-test.conf" -d "$DB" --log-level=warn --no-http) | tail -1

lint_rc=0; wait "$lint_pid" || lint_rc=$?
cat "$lint_log"
[ "$lint_rc" = 0 ] || { echo "[test] FAILED: lint (see above)"; exit 1; }
if [ -n "$upgrade_pid" ]; then
  upgrade_rc=0; wait "$upgrade_pid" || upgrade_rc=$?
  grep -v "security risk" "$upgrade_log"
  [ "$upgrade_rc" = 0 ] || { echo "[test] FAILED: the upgrade test (see above)"; exit 1; }
fi

# one pytest-xdist worker per core (up to 4), each on its own copy of the database
# (pytest-odoo) and its own filestore (tools/pytest_service_order.py); whole classes go to a
# worker (--dist loadscope), so each class builds its shared data once
workers=${SERVICE_ORDER_TEST_WORKERS:-$(nproc)}
[ "$workers" -le 4 ] || workers=4
parallel=()
[ "$workers" -lt 2 ] || parallel=(-n "$workers" --dist loadscope)
out="$BUILD/pytest.log"
set +e
(cd "$REPO" && PYTHONPATH="$REPO/tools${PYTHONPATH:+:$PYTHONPATH}" \
   "$VENV/bin/pytest" -p no:cacheprovider -p pytest_service_order -rs --durations=15 "${parallel[@]}" \
   --odoo-config="$BUILD/odoo-test.conf" --odoo-database="$DB" --odoo-http \
   "$@" "${targets[@]}") 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
if grep -qE "SKIPPED.*(websocket|[Cc]hrome|dev ?tools|browser)" "$out"; then
  echo "[test] FAILED: browser tours were skipped (see above)"; exit 1
fi
exit "$rc"

#!/usr/bin/env bash
# Builds the addon's wheel as OCA's are built (pyproject.toml: whool, through
# tools/build_backend.py, which builds from a copy named service_order of the files git knows
# less tools/, bench/, .ci/ and docs/, so the clone's folder may have any name) and, with
# --check, proves that a fresh environment installs the addon from it.
#   tools/wheel.sh            # dist/odoo_addon_service_order-18.0.*.whl (what `pip wheel --no-deps .` makes)
#   tools/wheel.sh --check    # and: install it into a fresh virtual environment (which sees
#                             # the cached one's packages, so Odoo and its requirements are
#                             # there, but not this checkout) and install the addon from it
#                             # on a scratch database (about half a minute)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$REPO/tools/setup.sh"
source "$REPO/tools/common.sh"
CHECK=
[ "${1:-}" = "--check" ] && CHECK=1

DIST="$REPO/dist"
mkdir -p "$DIST" && rm -rf "$BUILD/wheel" && mkdir -p "$BUILD/wheel"
rm -f "$DIST"/odoo_addon_service_order-*.whl
(cd "$REPO" && "$VENV/bin/pip" wheel --quiet --no-deps --wheel-dir "$DIST" . 2>&1 | grep -v "not a git repository" || true)
WHEEL=$(ls "$DIST"/odoo_addon_service_order-18.0.*.whl)
echo "[wheel] $WHEEL ($(du -k "$WHEEL" | cut -f1) kB)"
"$VENV/bin/python" - "$WHEEL" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "odoo/addons/service_order/__manifest__.py" in names, "no odoo/addons/service_order/__manifest__.py in the wheel"
for folder in ("tools", "bench", "docs", ".ci"):
    assert not [n for n in names if n.startswith(f"odoo/addons/service_order/{folder}/")], f"{folder}/ is in the wheel"
print(f"[wheel] {len(names)} files; odoo/addons/service_order/__manifest__.py is in it")
PY
[ -n "$CHECK" ] || exit 0

ENV="$BUILD/wheel/venv"
"$VENV/bin/python" -m venv "$ENV"
SITE=$("$ENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
BASE_SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# Odoo and its requirements come from the cached environment (its site-packages after the
# fresh one's, with its .pth files: Odoo's source), the addon only from the wheel
echo "import site; site.addsitedir('$BASE_SITE')" > "$SITE/zz_service_order_base.pth"
"$ENV/bin/pip" install --quiet --no-deps "$WHEEL"
[ -f "$SITE/odoo/addons/service_order/__manifest__.py" ] || { echo "[wheel] FAILED: not installed in $SITE"; exit 1; }
echo "[wheel] installed in a fresh environment: $SITE/odoo/addons/service_order"
# the test configuration, with the fresh environment's addons in place of this checkout
sed "s#$BUILD/addons#$SITE/odoo/addons#" "$BUILD/odoo-test.conf" > "$BUILD/wheel/odoo.conf"
DB=so_wheel_$(basename "$REPO" | tr -c 'a-zA-Z0-9_\n' _)
TEMPLATE=$(deps_template)
"$ODOO" db -c "$BUILD/wheel/odoo.conf" duplicate -f "$TEMPLATE" "$DB" >/dev/null 2>&1
trap '"$ODOO" db -c "$BUILD/wheel/odoo.conf" drop "$DB" >/dev/null 2>&1 || true' EXIT
"$ENV/bin/python" "$ODOO" -c "$BUILD/wheel/odoo.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn \
  > "$BUILD/wheel/install.log" 2>&1 || { cat "$BUILD/wheel/install.log"; echo "[wheel] FAILED: the install failed"; exit 1; }
if grep -q "failed to install\|ERROR" "$BUILD/wheel/install.log"; then
  cat "$BUILD/wheel/install.log"; echo "[wheel] FAILED: see above"; exit 1
fi
where=$(echo 'import odoo.modules; print(odoo.modules.get_module_path("service_order")); print(env["ir.module.module"].search([("name", "=", "service_order")]).state)' \
  | "$ENV/bin/python" "$ODOO" shell -c "$BUILD/wheel/odoo.conf" -d "$DB" --log-level=warn --no-http 2>/dev/null | tail -2)
echo "[wheel] Odoo found the addon at $(echo "$where" | head -1); state: $(echo "$where" | tail -1)"
case "$where" in "$SITE/odoo/addons/service_order"*installed) ;; *) echo "[wheel] FAILED"; exit 1 ;; esac
echo "[wheel] OK: a fresh environment installs the addon from the wheel"

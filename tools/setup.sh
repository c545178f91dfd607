#!/usr/bin/env bash
# Idempotent set-up of everything the addon needs to run and be tested:
# Debian packages, PostgreSQL and a login role, Odoo 18.0 source (cached outside the
# repository), a virtual environment with Odoo's requirements, pytest-odoo and the OCA
# wheels, and a per-checkout addons path holding this repository as `service_order`.
#
# Odoo source, first match wins:
#   1. the cache ($SERVICE_ORDER_CACHE, default ~/.cache/service_order/odoo-18.0)
#   2. $ODOO_SRC: an Odoo 18.0 checkout or a bare git directory holding one
#   3. a shallow clone of the upstream 18.0 branch
# A second run does no network work: every step checks a stamp first.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${SERVICE_ORDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/service_order}
ODOO_DIR="$CACHE/odoo-18.0"
VENV="$CACHE/venv"
BUILD="$REPO/.build"
UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo}
APT_PACKAGES="postgresql libpq-dev libldap2-dev libsasl2-dev wkhtmltopdf chromium fonts-dejavu-core poppler-utils git gettext"
# Extras on top of Odoo's own requirements; changing this list re-runs the pip step.
EXTRA_PIP="pytest-odoo==2.* pytest-xdist==3.* websocket-client odoo-addon-web-view-leaflet-map==18.0.* odoo-addon-web-timeline==18.0.* reportlab ruff==0.* pylint-odoo==9.*"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

mkdir -p "$CACHE" "$BUILD/addons"

# 1. Debian packages -----------------------------------------------------------------
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing Debian packages:$missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
fi

# 2. Odoo source ---------------------------------------------------------------------
if [ ! -f "$ODOO_DIR/odoo-bin" ]; then
  rm -rf "$ODOO_DIR.partial"
  if [ -n "${ODOO_SRC:-}" ]; then
    if [ -f "$ODOO_SRC/odoo-bin" ]; then
      log "copying Odoo from the checkout $ODOO_SRC"
      mkdir -p "$ODOO_DIR.partial"
      (cd "$ODOO_SRC" && tar --exclude=.git --exclude=custom_addons -cf - .) | tar -xf - -C "$ODOO_DIR.partial"
    elif git --git-dir="$ODOO_SRC" rev-parse --verify -q HEAD >/dev/null 2>&1; then
      log "unpacking Odoo from the git directory $ODOO_SRC"
      mkdir -p "$ODOO_DIR.partial"
      git --git-dir="$ODOO_SRC" archive HEAD | tar -x -C "$ODOO_DIR.partial"
    else
      die "ODOO_SRC=$ODOO_SRC is neither an Odoo checkout (no odoo-bin) nor a git directory"
    fi
  else
    log "no cached Odoo and no ODOO_SRC: cloning $UPSTREAM (branch 18.0)"
    git clone -q --depth 1 --branch 18.0 "$UPSTREAM" "$ODOO_DIR.partial" \
      || die "could not clone Odoo 18.0 from $UPSTREAM. Give a local source once: ODOO_SRC=/path/to/odoo-18.0 (a checkout or a bare git dir) make test"
  fi
  rm -rf "$ODOO_DIR.partial/custom_addons" "$ODOO_DIR.partial/.git"
  [ -f "$ODOO_DIR.partial/odoo/release.py" ] || die "the Odoo source has no odoo/release.py"
  grep -q "18, 0" "$ODOO_DIR.partial/odoo/release.py" || die "the Odoo source is not version 18.0"
  mv "$ODOO_DIR.partial" "$ODOO_DIR"
  log "Odoo source cached in $ODOO_DIR"
fi

# 3. Virtual environment -------------------------------------------------------------
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
stamp_want=$( (cat "$ODOO_DIR/requirements.txt"; echo "$EXTRA_PIP"; "$PY" --version) | sha1sum | cut -c1-16)
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp_want" ]; then
  log "building the virtual environment in $VENV (a few minutes the first time)"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  pip_log="$CACHE/pip.log"; : > "$pip_log"
  pip() { "$VENV/bin/pip" "$@" >>"$pip_log" 2>&1 || { tail -30 "$pip_log" >&2; die "pip $* failed (full log: $pip_log)"; }; }
  pip install -U pip wheel 'setuptools<81'
  bc="$CACHE/build-constraints.txt"
  echo 'setuptools<81' > "$bc"
  # cbor2 (an Odoo requirement) needs pkg_resources at build time
  if "$VENV/bin/pip" install --help | grep -q -- --build-constraint; then
    BC=(--build-constraint "$bc")
  else
    export PIP_CONSTRAINT="$bc"; BC=()
  fi
  pip install "${BC[@]}" -r "$ODOO_DIR/requirements.txt"
  # compat mode: the odoo/addons folder of OCA wheels must not shadow the real package
  pip install --no-deps "${BC[@]}" -e "$ODOO_DIR" --config-settings editable_mode=compat
  pip install "${BC[@]}" $EXTRA_PIP
  echo "$stamp_want" > "$VENV/.stamp"
fi

# 4. PostgreSQL ----------------------------------------------------------------------
if ! pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main"' | grep -q online; then
  log "starting PostgreSQL 15"
  as_root pg_ctlcluster 15 main start
fi
ME=$(id -un)
if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$ME'" | grep -q 1; then
  log "creating the PostgreSQL login role $ME"
  as_postgres psql -q -c "CREATE ROLE \"$ME\" LOGIN CREATEDB SUPERUSER"
fi

# 5. This checkout on an addons path, and Odoo configuration files ------------------
ln -sfn "$REPO" "$BUILD/addons/service_order"
SITE_ADDONS=$("$VENV/bin/python" - <<'PY'
import sysconfig, os
print(os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons"))
PY
)
ADDONS="$ODOO_DIR/addons,$ODOO_DIR/odoo/addons,$SITE_ADDONS,$BUILD/addons"
write_conf() { # file port data_dir
  cat > "$1" <<CONF
[options]
addons_path = $ADDONS
data_dir = $3
http_interface = 127.0.0.1
http_port = $2
db_host = False
db_user = $ME
list_db = True
without_demo = False
log_level = info
; Debian's wkhtmltopdf warns on every report that it ignores header/footer (unpatched Qt);
; the addon stamps pages itself, so only errors of the report engine are worth showing
log_handler = :INFO,odoo.addons.base.models.ir_actions_report:ERROR
CONF
}
write_conf "$BUILD/odoo.conf" 8069 "$BUILD/data"
# the test server's port: change it to run two checkouts' tests side by side
# the tests' filestores live in the cache, beside the database template they are copied from
write_conf "$BUILD/odoo-test.conf" "${SERVICE_ORDER_TEST_PORT:-8169}" "$CACHE/data"
echo "$VENV" > "$BUILD/venv-path"
log "ready (venv: $VENV)"

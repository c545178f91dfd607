#!/usr/bin/env bash
# The upgrade test: each supported source (tools/upgrade_sources.txt, or the commits given as
# arguments) is installed from this repository's history with its demo data, worked a day
# with its own code (tools/upgrade/days/<commit>.py: approve, confirm, close, invoice), then
# updated to the working tree with `-u service_order` as a company would, and checked under
# the new code (tools/upgrade/verify.py): the orders and their trail kept row by row, every
# version's file still matching its checksum, each version's checks (tools/upgrade/checks/),
# and a smoke test (a technician's step, a new version, a close). The update's log must show
# no warning or error.
#
# A source is installed with that version's own depends (on a copy of the dependencies'
# template when they are today's): an update that brings a new dependency installs it, as it
# does for a company. The installed and worked source is kept as a database template in the cache, keyed by its
# commit, its work script and the virtual environment (the old code never changes); each run
# copies it and does the update and the checks; the sources run side by side. Run by
# tools/test.sh beside the install.
# Usage: tools/upgrade_test.sh [COMMIT...]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${SERVICE_ORDER_SETUP_DONE:-}" ] || bash "$HERE/setup.sh"  # tools/test.sh ran it already
source "$HERE/common.sh"
CONF="$BUILD/odoo-test.conf"
CACHE=$(dirname "$VENV")
DATA="$CACHE/data"
FILESTORE="$DATA/filestore"
PREFIX="${SERVICE_ORDER_TEST_DB:-service_order_test}_up"
OUT="$BUILD/upgrade"
mkdir -p "$OUT" "$CACHE/upgrade"
# Odoo's addons and the OCA wheels, without this checkout's folder (a source brings its own)
BASE_ADDONS=$(sed -n 's/^addons_path = //p' "$CONF" | sed "s#,$BUILD/addons\$##")
PY="$VENV/bin/python"

log() { printf '[upgrade] %s\n' "$*"; }
now() { echo "${EPOCHREALTIME/./}"; }
took() { local us=$(( $(now) - $1 )); printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000)); }
drop_db() { dropdb --if-exists "$1" 2>/dev/null || dropdb --if-exists --force "$1"; rm -rf "${FILESTORE:?}/$1"; }
# a database of an earlier run: renamed out of the way at once and dropped in the background
# (DROP DATABASE waits for a checkpoint: seconds, minutes on a busy disk)
set_aside() {
  db_exists "$1" || return 0
  local gone="${1}_gone_$$"
  psql -d postgres -qc "ALTER DATABASE \"$1\" RENAME TO \"$gone\"" 2>/dev/null || { drop_db "$1"; return; }
  [ ! -d "$FILESTORE/$1" ] || mv "$FILESTORE/$1" "$FILESTORE/$gone"
  (drop_db "$gone" &) >/dev/null 2>&1 </dev/null
}
copy_db() { # template target: a database and its filestore (hard links: files are never rewritten)
  set_aside "$2"
  local try
  for try in 1 2 3 4 5; do  # another checkout may be copying the same template right now
    createdb -T "$1" "$2" 2>/dev/null && break
    [ "$try" = 5 ] && { createdb -T "$1" "$2"; return 1; }
    sleep 2
  done
  if [ -d "$FILESTORE/$1" ]; then mkdir -p "$FILESTORE"; cp -al "$FILESTORE/$1" "$FILESTORE/$2"; fi
}
depends_of() { "$PY" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$1"; }

# A source installed with its demo data and worked a day, as a template: prints its name.
source_template() {
  local short=$1 full src work key name
  full=$(git -C "$REPO" rev-parse --verify -q "$short^{commit}") \
    || { log "FAILED: $short is not in this repository's history (a shallow clone? git fetch --unshallow)" >&2; return 1; }
  work="$HERE/upgrade/days/$short.py"
  [ -f "$work" ] || { log "FAILED: no day of work for $short ($work)" >&2; return 1; }
  src="$CACHE/upgrade/src/$full"
  if [ ! -f "$src/service_order/__manifest__.py" ]; then
    rm -rf "$src" && mkdir -p "$src/service_order"
    git -C "$REPO" archive "$full" | tar -x -C "$src/service_order"
  fi
  key=$( (echo "$full"; cat "$work" "$VENV/.stamp") | sha1sum | cut -c1-10)
  name="so_upsrc_${short}_$key"
  exec 9>"$CACHE/upgrade/$short.lock"
  flock 9  # one build of a source at a time, over every checkout of the machine
  if ! db_exists "$name" || [ ! -f "$DATA/.$name.ok" ]; then
    log "$short: installing that version with its demo data and working a day on it, once (cached as $name)" >&2
    local t; t=$(now)
    drop_db "$name"
    # on the dependencies' template when that version had today's depends; else Odoo makes
    # the database and installs that version's depends with it
    if [ "$(depends_of "$src/service_order/__manifest__.py")" = "$(depends_of "$REPO/__manifest__.py")" ]; then
      copy_db "$(deps_template)" "$name" || return 1
    fi
    "$ODOO" -c "$CONF" -d "$name" --addons-path="$BASE_ADDONS,$src" -i service_order \
      --stop-after-init --log-level=warn >&2 || { log "$short: FAILED: the install of that version" >&2; return 1; }
    "$PY" "$HERE/upgrade/odoo_env.py" "$CONF" "$name" "$BASE_ADDONS,$src" "$work" >&2 \
      || { log "$short: FAILED: the day of work on that version ($work)" >&2; return 1; }
    # older builds of the source go, but the newest other stays: another checkout (a branch
    # with another work script) may be copying it right now
    for old in $(psql -d postgres -tAc "SELECT datname FROM pg_database
                   WHERE datname LIKE 'so\\_upsrc\\_${short}\\_%' AND datname != '$name'
                   ORDER BY oid DESC OFFSET 1"); do
      dropdb --if-exists "$old" 2>/dev/null && rm -rf "${FILESTORE:?}/$old" "$DATA/.$old.ok" || true
    done
    touch "$DATA/.$name.ok"
    log "$short: source ready in $(took "$t")" >&2
  fi
  exec 9>&-
  echo "$name"
}

upgrade_one() { # commit: 0 when the update from it passes every check
  local short=$1 t db template rc=0
  t=$(now)
  template=$(source_template "$short") || return 1
  db="${PREFIX}_$short"
  copy_db "$template" "$db" || return 1
  "$PY" "$HERE/upgrade/kept.py" "$db" "$FILESTORE/$db" "$OUT/$short.json" | sed "s/^/[upgrade] $short: before: /" \
    || { log "$short: FAILED: the snapshot before the update"; return 1; }
  local tu; tu=$(now)
  # as a company does it; the migrations' own lines are kept in the log
  "$ODOO" -c "$CONF" -d "$db" -u service_order --stop-after-init --log-level=info \
    > "$OUT/$short.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    tail -40 "$OUT/$short.log"; log "$short: FAILED: the update stopped (log: $OUT/$short.log)"; return 1
  fi
  grep -oE "Running migration \[[^]]*\] [^ ]+" "$OUT/$short.log" | sed "s/^Running migration/[upgrade] $short: ran/"
  if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$OUT/$short.log"; then
    log "$short: FAILED: the update logged the warnings or errors above (log: $OUT/$short.log)"; return 1
  fi
  log "$short: updated in $(took "$tu")"
  "$PY" "$HERE/upgrade/odoo_env.py" "$CONF" "$db" "$BASE_ADDONS,$BUILD/addons" "$HERE/upgrade/verify.py" \
    "$OUT/$short.json" 2>&1 | sed "s/^/[upgrade] $short: /" || { log "$short: FAILED: the checks above"; return 1; }
  log "$short: passed in $(took "$t")"
}

sources=("$@")
if [ ${#sources[@]} = 0 ]; then
  mapfile -t sources < <(sed -e 's/#.*//' "$HERE/upgrade_sources.txt" | awk 'NF {print $1}')
fi
deps_template > /dev/null  # built once before the sources run side by side
for gone in $(psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}\\_%\\_gone\\_%'"); do
  (drop_db "$gone" &) >/dev/null 2>&1 </dev/null  # left by a run that was stopped
done
# the sources side by side, as many at a time as there are cores (each update is one
# process), each printing to its own file; the reports follow in the list's order
max_jobs=${SERVICE_ORDER_UPGRADE_JOBS:-$(nproc)}
pids=()
for i in "${!sources[@]}"; do
  short=${sources[$i]}; rm -f "$OUT/$short.rc"
  [ "$i" -lt "$max_jobs" ] || wait "${pids[$((i - max_jobs))]}" || true
  (if upgrade_one "$short"; then rc=0; else rc=1; fi; echo "$rc" > "$OUT/$short.rc") > "$OUT/$short.out" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
passed=0 failed=0
for short in "${sources[@]}"; do
  cat "$OUT/$short.out"
  if [ "$(cat "$OUT/$short.rc" 2>/dev/null)" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
log "upgrade test: $passed passed, $failed failed"
[ "$failed" = 0 ]

# Sourced by run.sh and test.sh after setup.sh: paths of this checkout's build.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$REPO/.build"
VENV=$(cat "$BUILD/venv-path")
ODOO="$VENV/bin/odoo"
# Hash of the addon's own files: tells whether a database must be updated.
addon_hash() {
  (cd "$REPO" && git ls-files -co --exclude-standard -- . ':!tools' ':!bench' ':!.ci' ':!docs' \
     | grep -v '^\.build' | sort | xargs -d '\n' sha1sum 2>/dev/null) | sha1sum | cut -c1-16
}
db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

# A database holding the addon's dependencies (Odoo's own modules and the OCA ones, with
# their demo data) but not the addon: installing those is most of an install and does not
# change between runs, so it is done once and kept as a template, keyed by the manifest's
# depends and the virtual environment (Odoo's source and requirements). Prints its name.
deps_template() {
  local deps key name cache
  deps=$("$VENV/bin/python" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' \
         "$REPO/__manifest__.py")
  key=$( (echo "$deps"; cat "$VENV/.stamp") | sha1sum | cut -c1-12)
  name="so_deps_$key"
  cache=$(dirname "$VENV")
  if ! db_exists "$name" || [ ! -f "$cache/data/.$name.ok" ]; then
    echo "[test] building the template of the dependencies ($deps), once" >&2
    "$ODOO" db -c "$BUILD/odoo-test.conf" drop "$name" >/dev/null 2>&1 || true
    "$ODOO" -c "$BUILD/odoo-test.conf" -d "$name" -i "$deps" --stop-after-init --log-level=warn >&2
    # older templates (another Odoo, other depends) go, but the six newest stay: another
    # checkout (a branch with other depends) may be copying one right now
    for old in $(psql -d postgres -tAc "SELECT d.datname FROM pg_database d
                   WHERE d.datname LIKE 'so_deps_%' AND d.datname != '$name'
                   ORDER BY d.oid DESC OFFSET 6"); do
      "$ODOO" db -c "$BUILD/odoo-test.conf" drop "$old" >/dev/null 2>&1 || true
      rm -f "$cache/data/.$old.ok"
    done
    touch "$cache/data/.$name.ok"
  fi
  echo "$name"
}

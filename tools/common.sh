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

#!/usr/bin/env bash
# Re-makes the addon's translation files from its code, with Odoo's own exporter:
#   1. copies the addon's files (those git knows, less tools/, bench/, .ci/, docs/) to
#      .build/i18n/addons/service_order: the checkout itself holds .build/addons/service_order,
#      a link back to itself, which the exporter would walk without end;
#   2. installs that copy on a scratch database (a copy of the dependencies' template,
#      demo data included, as Odoo's own templates are made);
#   3. exports i18n/service_order.pot (odoo-bin --i18n-export) and checks that every
#      message of the Python code marked with _() / env._() is in it (tools/i18n_check.py);
#   4. merges the template into each i18n/<lang>.po (msgmerge; a new language gets a new
#      file): new messages come untranslated, changed ones fuzzy, gone ones are dropped;
#   5. prints, per language, what is translated, fuzzy and untranslated (msgfmt --statistics).
# Then translate what is missing (edit the .po files; remove the "fuzzy" flag of an entry once
# its translation is right) and run `tools/i18n.sh --check`, which exports nothing and fails
# while a language has an untranslated or fuzzy message or a broken placeholder.
#   tools/i18n.sh                 # export and merge (about a minute)
#   tools/i18n.sh --check         # only the statistics and the checks of the .po files
# Languages: SERVICE_ORDER_LANGS (default "fr nl").
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK_ONLY=
[ "${1:-}" = "--check" ] && CHECK_ONLY=1
LANGS=${SERVICE_ORDER_LANGS:-fr nl}
I18N="$REPO/i18n"
POT="$I18N/service_order.pot"

if [ -z "$CHECK_ONLY" ]; then
  bash "$REPO/tools/setup.sh"
fi
source "$REPO/tools/common.sh"
command -v msgmerge >/dev/null || { echo "[i18n] msgmerge is missing (Debian package gettext; tools/setup.sh installs it)"; exit 1; }

if [ -z "$CHECK_ONLY" ]; then
  STAGE="$BUILD/i18n/addons"
  rm -rf "$BUILD/i18n"
  mkdir -p "$STAGE/service_order"
  (cd "$REPO" && git ls-files -co --exclude-standard -- . ':!tools' ':!bench' ':!.ci' ':!docs' ':!.build' \
     | while IFS= read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
     | xargs -0 cp --parents -t "$STAGE/service_order")
  # the test configuration, with the copy in place of the checkout on the addons path
  sed "s#$BUILD/addons#$STAGE#" "$BUILD/odoo-test.conf" > "$BUILD/i18n/odoo.conf"
  DB=${SERVICE_ORDER_I18N_DB:-so_i18n_$(basename "$REPO" | tr -c 'a-zA-Z0-9_\n' _)}
  TEMPLATE=$(deps_template)
  echo "[i18n] installing service_order on a scratch database $DB (a copy of $TEMPLATE)"
  "$ODOO" db -c "$BUILD/i18n/odoo.conf" duplicate -f "$TEMPLATE" "$DB" 2>&1 | grep -v "security risk" || true
  trap '"$ODOO" db -c "$BUILD/i18n/odoo.conf" drop "$DB" >/dev/null 2>&1 || true' EXIT
  "$ODOO" -c "$BUILD/i18n/odoo.conf" -d "$DB" -i service_order --stop-after-init --log-level=warn 2>&1 \
    | tee "$BUILD/i18n/install.log"
  # the demo data's terms belong in the template too (as in Odoo's own)
  if grep -q "failed to install" "$BUILD/i18n/install.log"; then
    echo "[i18n] FAILED: the addon or its demo data did not install (see above)"; exit 1
  fi
  echo "[i18n] exporting $POT"
  mkdir -p "$I18N"
  log="$BUILD/i18n/export.log"
  "$ODOO" -c "$BUILD/i18n/odoo.conf" -d "$DB" --i18n-export="$POT" --modules=service_order \
    --stop-after-init --log-level=warn --log-handler=py.warnings:ERROR 2>&1 | tee "$log"
  # the exporter logs a file it could not read and goes on without its messages
  if grep -q "Failed to extract terms" "$log"; then
    echo "[i18n] FAILED: the exporter could not read a file (see above); its messages are missing"; exit 1
  fi
  "$VENV/bin/python" "$REPO/tools/i18n_check.py" "$POT" "$STAGE/service_order"
  for lang in $LANGS; do
    po="$I18N/$lang.po"
    if [ ! -f "$po" ]; then
      echo "[i18n] new language: $po"
      msginit --no-translator --no-wrap -l "$lang" -i "$POT" -o "$po" 2>/dev/null
    else
      msgmerge --quiet --update --backup=none --no-wrap "$po" "$POT"
    fi
    msgattrib --no-obsolete --no-wrap -o "$po" "$po"
  done
fi

echo "[i18n] $(grep -c '^msgid "' "$POT" | awk '{print $1 - 1}') messages in $(basename "$POT")"
status=0
for lang in $LANGS; do
  po="$I18N/$lang.po"
  [ -f "$po" ] || { echo "[i18n] $lang: no $po"; status=1; continue; }
  # -c: the format of every message (its %(name)s / %s placeholders) is kept in the translation
  stats=$(msgfmt -c --statistics -o /dev/null "$po" 2>&1) || { echo "$stats"; status=1; }
  echo "[i18n] $lang: $stats"
  case "$stats" in *fuzzy*|*untranslated*) status=1 ;; esac
done
"$VENV/bin/python" "$REPO/tools/i18n_check.py" --po "$POT" $(for lang in $LANGS; do echo "$I18N/$lang.po"; done) || status=1
if [ -n "$CHECK_ONLY" ] && [ "$status" != 0 ]; then
  echo "[i18n] FAILED: translate what is missing or fuzzy in the .po files above"
  exit 1
fi
exit 0

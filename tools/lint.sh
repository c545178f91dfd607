#!/usr/bin/env bash
# Lint of the addon, run by tools/test.sh before the tests (a few seconds):
#   ruff        ruff.toml: pycodestyle, pyflakes, isort in OCA's order, bugbear, pyupgrade...
#   pylint-odoo .pylintrc-mandatory: OCA's mandatory checks for 18.0 (manifest, translations,
#               fields, SQL injection, commits, ...)
#   i18n        the .po files: syntax and placeholders kept (errors); the messages of the code
#               missing from the template or untranslated (a warning: run tools/i18n.sh)
# Usage: tools/lint.sh   (after tools/setup.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
status=0
now() { echo "${EPOCHREALTIME/./}"; }  # microseconds
took() { local us=$(( $(now) - $1 )); printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000)); }

t=$(now)
if "$VENV/bin/ruff" check --no-cache "$REPO"; then
  echo "[lint] ruff: clean ($(took "$t"))"
else
  echo "[lint] FAILED: ruff found problems (see above)"; status=1
fi

t=$(now)
# Odoo's source is hidden from pylint's inference: the checks read the addon's own code,
# and inferring through Odoo's modules doubles the time for the same findings.
if "$VENV/bin/pylint" --rcfile="$REPO/.pylintrc-mandatory" \
     --init-hook="import sys; sys.path[:] = [p for p in sys.path if not p.rstrip('/').endswith('odoo-18.0')]" \
     "$REPO"; then
  echo "[lint] pylint-odoo: clean ($(took "$t"))"
else
  echo "[lint] FAILED: pylint-odoo found problems (see above)"; status=1
fi

t=$(now)
po_files=("$REPO"/i18n/*.po)
for po in "${po_files[@]}"; do
  msgfmt -c -o /dev/null "$po" || { echo "[lint] FAILED: $po does not compile (msgfmt -c)"; status=1; }
done
if "$VENV/bin/python" "$REPO/tools/i18n_check.py" --lint "$REPO/i18n/service_order.pot" "$REPO" "${po_files[@]}"; then
  echo "[lint] i18n: clean ($(took "$t"))"
else
  echo "[lint] FAILED: a translation breaks its message (see above)"; status=1
fi
exit "$status"

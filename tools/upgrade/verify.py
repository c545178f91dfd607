"""After the update, under the new code (run by tools/upgrade_test.sh through odoo_env.py,
``args``: the snapshot taken before the update): what was there is still there, unchanged
(kept.py); every version verifies with the new code's own check; each version's checks file
passes (checks/); the smoke test (smoke.py) works the updated database. Raises on the first
failed group of checks, listing every problem of that group. Nothing is committed."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks
import kept
import smoke

env = globals()["env"]
with open(globals()["args"][0]) as file:
    before = json.load(file)

problems, counts = kept.compare(before, env.cr, env["ir.attachment"]._filestore())
versions = env["service.order.document"].browse(int(doc_id) for doc_id in before["documents"])
problems += [f"{doc.name}: _verify_checksum() fails" for doc in versions if not doc._verify_checksum()]
if problems:
    raise AssertionError("the update lost or changed data:\n  " + "\n  ".join(problems))
print("kept: " + ", ".join(f"{count} {label}" for label, count in counts.items())
      + f"; {len(versions)} versions verify")
print("checks passed: " + (", ".join(checks.run_after(env, before.get("checks", {}))) or "none"))
print("smoke: " + smoke.run(env, before))

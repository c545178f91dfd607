"""Run a script of the upgrade test with an Odoo environment (superuser) on a database:

    python odoo_env.py ODOO_CONF DB ADDONS_PATH SCRIPT [ARGS...]

The script gets ``env`` and ``args`` as globals. The runner rolls back what the script left
uncommitted (a script that must keep its work commits it itself), and exits non-zero with the
traceback when the script raises: unlike ``odoo shell``, whose console prints an error and
carries on.
"""
import runpy
import sys

import odoo
from odoo.tools import config


def main():
    conf, db, addons_path, script, *args = sys.argv[1:]
    config.parse_config(["-c", conf, "-d", db, f"--addons-path={addons_path}", "--log-level=warn",
                         "--log-handler=odoo.addons.base.models.ir_actions_report:ERROR"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(context=env["res.users"].context_get())
        try:
            runpy.run_path(script, init_globals={"env": env, "args": args}, run_name="__main__")
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()

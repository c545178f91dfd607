"""Runs after every update that changes the addon's version, after the data files and before
the translation files (Odoo's ``0.0.0`` folder, after the version's own post scripts).

``pre-reset_extension_views`` emptied the addon's extension views before the update wrote
them again from their files. An update normally carries the translations of a view over to its
new architecture, term by term, translations edited in the database included; each view
written again gets them back the same way: its old architecture with its translations is put
back for a moment, and the new one written over it in English, as the update writes it. The
translation files fill in the rest afterwards. A view the new version dropped stays empty until
the update deletes it.
"""
from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import table_exists


def migrate(cr, version):
    if not table_exists(cr, "service_order_upgrade_view_arch"):
        return
    cr.execute(SQL("""
        SELECT saved.id, saved.arch_db
          FROM service_order_upgrade_view_arch saved
          JOIN ir_ui_view v ON v.id = saved.id
         WHERE v.arch_db->>'en_US' != '<data/>'
         ORDER BY saved.id
    """))
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    for view_id, old_arch in cr.fetchall():
        if set(old_arch) <= {"en_US"}:
            continue  # no translation to carry over
        view = env["ir.ui.view"].browse(view_id)
        new_arch = view.arch_db
        cr.execute(SQL("UPDATE ir_ui_view SET arch_db = %s WHERE id = %s", Json(old_arch), view_id))
        view.invalidate_recordset(["arch_db"])
        view.with_context(no_save_prev=True).write({"arch_db": new_arch, "arch_updated": False})
    cr.execute(SQL("DROP TABLE service_order_upgrade_view_arch"))

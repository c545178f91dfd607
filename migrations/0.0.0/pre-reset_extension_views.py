"""Runs before every update that changes the addon's version (Odoo's ``0.0.0`` folder).

An update rewrites the addon's views file by file, and validates each rewritten view combined
with the extension views already in the database. An extension view of the installed version
may still name a method, field or element that the new version renamed or removed (2026-11-22's
``service_order_view_form_repair`` named ``action_open_skip``), and the update stops on the
first parent view it meets. The addon's updatable extension views are emptied here: the update
writes each again from its file right after, or deletes it with its XML id at the end when the
new version no longer has it. Their architectures as they were, translations included, wait in
``service_order_upgrade_view_arch`` for ``post-restore_view_translations``. Views with
``noupdate`` (none today), other modules' views and views made in the database are left alone.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a first install: nothing to reset
        return
    cr.execute(SQL("""
        CREATE TABLE IF NOT EXISTS service_order_upgrade_view_arch (id integer PRIMARY KEY, arch_db jsonb);
        INSERT INTO service_order_upgrade_view_arch (id, arch_db)
             SELECT v.id, v.arch_db
               FROM ir_ui_view v
               JOIN ir_model_data d ON d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = 'service_order'
              WHERE NOT d.noupdate AND v.inherit_id IS NOT NULL AND v.mode = 'extension'
                AND v.arch_db->>'en_US' != '<data/>'
        ON CONFLICT (id) DO NOTHING;
        UPDATE ir_ui_view v
           SET arch_db = (SELECT jsonb_object_agg(lang.key, '<data/>') FROM jsonb_each(v.arch_db) lang)
          FROM service_order_upgrade_view_arch saved
         WHERE saved.id = v.id
     RETURNING v.id
    """))
    _logger.info("service_order: %d extension views emptied until the update writes them again", cr.rowcount)

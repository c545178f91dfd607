"""Runs before every update that changes the addon's version (Odoo's ``0.0.0`` folder).

An update rewrites the addon's views file by file, and validates each rewritten view combined
with the extension views already in the database. An extension view of the installed version
may still name a method, field or element that the new version renamed or removed (2026-11-22's
``service_order_view_form_repair`` named ``action_open_skip``), and the update stops on the
first parent view it meets. The addon's updatable extension views are emptied here: the update
writes each again from its file right after, or deletes it with its XML id at the end when the
new version no longer has it. Views with ``noupdate`` (none today), other modules' views and
customisations made in the database are left alone.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a first install: nothing to reset
        return
    cr.execute(SQL("""
        UPDATE ir_ui_view v
           SET arch_db = (SELECT jsonb_object_agg(lang.key, '<data/>') FROM jsonb_each(v.arch_db) lang)
          FROM ir_model_data d
         WHERE d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = 'service_order'
           AND NOT d.noupdate AND v.inherit_id IS NOT NULL AND v.mode = 'extension'
        RETURNING d.name
    """))
    names = sorted(name for name, in cr.fetchall())
    _logger.info("service_order: %d extension views emptied before the update rewrites them: %s",
                 len(names), ", ".join(names))

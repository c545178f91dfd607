"""18.0.1.3.0: plain Odoo inside (issue 23). After the update, the records of the removed
private layer go: the hourly check of the open orders' field workers (a cron in a ``noupdate``
block, which the update keeps) with its server action and their XML ids, and the reflection of
the dropped table (``ir.model.relation``), which an uninstall would otherwise try to drop."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

XMLIDS = ("service_order.ir_cron_open_workers", "service_order.ir_cron_open_workers_ir_actions_server")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in XMLIDS:  # the cron first: it points at its server action
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            record.unlink()  # its ir.model.data row with it
    env["ir.model.data"].search([("module", "=", "service_order"), ("name", "in", [x.split(".")[1] for x in XMLIDS])]).unlink()
    relations = env["ir.model.relation"].search([("name", "=", "service_order_open_worker_rel")])
    relations.unlink()
    _logger.info("service_order: the hourly check of the open orders' field workers and %d reflection(s) of its "
                 "table removed", len(relations))

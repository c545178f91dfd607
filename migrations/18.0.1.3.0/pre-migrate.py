"""18.0.1.3.0: plain Odoo inside (issue 23). Before the update, the private database layer of
the versions before goes: the table of the open orders' field workers
(``service_order_open_worker_rel``), the two row triggers that kept it and their PL/pgSQL
functions (the older ``service_order_open_worker_of_state`` too), and the database view of the
fallout ageing report, which is now a query of the model (``_table_query``). Nothing of the
trail is touched: the table was derived from the orders' field workers and states."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists, table_exists

_logger = logging.getLogger(__name__)

TRIGGERS = (
    ("service_order_open_worker_rel_sync", "service_order_field_worker_rel"),
    ("service_order_open_worker_state_sync", "service_order"),
)
FUNCTIONS = ("service_order_open_worker_of_rel", "service_order_open_worker_of_order",
             "service_order_open_worker_of_state")


def migrate(cr, version):
    if not version:
        return
    for trigger, table in TRIGGERS:
        if table_exists(cr, table):
            cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
    for function in FUNCTIONS:
        # CASCADE: a trigger of an older version still calling it goes with it
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(function)))
    cr.execute(SQL("DROP TABLE IF EXISTS service_order_open_worker_rel"))
    drop_view_if_exists(cr, "service_fallout_age_report")
    _logger.info("service_order: the open orders' field workers' table, its triggers and functions, and the "
                 "fallout ageing view dropped")

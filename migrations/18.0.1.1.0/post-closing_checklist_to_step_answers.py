"""The closing checklist of the versions before the step forms (2026-11-22, 58b6f60) was three
booleans on the order, ticked in the Close wizard. The step forms replaced them with the
completion answers of the order's type (service.step.answer, step ``complete``), and the
update drops the three columns with their fields. Before it does, each order closed with the
checklist gets the three answers it gave: the question as that wizard asked it, yes or no,
by whoever closed the order, at its closing.

Runs for every source (all said 18.0.1.0.0): one without the columns, or an order that
already has completion answers, is left as it is.
"""
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

CHECKLIST = (  # column, the question as the Close wizard of that version asked it
    ("check_work_done", "Work done as described"),
    ("check_site_clean", "Site left clean and safe"),
    ("check_customer_informed", "Customer informed of the result"),
)


def migrate(cr, version):
    columns = [(column, question) for column, question in CHECKLIST if column_exists(cr, "service_order", column)]
    if not columns:
        return
    cr.execute(SQL(
        """SELECT o.id, COALESCE(o.closed_by_id, o.write_uid), COALESCE(o.closed_date, o.write_date), %s
             FROM service_order o
            WHERE (%s)
              AND NOT EXISTS (SELECT 1 FROM service_step_answer a WHERE a.order_id = o.id AND a.step = 'complete')
            ORDER BY o.id""",
        SQL(", ").join(SQL.identifier("o", column) for column, _question in columns),
        SQL(" OR ").join(SQL("%s IS TRUE", SQL.identifier("o", column)) for column, _question in columns),
    ))
    rows = []
    for order_id, user_id, date, *checked in cr.fetchall():
        for sequence, ((_column, question), value) in enumerate(zip(columns, checked, strict=True), start=1):
            rows.append({"order_id": order_id, "step": "complete", "sequence": sequence, "name": question,
                         "answer_type": "yes_no", "value_yes_no": "yes" if value else "no",
                         "user_id": user_id, "date": date})
    if rows:
        # superuser: the trail is written by the addon only (service.trail.mixin), and this is
        # the addon moving its own trail from the old columns
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["service.step.answer"].create(rows)
    _logger.info("service_order: the closing checklist of %d orders kept as completion answers",
                 len({row["order_id"] for row in rows}))

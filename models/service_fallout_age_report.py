from odoo import fields, models
from odoo.tools import SQL

from .service_fallout_states import FALLOUT_STATES, OPEN_FALLOUT_STATES

AGE_BUCKETS = [
    ("1_under_1d", "Under 1 day"),
    ("2_1_3d", "1 to 3 days"),
    ("3_3_7d", "3 to 7 days"),
    ("4_over_7d", "Over 7 days"),
]


class ServiceFalloutAgeReport(models.Model):
    """Fallouts by age, as of now: a query over the fallouts (``_table_query``, no database
    view), so the ages never go stale. An open fallout's age runs until now, a resolved one's
    until its resolution."""

    _name = "service.fallout.age.report"
    _description = "Fallout Ageing Analysis"
    _auto = False
    _rec_name = "fallout_id"
    _order = "age_days desc"
    # what the query reads: flushed before the report is
    _depends = {"service.fallout": ["type_id", "order_id", "user_id", "company_id", "state", "reported_date",
                                    "due_date", "resolved_date"]}

    fallout_id = fields.Many2one("service.fallout", readonly=True)
    type_id = fields.Many2one("service.fallout.type", readonly=True)
    order_id = fields.Many2one("service.order", string="Service Order", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(FALLOUT_STATES, readonly=True)
    is_open = fields.Boolean("Open", readonly=True)
    reported_date = fields.Datetime("Reported On", readonly=True)
    due_date = fields.Datetime("Due By", readonly=True)
    age_days = fields.Float("Age (days)", readonly=True, aggregator="avg", digits=(16, 1))
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    is_overdue = fields.Boolean("Overdue", readonly=True)
    overdue_count = fields.Integer("Overdue Fallouts", readonly=True)

    @property
    def _table_query(self):
        age = SQL("EXTRACT(EPOCH FROM (COALESCE(f.resolved_date, NOW() AT TIME ZONE 'UTC') - f.reported_date)) / 86400.0")
        overdue = SQL("(f.state IN %s AND f.due_date IS NOT NULL AND f.due_date < NOW() AT TIME ZONE 'UTC')",
                      OPEN_FALLOUT_STATES)
        return SQL(
            """SELECT f.id, f.id AS fallout_id, f.type_id, f.order_id, f.user_id, f.company_id, f.state,
                      f.state IN %(open)s AS is_open, f.reported_date, f.due_date,
                      %(age)s AS age_days,
                      CASE WHEN %(age)s < 1 THEN '1_under_1d'
                           WHEN %(age)s < 3 THEN '2_1_3d'
                           WHEN %(age)s < 7 THEN '3_3_7d'
                           ELSE '4_over_7d' END AS age_bucket,
                      %(overdue)s AS is_overdue,
                      CASE WHEN %(overdue)s THEN 1 ELSE 0 END AS overdue_count
                 FROM service_fallout f""",
            open=OPEN_FALLOUT_STATES, age=age, overdue=overdue)

from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL

# mail's ranks of an activity's state (its _search_activity_state): the order's state is the
# lowest rank of its open activities
ACTIVITY_STATE_OF_RANK = {-1: "overdue", 0: "today", 1: "planned"}
# Kept by the mixin itself, never written by a role (added to service.order's protected fields).
CARD_PROTECTED_FIELDS = frozenset({"partner_name", "field_worker_count"})


class ServiceOrderCardMixin(models.AbstractModel):
    """What the board's cards and the order list read of every order, at a fixed, small cost
    per page: the activity state in one query, the customer's name stored, and the number of
    field workers stored next to the lead technician's avatar (the card shows one avatar and
    "+N", not every worker)."""

    _name = "service.order.card.mixin"
    _description = "Service Order: what cards and lists read"

    # the customer as the card and the list show it (a partner's display name is its stored
    # complete name, the address options aside): a column, where the display name of each
    # card's partner is computed again in every request
    partner_name = fields.Char("Customer Name", compute="_compute_partner_name", store=True)
    field_worker_count = fields.Integer(
        "Number of Field Workers", compute="_compute_field_worker_count", store=True,
        help="The lead technician and the other field workers of the order.")

    @api.depends("partner_id.complete_name")
    def _compute_partner_name(self):
        for order in self:
            order.partner_name = order.partner_id.complete_name

    @api.depends("field_worker_ids")
    def _compute_field_worker_count(self):
        for order in self:
            order.field_worker_count = len(order.field_worker_ids)

    @api.depends("activity_ids.state")
    def _compute_activity_state(self):
        """The state of the orders' next activities in one query for the whole page.
        mail.activity.mixin reads every activity through the ORM (six queries and their access
        checks for a page of cards); this reads the same rows with the rule of mail's own search
        of this field: an open activity is overdue, today or planned by its deadline against
        today in its assignee's time zone, and the order takes the most urgent.

        Whoever reads the order reads its activities (mail.activity's read access is the
        document's), so the query needs no other filter than the orders of the page."""
        if not all(isinstance(record_id, int) for record_id in self._ids):  # a form's new record
            return super()._compute_activity_state()
        Activity = self.env["mail.activity"]
        Activity.flush_model(["active", "date_deadline", "res_model", "res_id", "user_tz"])
        self.env.cr.execute(SQL(
            """SELECT res_id, MIN(SIGN(EXTRACT(day FROM (
                   date_deadline - DATE_TRUNC('day', %s AT TIME ZONE COALESCE(user_tz, 'utc'))
               ))))::int
                 FROM mail_activity
                WHERE res_model = %s AND res_id = ANY(%s) AND active
             GROUP BY res_id""", datetime.now(UTC), self._name, list(self._ids)))
        rank_of = dict(self.env.cr.fetchall())
        for order in self:
            order.activity_state = ACTIVITY_STATE_OF_RANK.get(rank_of.get(order.id), False)

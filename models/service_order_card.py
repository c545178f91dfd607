from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL

# mail's ranks of an activity's state (its _search_activity_state): the order's state is the
# lowest rank of its open activities
ACTIVITY_STATE_OF_RANK = {-1: "overdue", 0: "today", 1: "planned"}
# Kept by the mixin itself, never written by a role (added to service.order's protected fields).
CARD_PROTECTED_FIELDS = frozenset({"partner_name", "field_worker_count", "lead_technician_name", "vehicle_name"})
# Many2one fields of the cards and the list whose display name is kept on the order. The web
# client asks the display name of each; the ORM computes it from the co-records, and a user's
# name costs reading every column of their res_users and res_partner rows, and the users'
# company rule: 3 queries and 6 ms of a page of 80 cards, a third of the page.
STORED_DISPLAY_NAMES = {"lead_technician_id": "lead_technician_name", "vehicle_id": "vehicle_name"}
DISPLAY_NAME_ONLY = {"fields": {"display_name": {}}}


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
    # the display names of res.users (its name) and fleet.vehicle (its stored name)
    lead_technician_name = fields.Char(compute="_compute_stored_names", store=True)
    vehicle_name = fields.Char(compute="_compute_stored_names", store=True)
    field_worker_count = fields.Integer(
        "Number of Field Workers", compute="_compute_field_worker_count", store=True,
        help="The lead technician and the other field workers of the order.")

    @api.depends("partner_id.complete_name")
    def _compute_partner_name(self):
        for order in self:
            order.partner_name = order.partner_id.complete_name

    @api.depends("lead_technician_id.name", "vehicle_id.name")
    def _compute_stored_names(self):
        for order in self:
            order.lead_technician_name = order.lead_technician_id.name
            order.vehicle_name = order.vehicle_id.name

    @api.model
    def _served_display_names(self, specification):
        """The many2one fields of ``specification`` whose display name comes from the order."""
        return [fname for fname in STORED_DISPLAY_NAMES if specification.get(fname) == DISPLAY_NAME_ONLY]

    def web_read(self, specification):
        """The display names of STORED_DISPLAY_NAMES read from the order's own columns, when the
        client asks nothing else of those records (the card's avatar, a list's cell). The ids
        and everything else are Odoo's web_read."""
        served = self._served_display_names(specification)
        if not served:
            return super().web_read(specification)
        # a many2one asked without fields comes back as its id
        values_list = super().web_read({fname: {} if fname in served else spec
                                        for fname, spec in specification.items()})
        # in the cache after web_search_read; else read with the first order, for all of them
        for values, order in zip(values_list, self, strict=True):
            for fname in served:
                if values[fname]:
                    values[fname] = {"id": values[fname], "display_name": order[STORED_DISPLAY_NAMES[fname]]}
        return values_list

    @api.model
    @api.readonly
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        """A page's stored display names fetched with the page, by its one query."""
        extra = {STORED_DISPLAY_NAMES[fname]: {} for fname in self._served_display_names(specification)
                 if STORED_DISPLAY_NAMES[fname] not in specification}
        if not extra:
            return super().web_search_read(domain, specification, offset, limit, order, count_limit)
        result = super().web_search_read(domain, {**specification, **extra}, offset, limit, order, count_limit)
        for values in result["records"]:
            for fname in extra:
                del values[fname]
        return result

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

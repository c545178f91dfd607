from datetime import UTC, datetime

import pytz

from odoo import api, fields, models

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
        and everything else are Odoo's web_read.

        Why an override and not the stored fields alone: the card and the list show the lead
        technician with Odoo's avatar widget (``many2one_avatar_user``), which takes a many2one
        value, the user's id with its display name; a stored char cannot feed it, and the
        display name the ORM computes costs 3 queries and 6 ms of a page of 80 cards."""
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
        """The state of the orders' next activities, for the whole page in one grouped read.
        mail.activity.mixin reads every activity of every card through the ORM (the activities,
        then the documents' access for each). An open activity is overdue, today or planned by
        its deadline against today in its assignee's time zone (mail's own rule), and the order
        takes the most urgent: the earliest deadline per order and time zone says it."""
        if not all(isinstance(record_id, int) for record_id in self._ids):  # a form's new record
            return super()._compute_activity_state()
        # sudo: the activities of the orders being read (mail.activity's read access is the
        # document's); only their deadlines are read, per order and time zone
        groups = self.env["mail.activity"].sudo()._read_group(
            [("res_model", "=", self._name), ("res_id", "in", list(self._ids))],
            ["res_id", "user_tz"], ["date_deadline:min"])
        now = datetime.now(UTC)
        rank_of = {}
        for res_id, zone, deadline in groups:
            try:
                today = now.astimezone(pytz.timezone(zone or "UTC")).date()
            except pytz.UnknownTimeZoneError:
                today = now.date()
            rank = (deadline > today) - (deadline < today)
            rank_of[res_id] = min(rank, rank_of.get(res_id, rank))
        for order in self:
            order.activity_state = ACTIVITY_STATE_OF_RANK.get(rank_of.get(order.id), False)

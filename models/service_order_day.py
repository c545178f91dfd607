from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, SUPERVISOR_GROUP, TECHNICIAN_GROUP, text_to_html
from .service_order_assignment import ASSIGNMENT_STATES
from .service_order_states import OPEN_FIELD_STATES


class ServiceOrderDayMixin(models.AbstractModel):
    """The technician's day on a phone: each role's landing page, the field workers'
    acceptance of their assignment, and what a card of *My day* needs (the time window, a
    navigation and a phone link; its big button is service.order.actions.mixin's)."""

    _name = "service.order.day.mixin"
    _description = "Service Order: the technician's day"

    assignment_ids = fields.One2many("service.order.assignment", "order_id", string="Assignments", readonly=True)
    acceptance = fields.Selection(
        ASSIGNMENT_STATES, compute="_compute_acceptance", store=True,
        help="Accepted once every field worker accepted; declined as soon as one declined.")
    my_assignment_state = fields.Selection(ASSIGNMENT_STATES, compute="_compute_my_day")
    time_window = fields.Char(compute="_compute_my_day")
    navigation_url = fields.Char(compute="_compute_links")
    phone_url = fields.Char(compute="_compute_links")
    contact_phone = fields.Char(compute="_compute_links")
    assigned_to_me = fields.Boolean(
        "Assigned to Me", compute="_compute_assigned_to_me", search="_search_assigned_to_me",
        help="You are one of the order's field workers (the domain of My Orders and My Day).")
    # the days, in the user's time zone: My Day shows today first, the date on the others, flags
    # the open jobs of days gone, and warns before leaving for a job of another day
    is_today = fields.Boolean(
        "Today", compute="_compute_day", search="_search_is_today",
        help="Scheduled today (in your time zone), or over several days including today.")
    is_other_day = fields.Boolean(
        compute="_compute_day", help="Scheduled, but not today: leaving for it asks first.")
    is_overdue = fields.Boolean(
        compute="_compute_day", search="_search_is_overdue",
        help="Planned or under way, and scheduled for a day gone by: still to finish.")
    in_my_day = fields.Boolean(
        compute="_compute_day", search="_search_in_my_day",
        help="Yours, planned or under way, scheduled up to tomorrow (the open jobs of days gone included).")

    @api.depends("field_worker_ids")
    @api.depends_context("uid")
    def _compute_assigned_to_me(self):
        for order in self:
            order.assigned_to_me = self.env.user in order.field_worker_ids

    def _is_plain_technician(self):
        """A technician who is not a dispatcher: their record rule is being a field worker."""
        user = self.env.user
        return not self.env.su and user.has_group(TECHNICIAN_GROUP) and not user.has_group(DISPATCHER_GROUP)

    def _search_assigned_to_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Assigned to Me with = or != and True or False."))
        mine = (operator == "=") == value
        if mine and self._is_plain_technician():
            # a technician's record rule is this very condition (service_order_rule_technician):
            # said twice, PostgreSQL joins the technician's rows twice, misjudges how many there
            # are and reads every order of theirs, closed ones too (3x slower at 100,000 orders)
            return [(1, "=", 1)]
        return [("field_worker_ids", "in" if mine else "not in", self.env.uid)]

    @api.depends("assignment_ids.state", "field_worker_ids")
    def _compute_acceptance(self):
        for order in self:
            states = {a.state for a in order.assignment_ids if a.user_id in order.field_worker_ids}
            order.acceptance = ("declined" if "declined" in states else "pending" if "pending" in states
                                else "accepted" if states else False)

    @api.depends("assignment_ids.state", "scheduled_start", "scheduled_end")
    @api.depends_context("uid", "tz")
    def _compute_my_day(self):
        try:
            zone = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        for order in self:
            mine = order.assignment_ids.filtered(lambda a: a.user_id == self.env.user)[:1]
            order.my_assignment_state = mine.state
            start, end = order.scheduled_start, order.scheduled_end
            # naive UTC in, the user's time zone out (HH:mm reads the same in every language)
            order.time_window = " – ".join(
                pytz.utc.localize(moment).astimezone(zone).strftime("%H:%M")
                for moment in (start, end) if moment) or False

    def _user_zone(self):
        try:
            return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _local_day_bounds(self, days=0):
        """The start (naive UTC, as stored) of the user's local day ``days`` after today."""
        zone = self._user_zone()
        today = datetime.now(zone).date() + timedelta(days=days)
        return zone.localize(datetime.combine(today, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

    @api.depends("scheduled_start", "scheduled_end", "state", "field_worker_ids")
    @api.depends_context("uid", "tz")
    def _compute_day(self):
        today, tomorrow, after = (self._local_day_bounds(days) for days in (0, 1, 2))
        for order in self:
            start = order.scheduled_start
            end = max(order.scheduled_end or start, start) if start else False
            field_open = order.state in OPEN_FIELD_STATES
            order.is_today = bool(start) and start < tomorrow and end >= today
            order.is_other_day = bool(start) and not order.is_today
            order.is_overdue = bool(start) and field_open and end < today
            order.in_my_day = bool(start) and field_open and start < after \
                and self.env.user in order.field_worker_ids

    def _search_is_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Today with = or != and True or False."))
        today, tomorrow = self._local_day_bounds(0), self._local_day_bounds(1)
        domain = [("scheduled_start", "<", tomorrow), "|", ("scheduled_end", ">=", today),
                  "&", ("scheduled_end", "=", False), ("scheduled_start", ">=", today)]
        return domain if (operator == "=") == value else ["!", *domain]

    def _search_is_overdue(self, operator, value):
        if operator != "=" or value is not True:
            raise UserError(self.env._("Search Overdue with = True."))
        today = self._local_day_bounds(0)
        return [("state", "in", OPEN_FIELD_STATES), ("scheduled_start", "<", today), "|",
                ("scheduled_end", "<", today), ("scheduled_end", "=", False)]

    def _search_in_my_day(self, operator, value):
        """My Day: the user's open field jobs scheduled up to the end of tomorrow (their time zone),
        the jobs of days gone still open included (flagged overdue)."""
        if operator != "=" or value is not True:
            raise UserError(self.env._("Search In My Day with = True."))
        return [("assigned_to_me", "=", True), ("state", "in", OPEN_FIELD_STATES),
                ("scheduled_start", "<", self._local_day_bounds(2))]

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        """My Day (``service_my_day`` in the context) reads today's jobs first, by time, then the
        open jobs of days gone (oldest first), then tomorrow's: a day is worked from the top.
        A technician's day fits one page of cards; the order is made within the page."""
        result = super().web_search_read(domain, specification, offset=offset, limit=limit, order=order,
                                         count_limit=count_limit)
        if self.env.context.get("service_my_day") and result.get("records"):
            orders = self.browse([record["id"] for record in result["records"]])
            rank = {order.id: (0 if order.is_today else 1 if order.is_overdue else 2,
                               order.scheduled_start or datetime.max, order.id) for order in orders}
            result["records"].sort(key=lambda record: rank[record["id"]])
        return result

    @api.depends("location_id", "partner_id")
    def _compute_links(self):
        for order in self:
            place = order.location_id or order.partner_id
            if place.partner_latitude or place.partner_longitude:
                lat, lng = place.partner_latitude, place.partner_longitude
                # geo: opens the phone's navigation app; the label names the place
                order.navigation_url = f"geo:{lat:.6f},{lng:.6f}?q={lat:.6f},{lng:.6f}({quote(place.display_name or '')})"
            elif order.location_address:
                order.navigation_url = f"https://www.openstreetmap.org/search?query={quote(order.location_address)}"
            else:
                order.navigation_url = False
            phone = place.phone or place.mobile or order.partner_id.phone or order.partner_id.mobile
            order.contact_phone = phone or False
            order.phone_url = "tel:" + "".join(c for c in phone if c.isdigit() or c == "+") if phone else False

    def action_navigate(self):
        """Open the way to the intervention location in the phone's navigation app."""
        self.ensure_one()
        if not self.navigation_url:
            raise UserError(self.env._("Order %(name)s has no address to go to.", name=self.name))
        return {"type": "ir.actions.act_url", "url": self.navigation_url, "target": "new"}

    def action_call(self):
        """Call the contact on site."""
        self.ensure_one()
        if not self.phone_url:
            raise UserError(self.env._("No phone number is known for %(name)s.", name=self.name))
        return {"type": "ir.actions.act_url", "url": self.phone_url, "target": "self"}

    # ------------------------------------------------------------------
    # Landing page per role
    # ------------------------------------------------------------------
    @api.model
    def _landing_action(self):
        """Where each role lands when opening the app: a supervisor on the orders waiting
        for approval, a dispatcher on the board of open orders (with New), a technician on
        *My day*."""
        user = self.env.user
        if user.has_group(SUPERVISOR_GROUP) and self.search_count([("state", "=", "submitted")]):
            xmlid = "service_order.service_order_action_to_approve"
        elif user.has_group(DISPATCHER_GROUP):
            xmlid = "service_order.service_order_action"
        else:
            xmlid = "service_order.service_order_action_my_day"
        return self.env["ir.actions.actions"]._for_xml_id(xmlid)

    # ------------------------------------------------------------------
    # Accept or decline an assignment
    # ------------------------------------------------------------------
    def _sync_assignments(self):
        """Each field worker has an assignment to accept (kept when they leave: the trail)."""
        rows = [{"order_id": order.id, "user_id": user.id}
                for order in self for user in order.field_worker_ids - order.assignment_ids.user_id]
        if rows:  # assignments follow the field workers, which the caller could change
            self.env["service.order.assignment"]._create_trail(rows)

    def _my_assignment(self):
        self.ensure_one()
        if not self._is_field_worker():
            raise AccessError(self.env._("You are not a field worker of order %(name)s.", name=self.name))
        if self.state not in OPEN_FIELD_STATES:
            raise UserError(self.env._("Order %(name)s is not planned or under way.", name=self.name))
        return self.assignment_ids.filtered(lambda a: a.user_id == self.env.user)

    def action_accept_assignment(self):
        """Accept the assignment: the dispatcher sees it on the card."""
        for order in self:
            assignment = order._my_assignment()
            if assignment.state == "accepted":
                continue
            # the field worker's own answer, checked above
            assignment._write_trail({"state": "accepted", "date": fields.Datetime.now(), "decline_reason": False})
            order.message_post(body=self.env._("%(user)s accepted the assignment.", user=self.env.user.name))
        return True

    def _accept_assignment_on_departure(self):
        """Going on the way is accepting (no extra tap)."""
        pending = self.assignment_ids.filtered(lambda a: a.user_id == self.env.user and a.state == "pending")
        # the field worker's own answer, given by leaving for the site
        pending._write_trail({"state": "accepted", "date": fields.Datetime.now()})

    def action_open_decline(self):
        """Open the Decline form (reason required)."""
        self._my_assignment()
        return self._open_wizard("service.order.decline", self.env._("Decline %(name)s", name=self.name))

    def _do_decline_assignment(self, reason):
        """Decline the assignment with a reason: the dispatcher gets an activity to re-plan."""
        reason = self._require_reason(reason, self.env._("Say why you decline: a reason is required."))
        for order in self:
            assignment = order._my_assignment()
            if order.technician_status != "planned":
                raise UserError(self.env._("Order %(name)s is under way: report a fallout instead.", name=order.name))
            # the field worker's own answer, checked above
            assignment._write_trail({"state": "declined", "date": fields.Datetime.now(), "decline_reason": reason})
            body = self.env._("%(user)s declined the assignment: %(reason)s", user=self.env.user.name, reason=reason)
            order.message_post(body=body)
            # the reason as typed, as text: never markup in the dispatcher's activity
            order.activity_schedule("service_order.mail_act_assignment_declined", user_id=order._get_wait_approver().id,
                                    note=text_to_html(body))
        return True

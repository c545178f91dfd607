from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import (
    DISPATCHER_GROUP,
    TECHNICIAN_GROUP,
    check_schedule_date,
    datetime_formatter,
    technicians_among,
    wizard_action,
)
from .service_order_states import APPROVED_OPEN_STATES, CLOSED_STATES, OPEN_STATES

# What a drop on the planning (the timeline, the calendar) may change: the time window and the
# row's technician. Anything else the view would write is refused.
DROP_FIELDS = frozenset({"scheduled_start", "scheduled_end", "lead_technician_id"})
# Orders a day's reassignment moves: approved, not started.
REASSIGNABLE_STATES = ("to_plan", "planned")


def user_zone(env):
    """The time zone of the request (the web client's context), else the user's."""
    try:
        return pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def day_bounds(env, moment):
    """(first, last) naive UTC moments of the day of ``moment`` (naive UTC) in the user's time zone."""
    zone = user_zone(env)
    return date_bounds(zone, pytz.utc.localize(moment).astimezone(zone).date())


def date_bounds(zone, day):
    """(first, last) naive UTC moments of the date ``day`` in the time zone ``zone``."""
    first = zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
    last = zone.localize(datetime.combine(day + timedelta(days=1), time.min)).astimezone(pytz.utc).replace(tzinfo=None)
    return first, last


class ServiceOrderBookingMixin(models.AbstractModel):
    """Dispatch at the speed of a phone call: the dispatcher books the order while taking the
    call (lead technician, field workers, vehicle, time window), seeing each chosen technician's
    other orders that day and the free technicians of the type's skill; Planned means booked
    (a lead technician and a start, else the order waits To Plan); re-planning an approved
    order (a drop on the timeline or the calendar, Plan, Reassign the day) is one confirmation
    and one new version per order, and the technicians concerned are told."""

    _name = "service.order.booking.mixin"
    _description = "Service Order: booking and re-planning"

    technician_day = fields.Html(
        "Their Day", compute="_compute_technician_day", sanitize=False, groups=DISPATCHER_GROUP,
        help="The other orders of each chosen technician on the day of the start; a double booking in red.")
    suggested_technician_ids = fields.Many2many(
        "res.users", string="Free Technicians", compute="_compute_suggested_technician_ids", groups=DISPATCHER_GROUP,
        help="Technicians with the skill the order type requires, free over the time window.")

    # ------------------------------------------------------------------
    # Booking on the form
    # ------------------------------------------------------------------
    @api.onchange("lead_technician_id")
    def _onchange_lead_technician_id(self):
        # the lead works on the order: one choice books them
        if self.lead_technician_id and self.lead_technician_id not in self.field_worker_ids:
            self.field_worker_ids |= self.lead_technician_id

    @api.onchange("field_worker_ids")
    def _onchange_field_worker_ids(self):
        if self.lead_technician_id not in self.field_worker_ids:
            self.lead_technician_id = self.field_worker_ids[:1]

    # both for the booking of a draft only: an approved order is re-planned in a wizard, which shows them
    @api.depends("state", "field_worker_ids", "lead_technician_id", "scheduled_start", "scheduled_end")
    @api.depends_context("uid", "tz")
    def _compute_technician_day(self):
        for order in self:
            users = (order.field_worker_ids | order.lead_technician_id) if order.state == "draft" else False
            order.technician_day = self._technician_day_html(
                users, order.scheduled_start, order.scheduled_end, exclude=order._origin) if users else False

    @api.model
    def _technician_day_html(self, users, start, end, exclude=None):
        """The other open orders of ``users`` on the day of ``start`` (the current user's time zone),
        as HTML: one line per technician, an order overlapping ``start``-``end`` in red. Only the
        orders the current user may read are listed."""
        users = users._origin  # a form being edited holds new records of the users
        if not users or not start:
            return False
        first, last = day_bounds(self.env, start)
        orders = self.search([
            ("field_worker_ids", "in", users.ids), ("state", "in", OPEN_STATES), ("id", "not in", exclude.ids if exclude else []),
            ("scheduled_start", "<", last), "|", ("scheduled_end", ">", first), ("scheduled_start", ">=", first),
        ], order="scheduled_start")
        zone = user_zone(self.env)

        def zone_time(moment):
            return pytz.utc.localize(moment).astimezone(zone).strftime("%H:%M") if moment else "…"

        lines = []
        for user in users.sorted("name"):
            theirs = orders.filtered(lambda o, user=user: user in o.field_worker_ids)
            items = []
            for other in theirs:
                overlaps = bool(end) and other.scheduled_start < end and (other.scheduled_end or other.scheduled_start) > start
                text = escape(self.env._("%(start)s to %(end)s %(name)s %(customer)s",
                                         start=zone_time(other.scheduled_start), end=zone_time(other.scheduled_end),
                                         name=other.name, customer=other.partner_id.display_name or ""))
                items.append(Markup('<span class="text-danger fw-bold">%s (%s)</span>') % (
                    text, self.env._("double booking")) if overlaps else text)
            body = Markup("; ").join(items) if items else escape(self.env._("no other order that day"))
            lines.append(Markup("<li><b>%s</b>: %s</li>") % (user.name, body))
        return Markup('<ul class="list-unstyled mb-0">%s</ul>') % Markup("").join(lines)

    @api.depends("state", "order_type_id.skill_id", "scheduled_start", "scheduled_end", "field_worker_ids",
                 "company_id")
    def _compute_suggested_technician_ids(self):
        for order in self:
            if order.state != "draft":
                order.suggested_technician_ids = False
                continue
            order.suggested_technician_ids = self._free_technicians(
                order.company_id, order.order_type_id.skill_id, order.scheduled_start, order.scheduled_end,
                exclude=order._origin) - order.field_worker_ids._origin

    @api.model
    def _free_technicians(self, company, skill, start, end, exclude=None):
        """The technicians of ``company`` with ``skill`` (without one: those who are technicians
        only, not office staff) who have no open order overlapping ``start``-``end``."""
        domain = [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids), ("share", "=", False),
                  ("company_ids", "in", company.ids)]
        domain += [("service_skill_ids", "in", skill.ids)] if skill else \
            [("groups_id", "not in", self.env.ref(DISPATCHER_GROUP).ids)]
        users = self.env["res.users"].search(domain, order="name")
        if users and start and end and start < end:
            # sudo: only who is busy is read (their orders of any company make them busy), no order
            busy = self.sudo()._read_group([
                ("field_worker_ids", "in", users.ids), ("state", "not in", CLOSED_STATES),
                ("scheduled_start", "<", end), ("scheduled_end", ">", start),
                ("id", "not in", exclude.ids if exclude else [])], ["field_worker_ids"], [])
            users -= self.env["res.users"].browse([user.id for (user,) in busy])
        return users

    # ------------------------------------------------------------------
    # Planned means booked
    # ------------------------------------------------------------------
    @api.constrains("state", "lead_technician_id", "scheduled_start")
    def _check_planned_is_booked(self):
        for order in self:
            if order.state == "planned" and not order._is_booked():
                raise ValidationError(self.env._(
                    "Order %(name)s cannot be Planned without a lead technician and a start: it waits To Plan.",
                    name=order.name))

    def _state_after_booking(self, vals):
        """The state the order moves to when ``vals`` (a confirmation's changes) are written: planned
        once booked, back to plan when it loses its lead technician or its start before the work
        starts; None when it stays."""
        self.ensure_one()
        lead = vals.get("lead_technician_id", self.lead_technician_id.id)
        start = vals.get("scheduled_start", self.scheduled_start)
        booked = bool(lead and start)
        if self.state == "to_plan" and booked:
            return "planned"
        if self.state == "planned" and not booked:
            return "to_plan"
        return None

    def _on_state_changed(self, new_state):
        """A planned order is announced to its field workers: it is in their day now."""
        result = super()._on_state_changed(new_state)
        if new_state == "planned":
            when = datetime_formatter(self.env)
            for order in self:
                order.message_post(
                    body=self.env._("Planned: %(start)s to %(end)s, %(place)s, lead technician %(lead)s.",
                                    start=when(order.scheduled_start), end=when(order.scheduled_end) or "…",
                                    place=order.location_address or order.partner_id.display_name or "",
                                    lead=order.lead_technician_id.name),
                    partner_ids=order.field_worker_ids.partner_id.ids, message_type="comment",
                    subtype_xmlid="mail.mt_comment")
        return result

    # ------------------------------------------------------------------
    # Re-planning an approved order: one confirmation, one version
    # ------------------------------------------------------------------
    def _check_can_replan(self):
        """A dispatcher re-plans approved open orders (to plan, planned, under way)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._(
                "Only dispatchers re-plan orders; a technician records what changes on site with Create a "
                "Confirmation."))
        labels = dict(self._fields["state"]._description_selection(self.env))
        for order in self:
            if order.state in CLOSED_STATES:
                raise UserError(self.env._("Order %(name)s is %(state)s: a closed order is not re-planned.",
                                           name=order.name, state=labels[order.state]))
            if order.state not in APPROVED_OPEN_STATES:
                raise UserError(self.env._(
                    "Order %(name)s is %(state)s: it is re-planned once approved (a draft changes on its form).",
                    name=order.name, state=labels[order.state]))

    def _check_bookable(self, users):
        """Refuse ``users`` who are not technicians working in the order's company."""
        self.ensure_one()
        others = users - technicians_among(self.env, users)
        if others:
            raise UserError(self.env._("Only technicians can be booked; not: %(names)s.",
                                       names=", ".join(others.mapped("name"))))
        # sudo: the companies of the users, whatever the caller may read of them
        elsewhere = users.sudo().filtered(lambda user: self.company_id not in user.company_ids)
        if elsewhere:
            raise UserError(self.env._("%(names)s do not work in %(company)s.",
                                       names=", ".join(elsewhere.mapped("name")), company=self.company_id.name))

    def _do_replan(self, reason, lead=None, start=None, end=None, vehicle=None, joining=None, leaving=None):
        """Re-plan an approved order (dispatcher): a new lead technician (the former lead leaves,
        unless ``leaving`` says who leaves), technicians ``joining``, a new time window, a new
        vehicle. One confirmation and the next PDF version (the job runner makes it); planned once
        booked; the technicians concerned (who come, who stay, who leave) are told."""
        self.ensure_one()
        self._check_can_replan()
        return self._replan(reason, lead=lead, start=start, end=end, vehicle=vehicle, joining=joining,
                            leaving=leaving)

    def _replan(self, reason, lead=None, start=None, end=None, vehicle=None, joining=None, leaving=None):
        """The re-planning once the caller checked who acts (``_do_replan`` for a dispatcher; the
        customer's appointment link for a window it offered): one confirmation, one version."""
        self.ensure_one()
        if self.state not in APPROVED_OPEN_STATES:
            raise UserError(self.env._("Order %(name)s is not an approved open order: it is not re-planned.",
                                       name=self.name))
        Users = self.env["res.users"]
        lead = lead or self.lead_technician_id
        if not lead:
            raise UserError(self.env._("Choose the lead technician of %(name)s.", name=self.name))
        joining = (joining or Users) | lead
        self._check_bookable(joining - self.field_worker_ids)
        if leaving is None:
            leaving = self.lead_technician_id - lead
        leaving -= joining
        for moment, label in ((start, self.env._("The start")), (end, self.env._("The end"))):
            check_schedule_date(self.env, moment, label)
        if start and end and end <= start:
            raise ValidationError(self.env._("Order %(name)s: the end must come after the start.", name=self.name))
        before = self.field_worker_ids
        confirmation = self._record_confirmation(
            reason, workers=joining, remove_workers=leaving, lead=lead,
            scheduled_start=start if start != self.scheduled_start else None,
            scheduled_end=end if end != self.scheduled_end else None,
            vehicle=vehicle if vehicle and vehicle != self.vehicle_id else None)
        self._notify_replanned(before | self.field_worker_ids, confirmation)
        return confirmation

    def _notify_replanned(self, users, confirmation):
        """Tell ``users`` (who come, stay and leave) what the re-planning made of the order."""
        self.ensure_one()
        when = datetime_formatter(self.env)
        self.message_post(
            body=self.env._(
                "Re-planned by %(user)s (version %(version)s): %(start)s to %(end)s, lead technician %(lead)s, "
                "field workers %(workers)s. %(reason)s", user=self.env.user.name,
                version=confirmation.document_id.version, start=when(self.scheduled_start),
                end=when(self.scheduled_end) or "…", lead=self.lead_technician_id.name or "—",
                workers=", ".join(self.field_worker_ids.mapped("name")) or "—", reason=confirmation.reason),
            partner_ids=users.partner_id.ids, message_type="comment", subtype_xmlid="mail.mt_comment")

    def _replan_reason(self, lead, start, end):
        """The reason a re-planning proposes (the dispatcher may change it): what moves."""
        self.ensure_one()
        when = datetime_formatter(self.env)
        changes = []
        if lead and lead != self.lead_technician_id:
            changes.append(self.env._("lead technician %(old)s to %(new)s",
                                      old=self.lead_technician_id.name or "—", new=lead.name))
        if (start and start != self.scheduled_start) or (end and end != self.scheduled_end):
            changes.append(self.env._("%(old_start)s to %(old_end)s moved to %(start)s to %(end)s",
                                      old_start=when(self.scheduled_start) or "—", old_end=when(self.scheduled_end) or "—",
                                      start=when(start or self.scheduled_start), end=when(end or self.scheduled_end)))
        return self.env._("Re-planned by %(user)s: %(changes)s.", user=self.env.user.name,
                          changes="; ".join(changes) or self.env._("booked"))

    def action_open_plan(self):
        """Plan an approved order that waits To Plan: its lead technician and its time window (a
        confirmation, the next version)."""
        self._check_can_replan()
        return self._open_wizard("service.order.replan", self.env._("Plan %(name)s", name=self.name))

    def action_replan_from_drop(self, values):
        """A drop on the planning (a move or a resize on the timeline or the calendar): ``values``
        are what the view would write (start, end, the row's technician). A draft changes at once;
        an approved order opens the re-planning confirmation prefilled with them (one confirmation
        and one version when confirmed, nothing when cancelled); anything else is refused. Returns
        the action to open, or False."""
        self.ensure_one()
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers re-plan orders."))
        values = dict(values or {})
        unknown = set(values) - DROP_FIELDS
        if unknown:
            raise UserError(self.env._("A drop on the planning moves an order's time window or technician, not: "
                                       "%(fields)s.", fields=", ".join(sorted(unknown))))
        start, end = (self._drop_moment(values, name) for name in ("scheduled_start", "scheduled_end"))
        start = start or self.scheduled_start
        end = end or self.scheduled_end
        if start and end and end <= start:
            raise ValidationError(self.env._("Order %(name)s: the end must come after the start.", name=self.name))
        lead = self.lead_technician_id
        if "lead_technician_id" in values:
            lead = self.env["res.users"].browse(values["lead_technician_id"] or []).exists()
            if not lead or not isinstance(values["lead_technician_id"], int):
                raise UserError(self.env._("Drop %(name)s on a technician's row: an order keeps a lead technician.",
                                           name=self.name))
            self._check_bookable(lead)
        if self.state == "draft":
            return self._drop_on_draft(lead, start, end)
        self._check_can_replan()
        if lead == self.lead_technician_id and start == self.scheduled_start and end == self.scheduled_end:
            return False
        action = wizard_action(self.env._("Re-plan %(name)s", name=self.name), "service.order.replan", {
            "default_order_id": self.id, "default_lead_technician_id": lead.id,
            "default_scheduled_start": fields.Datetime.to_string(start),
            "default_scheduled_end": fields.Datetime.to_string(end)})
        # called by the view's script (not a button): the action as the web client runs it
        return dict(action, views=[(False, "form")])

    def _drop_moment(self, values, name):
        value = values.get(name)
        if not value:
            return None
        check_schedule_date(self.env, value, self._fields[name]._description_string(self.env))
        return fields.Datetime.to_datetime(value)

    def _drop_on_draft(self, lead, start, end):
        """A draft is not issued yet: the drop changes it (as its form would), and says whom it
        double-books."""
        vals = {"scheduled_start": start, "scheduled_end": end}
        if lead != self.lead_technician_id:
            vals["lead_technician_id"] = lead.id
            vals["field_worker_ids"] = [Command.unlink(user.id) for user in self.lead_technician_id] + [
                Command.link(lead.id)]
        self.write(vals)
        if not self.schedule_warning:
            return False
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "warning", "sticky": False, "title": self.env._("Double booking"),
            "message": self.schedule_warning}}

    # ------------------------------------------------------------------
    # Reassign the day
    # ------------------------------------------------------------------
    @api.model
    def _orders_of_day(self, user, day):
        """The approved orders ``user`` works on, not started, starting on ``day`` (the current
        user's time zone), by start."""
        first, last = date_bounds(user_zone(self.env), day)
        return self.search([
            ("field_worker_ids", "in", user.id), ("state", "in", REASSIGNABLE_STATES),
            ("technician_status", "=", "planned"), ("scheduled_start", ">=", first), ("scheduled_start", "<", last),
        ], order="scheduled_start, id")

    @api.model
    def _do_reassign_day(self, from_user, to_user, day, reason):
        """Give ``to_user`` all the open orders of ``from_user`` on ``day``, in one go: each order
        is re-planned with its own confirmation and version (the lead's orders get ``to_user`` as
        their lead), and both technicians are told."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers reassign a technician's day."))
        if not from_user or not to_user or not day:
            raise UserError(self.env._("Choose the technician, the day and who takes it over."))
        if from_user == to_user:
            raise UserError(self.env._("Choose another technician to take over the day of %(user)s.",
                                       user=from_user.name))
        orders = self._orders_of_day(from_user, day)
        if not orders:
            raise UserError(self.env._("%(user)s has no order to reassign on %(day)s.", user=from_user.name,
                                       day=fields.Date.to_string(day)))
        for order in orders:
            lead = to_user if order.lead_technician_id in (from_user, self.env["res.users"]) else order.lead_technician_id
            order._do_replan(reason, lead=lead, joining=to_user, leaving=from_user)
        return orders

    # ------------------------------------------------------------------
    # The planning's rows
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def get_planning_technicians(self):
        """``[{"id", "name"}]``: the technicians of the current companies, a row each on the
        planning timeline (office staff only when they have a skill)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            return []
        users = self.env["res.users"].search([
            ("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids), ("share", "=", False),
            ("company_ids", "in", self.env.companies.ids),
            "|", ("groups_id", "not in", self.env.ref(DISPATCHER_GROUP).ids), ("service_skill_ids", "!=", False),
        ], order="name")
        return [{"id": user.id, "name": user.name} for user in users]

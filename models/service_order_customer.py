import secrets
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import consteq, format_datetime, plaintext2html

from .common import (
    DISPATCHER_GROUP,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    TECHNICIAN_GROUP,
    check_text,
    text_to_html,
    wake_job_runner,
)
from .service_order_states import CLOSED_STATES

# The customer picks a new window among the next days' free windows of the technicians.
WINDOW_DAYS = 7
WINDOWS_PER_DAY = 6
# The windows start on the hour, and not sooner than this from now.
MIN_NOTICE = timedelta(hours=2)
# The length of a visit without a scheduled end.
DEFAULT_VISIT = timedelta(hours=1)
# The speed assumed from the day route's distance to the order, when no ETA was given (km/h).
ROUTE_SPEED_KMH = 40.0
# A rating of this or less gives the supervisor an activity.
LOW_RATING = 2
# Kept by the mixin itself, never written by a role (added to service.order's protected fields).
CUSTOMER_PROTECTED_FIELDS = frozenset({
    "customer_token", "customer_notices_due", "appointment_sent_start", "appointment_sent_lead_id", "appointment_confirmed_date",
    "reschedule_requested_start", "reschedule_requested_end", "reschedule_requested_user_id",
})


class ServiceOrderCustomerMixin(models.AbstractModel):
    """The customer in the loop: the appointment notice when the order is planned or re-planned
    (confirm, or pick another free window), "On my way" with a link to the visit's status page
    (the technician's status and the expected arrival, then the completion report), and the
    rating of the visit. The customer's page is reached with a token of its own, per order, that
    shows this order only and expires at its closing plus the company's delay; every page reads
    only, what the customer does is a POST checked by the token."""

    _name = "service.order.customer.mixin"
    _description = "Service Order: the customer in the loop"

    # the link's secret: read by the system only (the notices are rendered under sudo); neither a
    # technician nor a dispatcher re-plans in the customer's name with it
    customer_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    # the notices the job runner e-mails next ("appointment,on_the_way,rating"): rendering and
    # queueing an e-mail is off the technician's and the dispatcher's request
    customer_notices_due = fields.Char(readonly=True, copy=False, groups="base.group_system")
    appointment_sent_start = fields.Datetime("Appointment Notice For", readonly=True, copy=False,
                                             groups=DISPATCHER_GROUP)
    appointment_sent_lead_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null",
                                               groups=DISPATCHER_GROUP)
    appointment_confirmed_date = fields.Datetime(
        "Confirmed by the Customer", readonly=True, copy=False,
        help="When the customer confirmed the appointment from its notice (cleared by a new notice).")
    reschedule_requested_start = fields.Datetime("Customer Asks From", readonly=True, copy=False)
    reschedule_requested_end = fields.Datetime("Customer Asks Until", readonly=True, copy=False)
    reschedule_requested_user_id = fields.Many2one("res.users", "Customer Asks For", readonly=True, copy=False,
                                                   ondelete="set null")

    # what the notices print (their templates are the company's to edit): the window in the
    # customer's time zone and language, the technician's first name, the link
    customer_window = fields.Char("Window for the Customer", compute="_compute_customer_notice")
    customer_technician = fields.Char("Technician's First Name", compute="_compute_customer_notice")
    customer_link = fields.Char(compute="_compute_customer_link", groups="base.group_system")
    customer_photo_url = fields.Char(compute="_compute_customer_link", groups="base.group_system")

    @api.depends("scheduled_start", "scheduled_end", "partner_id", "lead_technician_id")
    def _compute_customer_notice(self):
        for order in self:
            order.customer_window = order._customer_window() if order.id else False
            order.customer_technician = order._technician_first_name() if order.id else False

    @api.depends("customer_token", "lead_technician_id.service_photo_to_customers")
    def _compute_customer_link(self):
        for order in self:
            order.customer_link = order._customer_url() if order.customer_token else False
            order.customer_photo_url = order._customer_url("/technician") if (
                order.customer_token and order._technician_photo()) else False

    # ------------------------------------------------------------------
    # The link
    # ------------------------------------------------------------------
    def _customer_link_expired(self, now=None):
        """Whether the order's customer link stopped working: at its closing plus the company's
        delay (an order cancelled or rejected without a closing: at once)."""
        self.ensure_one()
        if self.state not in CLOSED_STATES:
            return False
        if not self.closed_date:
            return True
        hours = self.company_id.service_status_link_hours
        return (now or fields.Datetime.now()) > self.closed_date + timedelta(hours=hours)

    @api.model
    def _get_by_customer_token(self, order_id, token):
        """The order of the customer's link, as superuser, or an empty recordset: the token must be
        the order's own (compared in constant time) and the link not expired. The caller (a route
        without login) reads this order only."""
        # sudo: a visitor without an account; the token below decides, for this order only
        order = self.sudo().browse(int(order_id)).exists()
        if not order or not token or not order.customer_token or not consteq(order.customer_token, str(token)):
            return self.sudo().browse()
        if order._customer_link_expired():
            return self.sudo().browse()
        return order

    def _ensure_customer_token(self):
        """The token of the customer's link, made once (when the first notice is sent)."""
        # sudo: the token is the system's; written by the notice, never by a role
        for order in self.sudo().filtered(lambda o: not o.customer_token):
            order.customer_token = secrets.token_urlsafe(24)

    def _customer_url(self, page=""):
        self.ensure_one()
        order = self.sudo()  # sudo: the token, for the notice the system e-mails
        return f"{order.get_base_url()}/service/visit/{order.id}/{order.customer_token}{page}"

    def _customer_zone(self):
        self.ensure_one()
        # the customer's, else the company's (never the reader's: the e-mail and the page agree)
        name = self.partner_id.tz or self.company_id.partner_id.tz or self.company_id.resource_calendar_id.tz or "UTC"
        return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc

    def _customer_lang(self):
        return self.partner_id.lang or self.company_id.partner_id.lang or "en_US"

    def _customer_time(self, moment, dt_format="short"):
        """``moment`` (naive UTC) in the customer's time zone and language."""
        self.ensure_one()
        if not moment:
            return ""
        return format_datetime(self.env, moment, tz=self._customer_zone().zone, dt_format=dt_format,
                               lang_code=self._customer_lang())

    def _customer_window(self, start=None, end=None):
        """The window as the customer reads it: "Tuesday 9 June 2026, 10:00 - 12:00"."""
        self.ensure_one()
        start = start or self.scheduled_start
        end = end or self.scheduled_end
        if not start:
            return ""
        zone = self._customer_zone()
        day = format_datetime(self.env, start, tz=zone.zone, dt_format="EEEE d MMMM y", lang_code=self._customer_lang())
        local = lambda moment: pytz.utc.localize(moment).astimezone(zone).strftime("%H:%M")
        return f"{day}, {local(start)} - {local(end)}" if end else f"{day}, {local(start)}"

    def _technician_photo(self):
        """The lead technician's photo (PNG/JPEG bytes) if they allow customers to see it, else None."""
        self.ensure_one()
        # sudo: the photo of the technician who comes, only when they allowed it
        lead = self.sudo().lead_technician_id
        return lead.image_256 if lead.service_photo_to_customers and lead.image_256 else None

    def _technician_first_name(self):
        self.ensure_one()
        # sudo: the customer reads the first name of the technician who comes, nothing else of them
        name = self.sudo().lead_technician_id.name or ""
        return name.split()[0] if name else ""

    # ------------------------------------------------------------------
    # Notices (mail templates the company edits, sent through the mail queue)
    # ------------------------------------------------------------------
    def _send_customer_notice(self, xmlid):
        """E-mail the template ``xmlid`` to each order's customer through the mail queue, in the
        customer's language: attached to no record (the link is the customer's, not the chatter's
        readers'), deleted once sent; the chatter says it was sent."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return self.browse()
        sent = self.browse()
        for order in self:
            partner = order.partner_id
            if not partner.email:
                continue
            order._ensure_customer_token()
            # sudo: the system renders the link (its token) and queues the e-mail, after the
            # caller's checks; the mail is bound to no record, so no employee reads the link
            template.sudo().send_mail(order.id, email_values={"model": False, "res_id": False,
                                                              "auto_delete": True}, force_send=False)
            order.message_post(body=self.env._("%(notice)s e-mailed to %(customer)s.",
                                               notice=template.name, customer=partner.display_name))
            sent |= order
        return sent

    def _send_appointment_notice(self):
        """The appointment notice of the planned orders whose window or technician changed since the
        last notice: the window in the customer's time zone, the technician's first name, and the
        links to confirm or to ask for another time."""
        due = self.filtered(lambda o: o.state == "planned" and o.scheduled_start and o.lead_technician_id)
        # sudo: the dispatchers' fields of the last notice, kept by the system
        due = due.filtered(lambda o: (o.sudo().appointment_sent_start, o.sudo().appointment_sent_lead_id) != (
            o.scheduled_start, o.lead_technician_id))
        sent = due._send_customer_notice("service_order.mail_template_service_appointment")
        for order in sent.sudo():  # sudo: the notice's own fields (protected from every role)
            order._write_workflow({"appointment_sent_start": order.scheduled_start,
                                   "appointment_sent_lead_id": order.lead_technician_id.id,
                                   "appointment_confirmed_date": False, "reschedule_requested_start": False,
                                   "reschedule_requested_end": False, "reschedule_requested_user_id": False})
        return sent

    def _queue_customer_notice(self, kind):
        """The job runner e-mails ``kind`` (appointment, on_the_way, rating) to these orders'
        customers a moment after the request."""
        # sudo: the system's field of the notices due, written after the caller's checks
        for order in self.sudo():
            due = set(filter(None, (order.customer_notices_due or "").split(",")))
            if kind not in due:
                order._write_workflow({"customer_notices_due": ",".join(sorted(due | {kind}))})
        if self:
            wake_job_runner(self.env, "service_order.ir_cron_send_customer_notices")

    @api.model
    def _cron_send_customer_notices(self, batch=200):
        """Job runner: the customer notices due (the appointment of an order still planned, the
        technician on the way, the request to rate a completed visit), a batch per run. Returns
        the number of orders served."""
        # sudo: the job runner's own queue
        orders = self.sudo().search([("customer_notices_due", "!=", False)], order="id", limit=batch)
        for order in orders:
            due = order.customer_notices_due.split(",")
            order._write_workflow({"customer_notices_due": False})
            if "appointment" in due:
                order._send_appointment_notice()
            if "on_the_way" in due and order.technician_status == "en_route":
                order._send_customer_notice("service_order.mail_template_service_on_the_way")
            if "rating" in due and order.state == "completed" and order.partner_id:
                order._rating_get_access_token()  # the customer's rating (Odoo's rating.rating)
                order._send_customer_notice("service_order.mail_template_service_rating")
        if len(orders) == batch:
            wake_job_runner(self.env, "service_order.ir_cron_send_customer_notices")
        return len(orders)

    def _on_state_changed(self, new_state):
        """Planned: the customer gets the appointment notice. Completed: the request to rate the visit."""
        result = super()._on_state_changed(new_state)
        if new_state == "planned":
            self._queue_customer_notice("appointment")
        elif new_state == "completed":
            self._queue_customer_notice("rating")
        return result

    def _notify_replanned(self, users, confirmation):
        """A re-planned order: its customer gets the new appointment."""
        result = super()._notify_replanned(users, confirmation)
        self._queue_customer_notice("appointment")
        return result

    def _do_technician_status(self, status, answers=None, when=None):
        """On my way: the customer gets the link to the visit's status page."""
        result = super()._do_technician_status(status, answers=answers, when=when)
        if status == "en_route":
            self._queue_customer_notice("on_the_way")
        return result

    # ------------------------------------------------------------------
    # The status page
    # ------------------------------------------------------------------
    def _departure_date(self):
        self.ensure_one()
        # sudo: the trail, read for the moment of departure only
        log = self.env["service.order.status.log"].sudo().search(
            [("order_id", "=", self.id), ("status", "=", "en_route")], order="date desc, id desc", limit=1)
        return log.date

    def _customer_eta(self):
        """The expected arrival (naive UTC) while the technician is on the way: the minutes given at
        departure (the number the "On my way" form asks), else the distance of the day route from
        the previous stop, else the scheduled start; None otherwise."""
        self.ensure_one()
        if self.technician_status != "en_route":
            return None
        departed = self._departure_date() or fields.Datetime.now()
        # sudo: the answers and the route of the order whose link was checked
        answer = self.env["service.step.answer"].sudo().search([
            ("order_id", "=", self.id), ("step", "=", "depart"), ("answer_type", "=", "number"),
            ("value_number", ">", 0)], order="date desc, id desc", limit=1)
        if answer:
            return departed + timedelta(minutes=answer.value_number)
        stop = self.env["service.route.stop"].sudo().search([("order_id", "=", self.id)], order="id desc", limit=1)
        if stop and stop.leg_km:
            return departed + timedelta(hours=stop.leg_km / ROUTE_SPEED_KMH)
        return max(self.scheduled_start, departed) if self.scheduled_start else None

    def _customer_page_values(self):
        """What the customer's page shows of this order (read only)."""
        self.ensure_one()
        status = dict(self._fields["technician_status"]._description_selection(self.env))
        eta = self._customer_eta()
        if self.state == "completed":
            step = "done"
        elif self.state in CLOSED_STATES:
            step = "closed"
        elif self.technician_status == "en_route":
            step = "on_the_way"
        elif self.technician_status in ("on_site", "working", "break"):
            step = "on_site"
        else:
            step = "planned" if self.state == "planned" else "waiting"
        rating = self.rating_ids.sudo().filtered("consumed")[:1]  # sudo: this order's rating
        return {
            "order": self, "step": step, "status_label": status.get(self.technician_status, ""),
            "window": self._customer_window(), "technician": self._technician_first_name(),
            "photo": bool(self._technician_photo()),
            "eta": self._customer_time(eta, "HH:mm") if eta else "",
            "can_change": self._customer_can_change(), "report": self._issued_document() if self.state in (
                "completed", "not_done") else False,
            "rated": rating, "can_rate": self.state == "completed" and not rating and bool(self.partner_id),
            "confirmed": self.appointment_confirmed_date,
            "requested": self.reschedule_requested_start and self._customer_window(
                self.reschedule_requested_start, self.reschedule_requested_end),
        }

    def _customer_can_change(self):
        """The appointment can be confirmed or moved until the technician leaves."""
        self.ensure_one()
        return self.state == "planned" and self.technician_status == "planned"

    # ------------------------------------------------------------------
    # Free windows
    # ------------------------------------------------------------------
    def _window_technicians(self):
        """Who may come: the order's lead technician, then the technicians of its company with the
        type's skill (with none: its field workers only)."""
        self.ensure_one()
        order = self.sudo()  # sudo: the technicians are read to offer their time, nothing else
        users = order.lead_technician_id | order.field_worker_ids
        skill = order.order_type_id.skill_id
        if skill:
            users |= self.env["res.users"].sudo().search([
                ("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids), ("share", "=", False),
                ("company_ids", "in", order.company_id.ids), ("service_skill_ids", "in", skill.ids)], order="name")
        return users

    def _free_windows(self, now=None, days=WINDOW_DAYS):
        """``[{"start", "end", "user"}]`` (naive UTC), by start: the windows of the order's length in
        the next ``days`` where a technician who may come works (their resource calendar, else the
        company's, leaves counted) and has no other open order. One window per start (the order's
        lead first), at most ``WINDOWS_PER_DAY`` a day; the order's own window is not offered."""
        self.ensure_one()
        order = self.sudo()  # sudo: working hours and bookings are read to offer free time only
        now = now or fields.Datetime.now()
        length = (order.scheduled_end - order.scheduled_start) if (
            order.scheduled_start and order.scheduled_end and order.scheduled_end > order.scheduled_start) \
            else DEFAULT_VISIT
        first = (now + MIN_NOTICE).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        last = first + timedelta(days=days)
        users = self._window_technicians()
        if not users:
            return []
        booked = self.env["service.order"].sudo().search_fetch([
            ("field_worker_ids", "in", users.ids), ("state", "not in", CLOSED_STATES), ("id", "!=", order.id),
            ("scheduled_start", "<", last), ("scheduled_end", ">", first)],
            ["field_worker_ids", "scheduled_start", "scheduled_end"])
        busy = {user.id: [(o.scheduled_start, o.scheduled_end) for o in booked if user in o.field_worker_ids]
                for user in users}
        start_utc, end_utc = pytz.utc.localize(first), pytz.utc.localize(last)
        windows = {}
        for user in users:
            resource = user.resource_ids.filtered(lambda r, c=order.company_id: r.company_id in (c, False))[:1]
            calendar = resource.calendar_id or order.company_id.resource_calendar_id
            if not calendar:
                continue
            intervals = calendar._work_intervals_batch(start_utc, end_utc, resources=resource or None)[resource.id]
            for begin, stop, _meta in intervals:
                begin = begin.astimezone(pytz.utc).replace(tzinfo=None)
                stop = stop.astimezone(pytz.utc).replace(tzinfo=None)
                slot = begin.replace(minute=0, second=0, microsecond=0)
                if slot < begin:
                    slot += timedelta(hours=1)
                while slot + length <= stop:
                    end = slot + length
                    free = all(end <= b_start or slot >= b_end for b_start, b_end in busy[user.id])
                    if free and slot not in windows and slot != order.scheduled_start:
                        windows[slot] = {"start": slot, "end": end, "user": user}
                    slot += timedelta(hours=1)
        per_day, result = {}, []
        zone = self._customer_zone()
        for slot in sorted(windows):
            day = pytz.utc.localize(slot).astimezone(zone).date()
            if per_day.get(day, 0) < WINDOWS_PER_DAY:
                per_day[day] = per_day.get(day, 0) + 1
                result.append(windows[slot])
        return result

    # ------------------------------------------------------------------
    # What the customer does (POSTs of the link, checked by its token)
    # ------------------------------------------------------------------
    def _check_customer_can_change(self):
        for order in self:
            if not order._customer_can_change():
                raise UserError(self.env._(
                    "The appointment of %(name)s can no longer be changed here: the technician is on the way or "
                    "the visit is over. Please call us.", name=order.name))

    def _check_customer_link(self, token):
        """The caller holds this order's link (its token, not expired)."""
        self.ensure_one()
        if not self._get_by_customer_token(self.id, token):
            raise AccessError(self.env._("This link is not valid any more."))

    def _do_customer_confirm(self, token):
        """The customer confirms the appointment of the notice (once per notice)."""
        self._check_customer_link(token)
        self._check_customer_can_change()
        order = self.sudo()  # sudo: the customer's answer, written by the system after the checks above
        if not order.appointment_confirmed_date:
            order._write_workflow({"appointment_confirmed_date": fields.Datetime.now()})
            order.message_post(body=self.env._("%(customer)s confirmed the appointment (%(window)s).",
                                               customer=order.partner_id.display_name, window=order._customer_window()))
        return True

    def _do_customer_reschedule(self, token, start, user_id):
        """The customer picks another window (one the page offered, checked again here): the order
        is re-planned at once, one confirmation and one new version, the customer gets the new
        appointment; or, when the company wants it, the request waits for the dispatcher. Either
        way the dispatcher gets an activity."""
        self._check_customer_link(token)
        self._check_customer_can_change()
        order = self.sudo()  # sudo: the customer has no right on orders; what changes is checked here
        start = fields.Datetime.to_datetime(start) if start else None
        window = next((w for w in order._free_windows() if w["start"] == start and w["user"].id == int(user_id or 0)),
                      None)
        if not window:
            raise UserError(self.env._("This time is not free any more: please pick another one."))
        customer = order.partner_id.display_name
        text = order._customer_window(window["start"], window["end"])
        if order.company_id.service_reschedule_by_dispatcher:
            order._write_workflow({"reschedule_requested_start": window["start"],
                                   "reschedule_requested_end": window["end"],
                                   "reschedule_requested_user_id": window["user"].id})
            note = self.env._("%(customer)s asks to move the visit to %(window)s with %(technician)s: re-plan it "
                              "(Accept the Customer's Time).", customer=customer, window=text,
                              technician=window["user"].name)
        else:
            lead = window["user"]
            order._replan(
                self.env._("Rescheduled by the customer %(customer)s from the appointment link: %(window)s.",
                           customer=customer, window=text),
                lead=lead, start=window["start"], end=window["end"],
                leaving=order.lead_technician_id - lead)
            note = self.env._("%(customer)s moved the visit to %(window)s with %(technician)s (new version issued).",
                              customer=customer, window=text, technician=lead.name)
        order.message_post(body=note)
        planner = order.dispatcher_id or order.company_id.service_default_supervisor_id
        if planner:
            order.activity_schedule("service_order.mail_act_service_reschedule", user_id=planner.id,
                                    note=text_to_html(note))
        return window

    def _do_customer_rate(self, token, rate, comment=None):
        """The customer rates the completed visit (1 to 5, a comment), once; a low rating gives the
        supervisor an activity."""
        self._check_customer_link(token)
        order = self.sudo()  # sudo: the customer's rating, applied by the system after the checks
        if order.state != "completed":
            raise UserError(self.env._("A visit is rated once it is completed."))
        try:
            rate = int(rate)
        except (TypeError, ValueError):
            rate = 0
        if rate < 1 or rate > 5:
            raise UserError(self.env._("Rate the visit from 1 to 5 stars."))
        comment = check_text(self.env, (comment or "").strip(), self.env._("The comment"), MAX_LONG_TEXT)
        rating = order.rating_ids.filtered(lambda r: not r.consumed and r.partner_id == order.partner_id)[:1]
        if not rating:
            raise UserError(self.env._("This visit was rated already. Thank you!"))
        order.rating_apply(rate, rating=rating, feedback=comment or False)
        if rate <= LOW_RATING:
            supervisor = order.supervisor_id or order.company_id.service_default_supervisor_id
            if supervisor:
                order.activity_schedule(
                    "service_order.mail_act_service_low_rating", user_id=supervisor.id, note=text_to_html(
                        self.env._("%(customer)s rated the visit %(rate)s/5: %(comment)s", customer=order.partner_id.display_name,
                                   rate=rate, comment=comment or "—")))
        return rating

    def _rating_get_operator(self):
        """The rated person: the lead technician (ratings per technician in reporting)."""
        return self.lead_technician_id.partner_id or super()._rating_get_operator()

    def action_accept_customer_window(self):
        """Re-plan the order at the window its customer asked for (the re-planning confirmation,
        prefilled)."""
        self.ensure_one()
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers re-plan orders."))
        if not self.reschedule_requested_start:
            raise UserError(self.env._("The customer of %(name)s asked for no other time.", name=self.name))
        return self.action_replan_from_drop({
            "scheduled_start": fields.Datetime.to_string(self.reschedule_requested_start),
            "scheduled_end": fields.Datetime.to_string(self.reschedule_requested_end),
            "lead_technician_id": self.reschedule_requested_user_id.id or self.lead_technician_id.id})


    # ------------------------------------------------------------------
    # Requests from the portal (a logged-in customer, or an equipment's label)
    # ------------------------------------------------------------------
    @api.model
    def _create_portal_request(self, company, vals, body, photos, author, planner, note):
        """A draft order asked for on the portal: ``vals`` (its customer and place, decided by the
        caller from what the visitor may reach, never from what is posted), the request as its
        description and first message with its photos; ``planner`` gets an activity to plan it."""
        # sudo: the visitor (public or portal) has no right on orders; the caller checked what
        # they may ask for and made ``vals`` from it
        order = self.sudo().with_company(company).create(dict(
            vals, description=body, requested_by_id=False, requested_on_portal=True))
        order._post_portal_request(body, photos, author)
        if planner:
            order.activity_schedule("service_order.mail_act_service_request", user_id=planner.id,
                                    note=text_to_html(note))
        return order

    def _post_portal_request(self, body, photos, author):
        """The request's message on the order, with its photos (checked by the caller)."""
        self.ensure_one()
        order = self.sudo()  # sudo: as _create_portal_request
        attachments = self.env["ir.attachment"].sudo().create([{
            "name": name, "raw": data, "res_model": "service.order", "res_id": order.id} for name, data in photos])
        order.message_post(body=body, author_id=author, attachment_ids=attachments.ids,
                           message_type="comment", subtype_xmlid="mail.mt_note")

    @api.model
    def _portal_request_locations(self):
        """The places a logged-in customer may ask a visit for: their company and its addresses."""
        user = self.env.user
        if not user.share or user._is_public():
            return self.env["res.partner"]
        commercial = user.partner_id.commercial_partner_id
        # sudo: the customer's own company and addresses, which a portal user may not list
        return self.env["res.partner"].sudo().search([("id", "child_of", commercial.id)], order="parent_id desc, name") \
            .filtered(lambda p: p == commercial or p.type in ("other", "delivery", "contact") and (
                p.street or p.city))

    @api.model
    def _do_portal_request(self, description, location_id=None, windows=None, photos=()):
        """A logged-in portal customer asks for a visit: a draft order for their own company, at
        one of its addresses (another customer's place is refused), with the description, the
        windows they prefer and photos; it waits for dispatch (an activity). Returns the order."""
        user = self.env.user
        if not user.share or user._is_public():
            raise AccessError(self.env._("Log in with your customer account to ask for a visit."))
        description = check_text(self.env, (description or "").strip(), self.env._("The description"),
                                 MAX_LONG_TEXT, required=True)
        windows = check_text(self.env, (windows or "").strip(), self.env._("The preferred times"), MAX_SHORT_TEXT)
        places = self._portal_request_locations()
        commercial = user.partner_id.commercial_partner_id
        location = places.filtered(lambda p: p.id == int(location_id or 0)) if location_id else commercial
        if not location:
            raise ValidationError(self.env._("Choose one of your addresses."))
        photos = self.env["service.equipment"]._check_request_photos(photos)
        body = Markup("%s%s%s") % (
            plaintext2html(description),
            Markup("<p><strong>%s</strong> %s</p>") % (self.env._("Preferred times:"), windows) if windows else "",
            Markup("<p><em>%s</em></p>") % self.env._("Requested on the portal by %(who)s.",
                                                      who=user.partner_id.display_name))
        company = commercial.company_id or user.company_id
        return self._create_portal_request(
            company, {"partner_id": commercial.id, "location_id": location.id,
                      "request_contact": user.partner_id.display_name},
            body, photos, user.partner_id.id, company.service_default_supervisor_id,
            self.env._("%(customer)s asks for a visit: plan it.", customer=commercial.display_name))

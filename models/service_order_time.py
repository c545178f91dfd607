from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import check_number, technicians_among
from .service_time_log import MAX_LOG_HOURS


class ServiceOrderTimeMixin(models.AbstractModel):
    """Time spent on the order, per technician. Time follows the work: *Start work* and
    *Resume* clock the field worker in (out of any other order first), *Pause* clocks them
    out, closing the order clocks everybody out; completing an order with no time recorded
    asks how long it took. *Clock In* / *Clock Out* stay for the exceptions, and a dispatcher
    may add a log by hand (logged in the chatter)."""

    _name = "service.order.time.mixin"
    _description = "Service Order: time logs"

    time_log_ids = fields.One2many("service.time.log", "order_id", string="Time Logs")
    time_spent = fields.Float("Time Spent (h)", compute="_compute_time_spent", digits=(16, 2),
                              help="Hours clocked on the order by every technician; open logs count until now.")
    time_by_technician = fields.Html(compute="_compute_time_spent", sanitize=False)
    is_clocked_in = fields.Boolean(compute="_compute_is_clocked_in")
    is_current_user_worker = fields.Boolean(compute="_compute_is_clocked_in")

    def _time_per_order_and_user(self):
        """{order_id: {user: hours}} over all the orders of ``self``, open logs counted until now."""
        Log = self.env["service.time.log"]
        result = defaultdict(lambda: defaultdict(float))
        for order, user, hours in Log._read_group(
                [("order_id", "in", self.ids), ("date_stop", "!=", False)],
                ["order_id", "user_id"], ["duration:sum"]):
            result[order.id][user] += hours
        now = fields.Datetime.now()
        for log in Log.search([("order_id", "in", self.ids), ("date_stop", "=", False)]):
            result[log.order_id.id][log.user_id] += max((now - log.date_start).total_seconds(), 0) / 3600
        return result

    @api.depends("time_log_ids.duration", "time_log_ids.date_stop")
    def _compute_time_spent(self):
        saved = self._origin.filtered("id")
        times = saved._time_per_order_and_user() if saved else {}
        for order in self:
            per_user = times.get(order._origin.id, {})
            order.time_spent = sum(per_user.values())
            order.time_by_technician = Markup("<br/>").join(
                Markup("%s: %s h") % (escape(user.name), f"{hours:.2f}")
                for user, hours in sorted(per_user.items(), key=lambda kv: kv[0].name or "")) or False

    @api.depends_context("uid")
    @api.depends("field_worker_ids", "time_log_ids.date_stop")
    def _compute_is_clocked_in(self):
        open_orders = self.env["service.time.log"].search(
            [("user_id", "=", self.env.uid), ("date_stop", "=", False)]).order_id
        for order in self:
            order.is_clocked_in = order in open_orders
            order.is_current_user_worker = self.env.user in order.field_worker_ids

    def _check_can_clock_in(self):
        """The assigned technician clocks in on a planned or in-progress order, when not
        already clocked in elsewhere."""
        self.ensure_one()
        if not self._is_field_worker():
            raise AccessError(self.env._(
                "Only the field workers of order %(name)s can clock in on it.", name=self.name))
        self._check_can_work_in_field()
        self.env["service.time.log"]._check_no_open_log([self.env.uid])

    def action_clock_in(self):
        """Clock in: start a time log of the current technician on this order."""
        return self._do_clock_in()

    def _do_clock_in(self, when=None):
        """Start a time log of the current technician on this order, at ``when`` (a clock-in
        made offline, replayed by the sync) or now."""
        self._check_can_clock_in()
        # sudo: technicians have no create right on the trail; the checks above were made
        self.env["service.time.log"].sudo().create({"order_id": self.id, "user_id": self.env.uid,
                                                    **({"date_start": when} if when else {})})
        self.message_post(body=self.env._("%(user)s clocked in.", user=self.env.user.name))
        return True

    # ------------------------------------------------------------------
    # Time follows the work
    # ------------------------------------------------------------------
    def _clock_follows_status(self, status, when=None):
        """After the technician status moved (execution mixin): working clocks the acting field
        worker in, a break clocks them out (closing clocks everybody out: ``_on_state_changed``),
        at ``when`` (a tap made offline, replayed by the sync) or now. A dispatcher moving the
        status from the office clocks nobody."""
        if status == "working":
            mine = self.filtered(lambda o: o._is_field_worker())
            # sudo: whether the acting technician is clocked in here already (their own logs)
            clocked = self.env["service.time.log"].sudo().search(
                [("order_id", "in", mine.ids), ("user_id", "=", self.env.uid), ("date_stop", "=", False)]).order_id
            for order in mine - clocked:
                order._clock_in_worker(when)
        elif status == "break":
            # sudo: the acting technician's own open logs on these orders, closed by the workflow
            logs = self.env["service.time.log"].sudo().search([
                ("order_id", "in", self.ids), ("user_id", "=", self.env.uid), ("date_stop", "=", False)])
            logs._do_clock_out(when)
            for log in logs:
                log.order_id._post_clocked_out(log)
            self.invalidate_recordset(["is_clocked_in", "time_spent", "time_by_technician"])
        return True

    def _clock_in_worker(self, when=None):
        """Clock the current field worker in on this order (at ``when``, else now), out of the
        order they are still clocked in on (they are here now: one place at a time)."""
        self.ensure_one()
        # sudo: the technician's own open log, on an order they may no longer see
        elsewhere = self.env["service.time.log"].sudo().search(
            [("user_id", "=", self.env.uid), ("date_stop", "=", False), ("order_id", "!=", self.id)])
        if elsewhere:
            elsewhere._do_clock_out(when)
            for log in elsewhere:
                hours = f"{log.duration:.2f}"  # outside the _() call: the term extractor cannot read f-strings
                log.order_id.message_post(body=self.env._(
                    "%(user)s clocked out after %(hours)s h: started work on %(order)s.",
                    user=self.env.user.name, hours=hours, order=self.name))
        return self._do_clock_in(when)

    def _post_clocked_out(self, log):
        self.ensure_one()
        hours = f"{log.duration:.2f}"  # outside the _() call: the term extractor cannot read f-strings
        self.message_post(body=self.env._("%(user)s clocked out after %(hours)s h.",
                                          user=log.user_id.name, hours=hours))

    def _time_technician(self):
        """Whose time the hours given at closing are: the acting field worker, else the lead
        technician, else the first field worker (a dispatcher closing from the office)."""
        self.ensure_one()
        if self._is_field_worker() and technicians_among(self.env, self.env.user):
            return self.env.user
        return self.lead_technician_id or self.field_worker_ids[:1]

    def _asks_time_spent(self):
        """Completing asks how long the work took when nobody recorded time on the order and
        there is a technician to record it for."""
        self.ensure_one()
        # sudo: whether any log exists, whoever's (a technician reads the order's logs anyway)
        return not self.sudo().time_log_ids and bool(self._time_technician())

    def _requires_time_spent(self):
        """The hours are required when the order's type invoices its labour on the time spent."""
        self.ensure_one()
        order_type = self.sudo().order_type_id
        return bool(order_type.labour_product_id) and order_type.labour_invoicing == "time"

    def _record_time_spent(self, hours):
        """Record ``hours`` spent, given at closing when no time was clocked: one closed log of
        the technician (``_time_technician``) ending now, marked as entered by hand and posted."""
        self.ensure_one()
        self._check_can_work_in_field()
        hours = check_number(self.env, hours, self.env._("The time spent"), MAX_LOG_HOURS, positive=True)
        if not self._asks_time_spent():
            raise UserError(self.env._("Time is already recorded on %(name)s: correct it with a time log.",
                                       name=self.name))
        technician = self._time_technician()
        now = fields.Datetime.now()
        # sudo: technicians have no create right on the trail; who acts and from which state was checked
        log = self.env["service.time.log"].sudo().create({
            "order_id": self.id, "user_id": technician.id, "entry_type": "manual",
            "date_start": now - timedelta(hours=hours), "date_stop": now})
        spent = f"{log.duration:.2f}"  # outside the _() call: the term extractor cannot read f-strings
        self.message_post(body=self.env._(
            "%(user)s recorded %(hours)s h of %(technician)s when closing (no time was clocked).",
            user=self.env.user.name, hours=spent, technician=technician.name))
        return log

    def action_clock_out(self):
        """Clock out: close the current technician's open time log on this order."""
        return self._do_clock_out_mine()

    def _do_clock_out_mine(self, when=None):
        """Close the current technician's open time log on this order at ``when`` (a
        clock-out made offline, replayed by the sync) or now."""
        self.ensure_one()
        log = self.env["service.time.log"].search(
            [("order_id", "=", self.id), ("user_id", "=", self.env.uid), ("date_stop", "=", False)])
        if not log:
            raise UserError(self.env._("You are not clocked in on %(name)s.", name=self.name))
        log._do_clock_out(when)
        hours = f"{log.duration:.2f}"  # outside the _() call: the term extractor cannot read f-strings
        self.message_post(body=self.env._("%(user)s clocked out after %(hours)s h.",
                                          user=self.env.user.name, hours=hours))
        return True

    def _on_time_logged(self):
        """Hook run after time logs of these orders were added or closed (sale mixin)."""
        return True

    def _clock_out_removed_workers(self, before):
        """A field worker removed from an order while clocked in on it is clocked out, with a
        note (``before``: the field workers of each order before the change)."""
        for order in self:
            removed = before.get(order.id, self.env["res.users"]) - order.field_worker_ids
            # sudo: the logs of the removed workers, closed by the system
            logs = self.env["service.time.log"].sudo().search(
                [("order_id", "=", order.id), ("user_id", "in", removed.ids), ("date_stop", "=", False)])
            if logs:
                logs._do_clock_out()
                order.message_post(body=self.env._(
                    "%(names)s clocked out: removed from the order while clocked in.",
                    names=", ".join(logs.user_id.mapped("name"))))

    def _clock_out_everybody(self):
        """Whoever is still clocked in on these (closed) orders leaves them when the order closed
        (a closing made offline keeps the phone's time), else now."""
        # sudo: the logs of every technician of the order are closed by the system
        logs = self.env["service.time.log"].sudo().search([("order_id", "in", self.ids), ("date_stop", "=", False)])
        for order, mine in logs.grouped("order_id").items():
            moment = order.closed_date
            mine._do_clock_out(moment if moment and all(log.date_start <= moment for log in mine) else None)

    def action_view_time_logs(self):
        """List the order's time logs, per technician."""
        return self._open_related("service.time.log", self.env._("Time Logs of %(name)s", name=self.name),
                                  {"search_default_group_user": 1}, view_mode="list,pivot")

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class ServiceOrderTimeMixin(models.AbstractModel):
    """Time spent on the order: clock in and out, per technician; closing the order clocks
    everybody out."""

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
        """Whoever is still clocked in on these (closed) orders leaves them now."""
        # sudo: the logs of every technician of the order are closed by the system
        self.env["service.time.log"].sudo().search(
            [("order_id", "in", self.ids), ("date_stop", "=", False)])._do_clock_out()

    def action_view_time_logs(self):
        """List the order's time logs, per technician."""
        return self._open_related("service.time.log", self.env._("Time Logs of %(name)s", name=self.name),
                                  {"search_default_group_user": 1}, view_mode="list,pivot")

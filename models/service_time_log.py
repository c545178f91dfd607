

from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .common import DISPATCHER_GROUP, SALE_READERS, format_moment, technicians_among
from .service_order_states import CLOSED_STATES

OPEN_LOG_INDEX = "service_time_log_one_open_per_user"
MAX_LOG_HOURS = 24        # one log is at most a (long) working day
MAX_LOG_AGE_DAYS = 366    # nobody corrects time older than a year
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of phones and server differ a little


class ServiceTimeLog(models.Model):
    """Time a technician spends on an order, from clock in to clock out.

    A technician has at most one open log at a time, over all orders: checked with a clear
    message on clock in, and enforced by a partial unique index for concurrent requests.
    """

    _name = "service.time.log"
    _description = "Service Order Time Log"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade",
                               check_company=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Technician", required=True, index=True,
                              ondelete="restrict", default=lambda self: self.env.user)
    date_start = fields.Datetime("Clock In", required=True, default=fields.Datetime.now)
    date_stop = fields.Datetime("Clock Out")
    duration = fields.Float("Hours", compute="_compute_duration", store=True, digits=(16, 2),
                            aggregator="sum")
    is_open = fields.Boolean(compute="_compute_duration", store=True)
    entry_type = fields.Selection(
        [("clock", "Clocked"), ("manual", "Entered by hand")], string="Entry", default="clock", readonly=True,
        help="Clocked by the work's buttons (Start work, Pause, closing, Clock In/Out), or entered by "
             "hand: a dispatcher's correction, or the hours given when closing with no time clocked.")

    def init(self):
        result = super().init()
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (user_id) WHERE date_stop IS NULL",
            SQL.identifier(OPEN_LOG_INDEX), SQL.identifier(self._table)))
        return result

    @api.depends("date_start", "date_stop")
    def _compute_duration(self):
        for log in self:
            log.is_open = not log.date_stop
            log.duration = (log.date_stop - log.date_start).total_seconds() / 3600 \
                if log.date_start and log.date_stop else 0.0

    @api.constrains("date_start", "date_stop")
    def _check_dates(self):
        """A log stays within what a working day can be: it ends after it starts, lasts at
        most MAX_LOG_HOURS, starts at most a year ago, and nothing is clocked in the future."""
        now = fields.Datetime.now()
        for log in self:
            where = self.env._("Time log of %(user)s on %(order)s", user=log.user_id.name, order=log.order_id.name)
            if log.date_stop and log.date_stop < log.date_start:
                raise ValidationError(self.env._(
                    "%(log)s: the clock out (%(stop)s) is before the clock in (%(start)s).",
                    log=where, stop=format_moment(self.env, log.date_stop), start=format_moment(self.env, log.date_start)))
            if log.date_start < now - timedelta(days=MAX_LOG_AGE_DAYS):
                raise ValidationError(self.env._(
                    "%(log)s: a clock in more than %(days)s days ago (%(start)s) is not plausible.",
                    log=where, days=MAX_LOG_AGE_DAYS, start=format_moment(self.env, log.date_start)))
            if max(log.date_start, log.date_stop or log.date_start) > now + FUTURE_TOLERANCE:
                raise ValidationError(self.env._("%(log)s: nobody clocks in or out in the future.", log=where))
            if log.date_stop and log.date_stop - log.date_start > timedelta(hours=MAX_LOG_HOURS):
                raise ValidationError(self.env._(
                    "%(log)s lasts more than %(hours)s hours: clock out and in again for another day.",
                    log=where, hours=MAX_LOG_HOURS))

    @api.constrains("user_id", "date_start", "date_stop")
    def _check_user_and_overlap(self):
        """A log belongs to a technician, and a technician is in one place at a time."""
        technicians = technicians_among(self.env, self.user_id)
        now = fields.Datetime.now()
        for log in self:
            if log.user_id not in technicians or log.user_id.share:
                raise ValidationError(self.env._(
                    "Time logs are kept for technicians; %(user)s is not one.", user=log.user_id.name))
            # sudo: the other log may be on an order the current user cannot see
            overlapping = self.sudo().search([
                ("id", "!=", log.id), ("user_id", "=", log.user_id.id),
                ("date_start", "<", log.date_stop or now),
                "|", ("date_stop", "=", False), ("date_stop", ">", log.date_start)], limit=1)
            if overlapping:
                raise ValidationError(self.env._(
                    "%(user)s already has time logged from %(start)s to %(stop)s on %(order)s: time logs "
                    "of one technician cannot overlap.", user=log.user_id.name,
                    start=format_moment(self.env, overlapping.date_start),
                    stop=format_moment(self.env, overlapping.date_stop) or self.env._("now"),
                    order=overlapping.order_id.name))

    @api.model
    def _check_no_open_log(self, user_ids, exclude=()):
        """Refuse a second open log for any of ``user_ids``, naming where they are clocked in.

        Checked before writing: the partial unique index would refuse it anyway, with a
        message nobody understands."""
        if len(user_ids) != len(set(user_ids)):
            raise ValidationError(self.env._("A technician has one open time log at a time."))
        # sudo: the open log may be on an order the current user cannot see
        open_logs = self.sudo().search([("user_id", "in", list(user_ids)), ("date_stop", "=", False),
                                        ("id", "not in", list(exclude))])
        for log in open_logs[:1]:
            raise ValidationError(self.env._(
                "%(user)s is already clocked in on %(order)s since %(since)s: clock out there first.",
                user=log.user_id.name, order=log.order_id.name, since=format_moment(self.env, log.date_start)))

    @api.model
    def _check_can_change_billed_time(self, orders):
        """A time log set by hand is money when the order's type sells its labour by the time
        spent (the sale order's delivered hours follow the logs): once the order has a sale
        order or is closed, it takes Sales or Invoicing rights; once an invoice was made from
        it, nobody changes its time (a correction goes through Invoicing: a credit note)."""
        user = self.env.user
        # sudo: the order's type, sale order and invoices decide, whatever the user may read
        for order in orders.sudo():
            order_type = order.order_type_id
            if not order_type.labour_product_id or order_type.labour_invoicing != "time":
                continue
            sale_order = order.sale_order_id
            if sale_order.invoice_ids.filtered(lambda move: move.state != "cancel"):
                raise UserError(self.env._(
                    "%(order)s is invoiced: its time spent is billed and can no longer change. Correct the "
                    "invoice in Invoicing (a credit note).", order=order.name))
            if (sale_order or order.state in CLOSED_STATES) and not user.has_groups(SALE_READERS):
                raise AccessError(self.env._(
                    "The time spent on %(order)s is billed from its sale order: changing it takes a dispatcher "
                    "with Sales or Invoicing rights.", order=order.name))

    # The trail: technicians clock in and out with the order's buttons (which write their
    # logs under a narrow sudo); a dispatcher may add a log by hand or close an open one;
    # a closed log is never changed or deleted: a correction is a new, logged record.
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Technicians clock in and out with the buttons of the order."))
        if not self.env.su:
            self._check_can_change_billed_time(self.env["service.order"].browse(
                {vals.get("order_id") for vals in vals_list} - {None, False}))
            # a log a person adds is a correction by hand, whatever the values say
            vals_list = [dict(vals, entry_type="manual") for vals in vals_list]
        opening = [vals.get("user_id") or self.env.uid for vals in vals_list if not vals.get("date_stop")]
        if opening:
            self._check_no_open_log(opening)
        try:
            # a concurrent clock-in that passed the check above meets the unique index
            with self.env.cr.savepoint(flush=True):
                logs = super().create(vals_list)
        except psycopg2.errors.UniqueViolation as error:
            if OPEN_LOG_INDEX not in str(error):
                raise
            # the log of the request that won is not visible in this transaction's snapshot
            raise ValidationError(self.env._(
                "%(user)s is already clocked in on another order: clock out there first.",
                user=self.env["res.users"].browse(opening[0]).name))
        logs.order_id._on_time_logged()
        if not self.env.su:
            for log in logs:
                log.order_id.message_post(body=self.env._(
                    "Time log of %(user)s added by %(by)s: %(start)s – %(stop)s.", user=log.user_id.name,
                    by=self.env.user.name, start=format_moment(self.env, log.date_start),
                    stop=format_moment(self.env, log.date_stop) or "…"))
        return logs

    def write(self, vals):
        if not self.env.su:
            if not self.env.user.has_group(DISPATCHER_GROUP):
                raise AccessError(self.env._(
                    "Only dispatchers can correct time logs; clock out with the order's button."))
            closed = self.filtered("date_stop")
            if closed:
                raise UserError(self.env._(
                    "A closed time log is kept as it was recorded; add a new log to correct the time."))
            if set(vals) - {"date_start", "date_stop"}:
                raise UserError(self.env._("Only the clock in and clock out of an open time log can be changed."))
            self._check_can_change_billed_time(self.order_id)
        reopening = "date_stop" in vals and not vals["date_stop"]
        if reopening or "user_id" in vals:
            will_be_open = self if reopening else self.filtered(lambda log: not log.date_stop)
            self._check_no_open_log([vals.get("user_id") or log.user_id.id for log in will_be_open],
                                    exclude=self.ids)
        result = super().write(vals)
        if {"date_start", "date_stop"} & set(vals):
            self.order_id._on_time_logged()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._(
            "Time logs are the order's trail: they are never deleted; add a new log to correct the time."))

    def action_clock_out(self):
        """Clock out of this open time log: one's own, from anywhere (even an order one was
        removed from), or any as a dispatcher."""
        open_logs = self.filtered(lambda log: not log.date_stop)
        if not open_logs:
            raise UserError(self.env._("This time log is already closed."))
        open_logs._do_clock_out()
        for log in open_logs:
            # sudo: the technician may no longer see the order; the note is the system's
            hours = f"{log.duration:.2f}"  # outside the _() call: the term extractor cannot read f-strings
            log.order_id.sudo().message_post(body=self.env._(
                "%(user)s clocked out after %(hours)s h.", user=log.user_id.name, hours=hours))
        return True

    def _do_clock_out(self, when=None):
        """Close open time logs: one's own, or any as a dispatcher (or the order closing)."""
        if not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP) \
                and self.filtered(lambda log: log.user_id != self.env.user):
            raise AccessError(self.env._("You can clock out only of your own time log."))
        # sudo: closing the log is the workflow's, after the check above
        self.filtered(lambda log: not log.date_stop).sudo().write({"date_stop": when or fields.Datetime.now()})
        return True

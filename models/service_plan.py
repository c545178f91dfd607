import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, is_html_empty

from .common import DISPATCHER_GROUP, MAX_LONG_TEXT, MAX_SHORT_TEXT, check_schedule_date, check_text, text_to_html

_logger = logging.getLogger(__name__)

REPEAT_UNITS = [("day", "Days"), ("week", "Weeks"), ("month", "Months")]
REPEAT_TYPES = [("forever", "Forever"), ("until", "Until")]
MAX_INTERVAL = 999
MAX_LEAD_DAYS = 365
# Written by the plan's job only: the watermark of the due dates already made.
PLAN_PROTECTED_FIELDS = frozenset({"last_due_date"})


class ServicePlan(models.Model):
    """A preventive plan: per piece of equipment or per customer contract, a visit every N
    days, weeks or months, with a template of tasks (prepared work items with hours and parts).
    A scheduled job makes each visit's order a lead time ahead of its due date, once: the plan
    keeps the last due date it made, and an order holds its plan and due date under a unique
    key. What the job made is the order's: changing or ending the plan changes no order."""

    _name = "service.plan"
    _description = "Preventive Plan"
    _inherit = ["mail.thread",
                "service.integer.bounds.mixin"]  # an interval or a lead time beyond the integer column: refused
    _order = "next_due_date, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True,
                            help="An archived plan makes no more orders; those it made stay as they are.")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="restrict",
                                 default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True,
                                 ondelete="restrict", check_company=True)
    location_id = fields.Many2one(
        "res.partner", ondelete="restrict", check_company=True, tracking=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="Where the visits take place; by default, the equipment's location, else the customer's address.")
    equipment_ids = fields.Many2many(
        "service.equipment", "service_plan_equipment_rel", "plan_id", "equipment_id",
        check_company=True, domain="[('partner_id', '=', partner_id)]",
        help="One piece of equipment: its own plan. Several, or none: the customer's contract; each visit "
             "prepares the template's tasks for each piece.")
    order_type_id = fields.Many2one("service.order.type", required=True,
                                    ondelete="restrict", check_company=True)
    description = fields.Html("Visit Description", sanitize=True, sanitize_overridable=False,
                              help="The description of each order the plan makes.")
    user_id = fields.Many2one(
        "res.users", string="Dispatcher", ondelete="set null", tracking=True,
        default=lambda self: self.env.user if self.env.user.has_group(DISPATCHER_GROUP) else False,
        domain=lambda self: [("groups_id", "in", self.env.ref(DISPATCHER_GROUP).ids)],
        help="Plans the visits: the orders are theirs, and they get an activity for each.")
    repeat_interval = fields.Integer("Repeat Every", default=1, required=True, tracking=True)
    repeat_unit = fields.Selection(REPEAT_UNITS, default="month", required=True, tracking=True)
    start_date = fields.Date("First Due Date", required=True, tracking=True,
                             default=lambda self: fields.Date.context_today(self))
    repeat_type = fields.Selection(REPEAT_TYPES, string="Until", default="forever", required=True, tracking=True)
    repeat_until = fields.Date("End Date", tracking=True)
    lead_days = fields.Integer("Lead Time (days)", default=14, required=True, tracking=True,
                               help="How many days before its due date a visit's order is made.")
    visit_hour = fields.Float("Visit Time", default=8.0,
                              help="The hour the visits are booked at, in the dispatcher's time zone.")
    task_ids = fields.One2many("service.plan.task", "plan_id", string="Tasks", copy=True)
    order_ids = fields.One2many("service.order", "plan_id", string="Orders", readonly=True)
    order_count = fields.Integer(compute="_compute_order_count")
    last_due_date = fields.Date("Last Due Date Made", readonly=True, copy=False,
                                help="The due date of the last visit the job made an order for.")
    next_due_date = fields.Date(compute="_compute_next_due_date", store=True, index=True,
                                help="The due date of the next visit to make; empty once the plan ended.")

    _sql_constraints = [
        ("repeat_interval_range", f"CHECK(repeat_interval BETWEEN 1 AND {MAX_INTERVAL})",
         "A plan repeats every 1 to 999 days, weeks or months."),
        ("lead_days_range", f"CHECK(lead_days BETWEEN 0 AND {MAX_LEAD_DAYS})",
         "The lead time is from 0 to 365 days."),
    ]

    # ------------------------------------------------------------------
    # Computes, constraints
    # ------------------------------------------------------------------
    def _step(self):
        self.ensure_one()
        return relativedelta(**{f"{self.repeat_unit}s": self.repeat_interval})

    @api.depends("start_date", "last_due_date", "repeat_interval", "repeat_unit", "repeat_type", "repeat_until")
    def _compute_next_due_date(self):
        for plan in self:
            if not plan.start_date or plan.repeat_interval < 1:
                plan.next_due_date = False
                continue
            # after the last visit made, the next one follows the plan as it is now: a change
            # of interval counts from the last due date, never moves one already made
            due = plan.last_due_date + plan._step() if plan.last_due_date else plan.start_date
            if plan.repeat_type == "until" and plan.repeat_until and due > plan.repeat_until:
                due = False
            plan.next_due_date = due

    @api.depends("order_ids")
    def _compute_order_count(self):
        counts = dict(self.env["service.order"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]))
        for plan in self:
            plan.order_count = counts.get(plan, 0)

    @api.constrains("repeat_interval", "lead_days", "repeat_type", "repeat_until", "start_date")
    def _check_recurrence(self):
        for plan in self:
            if not 1 <= plan.repeat_interval <= MAX_INTERVAL:
                raise ValidationError(self.env._(
                    "Plan %(name)s: repeat every 1 to %(max)s days, weeks or months, not %(value)s.",
                    name=plan.name, max=MAX_INTERVAL, value=plan.repeat_interval))
            if not 0 <= plan.lead_days <= MAX_LEAD_DAYS:
                raise ValidationError(self.env._(
                    "Plan %(name)s: the lead time is from 0 to %(max)s days, not %(value)s.",
                    name=plan.name, max=MAX_LEAD_DAYS, value=plan.lead_days))
            if plan.repeat_type == "until" and not plan.repeat_until:
                raise ValidationError(self.env._("Plan %(name)s: give the end date.", name=plan.name))
            if plan.repeat_type == "until" and plan.repeat_until < plan.start_date:
                raise ValidationError(self.env._(
                    "Plan %(name)s: the end date (%(end)s) is before the first due date (%(start)s).",
                    name=plan.name, end=plan.repeat_until, start=plan.start_date))
            if not 0 <= plan.visit_hour < 24:
                raise ValidationError(self.env._("Plan %(name)s: the visit time is an hour of the day.",
                                                 name=plan.name))

    @api.constrains("partner_id", "location_id", "equipment_ids")
    def _check_customer(self):
        for plan in self:
            customer = plan.partner_id.commercial_partner_id
            others = plan.equipment_ids.filtered(lambda e, c=customer: e.partner_id.commercial_partner_id != c)
            if others:
                raise ValidationError(self.env._(
                    "Plan %(name)s: %(equipment)s belongs to another customer than %(customer)s.",
                    name=plan.name, equipment=", ".join(others.mapped("display_name")),
                    customer=plan.partner_id.display_name))
            if plan.location_id and plan.location_id not in (plan.partner_id | plan.partner_id.child_ids):
                raise ValidationError(self.env._(
                    "Plan %(name)s: the location must be the customer or one of its addresses.", name=plan.name))

    def _zone(self):
        """The plan's time zone: its dispatcher's, else the company's, else UTC."""
        self.ensure_one()
        try:
            return pytz.timezone(self.user_id.tz or self.company_id.partner_id.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _today(self):
        """Today where the plan's visits take place (its due dates are days there)."""
        return fields.Date.context_today(self.with_context(tz=self._zone().zone))

    def _is_running(self):
        self.ensure_one()
        return self.active and bool(self.next_due_date)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _check_values(self, vals):
        if "name" in vals:
            check_text(self.env, vals["name"], self.env._("The plan's name"), MAX_SHORT_TEXT, required=True)
        if vals.get("description"):
            check_text(self.env, vals["description"], self.env._("The visit description"), MAX_LONG_TEXT)
        # its orders are planned work: their due dates within the plausible window of a schedule
        check_schedule_date(self.env, vals.get("start_date"), self._fields["start_date"]._description_string(self.env))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_values(vals)
            if not self.env.su and set(vals) & PLAN_PROTECTED_FIELDS:
                raise AccessError(self.env._("The last due date made is the job's, never given."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_values(vals)
        if not self.env.su and set(vals) & PLAN_PROTECTED_FIELDS:
            raise AccessError(self.env._(
                "The last due date made is written by the plan's job only: change the first due date or the "
                "interval instead."))
        if "start_date" in vals and not self.env.su and self.filtered("last_due_date"):
            raise UserError(self.env._(
                "Plan %(names)s made orders already: its visits follow from the last one made. Change the "
                "interval, or end this plan and start another.",
                names=", ".join(self.filtered("last_due_date").mapped("name"))))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_without_orders(self):
        # sudo: whether any order, readable or not by the user, came from the plan
        used = self.sudo().filtered("order_ids")
        if used:
            raise UserError(self.env._(
                "Plan %(names)s made orders: archive it to end it (its orders stay as they are).",
                names=", ".join(used.mapped("name"))))

    # ------------------------------------------------------------------
    # The job: the orders of the coming due dates, once each
    # ------------------------------------------------------------------
    @api.model
    def _cron_generate_orders(self):
        """Scheduled action: make the orders of every running plan whose next visits fall
        within their lead time."""
        # each plan's own today (its time zone) decides; a day more covers every zone
        horizon = fields.Date.today() + timedelta(days=MAX_LEAD_DAYS + 1)
        plans = self.search([("next_due_date", "!=", False), ("next_due_date", "<=", horizon)])
        made = self.env["service.order"]
        for plan in plans:
            # a plan that cannot make its order (its data changed since it was saved) says so
            # and waits for the next run; the others go on
            try:
                with self.env.cr.savepoint():
                    made |= plan._generate_orders()
            except (UserError, ValidationError) as error:
                _logger.warning("Preventive plan %s: no order made: %s", plan.id, error)
                plan.message_post(body=self.env._("No order made: %(error)s", error=str(error)))
        return made

    def _generate_orders(self, today=None):
        """Make, for each plan, the order of each due date from its next one up to today (the
        plan's, in its time zone) plus its lead time, and move its watermark past them; return
        the orders made.

        Each due date is made once: the plan's last due date moves on with each order, and the
        order's (plan, due date) is unique in the database, so a second run, concurrent or
        not, makes nothing again. A due date already past when the job reaches it (a plan
        started in the past, a job stopped for longer than the lead time) is skipped, and said
        in the plan's chatter. Runs as the system (the job), or after _check_can_generate."""
        made = self.env["service.order"]
        # the plans' rows first: a second run at the same moment (the job, a dispatcher's button)
        # waits, then fails to serialize and is retried with these due dates made
        self._lock_for_generation()
        existing = {(plan.id, due) for plan, due in self.env["service.order"].sudo()._read_group(
            [("plan_id", "in", self.ids)], ["plan_id", "plan_due_date:day"])}
        for plan in self.filtered("active"):
            plan_today = today or plan._today()
            horizon = plan_today + timedelta(days=plan.lead_days)
            skipped = []
            while plan.next_due_date and plan.next_due_date <= horizon:
                due = plan.next_due_date
                if due < plan_today:
                    skipped.append(due)
                elif (plan.id, due) not in existing:
                    made |= plan._create_order(due)
                # sudo: the watermark is the job's own (protected from every role)
                plan.sudo().last_due_date = due
            if skipped:
                plan.message_post(body=self.env._(
                    "Due dates already past, no order made: %(dates)s.",
                    dates=", ".join(format_date(self.env, due) for due in skipped)))
        return made

    def _lock_for_generation(self):
        if self.ids:
            self.env.cr.execute(SQL("SELECT id FROM service_plan WHERE id IN %s FOR NO KEY UPDATE",
                                    tuple(self.ids)))

    def _visit_datetime(self, due):
        """The due date at the plan's visit time, in the dispatcher's time zone, as UTC."""
        self.ensure_one()
        zone = self._zone()
        hours = int(self.visit_hour)
        minutes = round((self.visit_hour - hours) * 60)
        local = zone.localize(datetime.combine(due, time(hours, min(minutes, 59))))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _prepare_order_values(self, due):
        self.ensure_one()
        start = self._visit_datetime(due)
        equipment = self.equipment_ids if len(self.equipment_ids) == 1 else self.env["service.equipment"]
        location = self.location_id or equipment.location_id or self.partner_id
        description = self.description if not is_html_empty(self.description) else Markup("<p>%s</p>") % \
            self.env._("Preventive visit of plan %(plan)s, due on %(date)s.", plan=self.name,
                       date=format_date(self.env, due))
        dispatcher = self.user_id
        return {
            "partner_id": self.partner_id.id,
            "location_id": location.id,
            "order_type_id": self.order_type_id.id,
            "description": description,
            "equipment_id": equipment.id,
            "scheduled_start": start,
            "scheduled_end": start + timedelta(hours=self.order_type_id.default_duration),
            "dispatcher_id": dispatcher.id,
            "requested_by_id": dispatcher.id,
            "supervisor_id": self.company_id.service_default_supervisor_id.id,
            "plan_id": self.id,
            "plan_due_date": due,
        }

    def _create_order(self, due):
        """The draft order of the visit due on ``due``, with the template's tasks as prepared
        work items; its dispatcher gets an activity to plan it."""
        self.ensure_one()
        # sudo: the job makes the order and writes its plan and due date (protected from
        # every role); the plan's values were checked when it was saved
        Order = self.env["service.order"].sudo().with_company(self.company_id)
        order = Order.create(self._prepare_order_values(due))
        pieces = self.equipment_ids or self.env["service.equipment"]
        items = [vals for task in self.task_ids for vals in task._prepare_work_item_values(order, pieces)]
        if items:
            self.env["service.work.item"].sudo().create(items)
        order.message_post(body=self.env._(
            "Made by preventive plan %(plan)s for the visit due on %(date)s.",
            plan=self.name, date=format_date(self.env, due)))
        planner = self.user_id or self.company_id.service_default_supervisor_id
        if planner:
            order.activity_schedule(
                "service_order.mail_act_service_plan_order", user_id=planner.id,
                date_deadline=max(due - timedelta(days=1), self._today()),
                note=text_to_html(self.env._(
                    "Plan the preventive visit of %(customer)s due on %(date)s (plan %(plan)s).",
                    customer=self.partner_id.display_name, date=format_date(self.env, due), plan=self.name)))
        self.message_post(body=self.env._("Order %(order)s made for the visit due on %(date)s.",
                                          order=order.name, date=format_date(self.env, due)))
        return order

    def _check_can_generate(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers make the orders of preventive plans."))
        if not self:
            raise UserError(self.env._("Choose at least one plan."))

    def action_generate_orders(self):
        """Make now the orders of the visits within the lead time (the job does it every day)."""
        self._check_can_generate()
        # sudo: the job's own work (orders with their plan and due date, the watermark), after
        # the check above; the same as the scheduled action does
        made = self.sudo()._generate_orders()
        if not made:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "type": "info", "message": self.env._("No visit is due within the lead time: no order made.")}}
        return self.action_view_orders(made)

    def action_view_orders(self, orders=None):
        """The orders the plan made."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of the Plan"),
            "res_model": "service.order",
            "view_mode": "list,kanban,form",
            "domain": [("id", "in", orders.ids)] if orders else [("plan_id", "in", self.ids)],
            "context": {"create": False},
        }

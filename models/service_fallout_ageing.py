from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, text_to_html
from .service_fallout_states import OPEN_FALLOUT_STATES
from .service_order_sla import duration_label, duration_texts

# Set by the fallout's own methods and computes, never by a role (service_fallout.PROTECTED_FIELDS).
AGEING_PROTECTED_FIELDS = frozenset({"reported_date", "due_date", "escalated_date"})
ESCALATION_ACTIVITY = "service_order.mail_act_fallout_overdue"


class ServiceFalloutAgeingMixin(models.AbstractModel):
    """How long a fallout has been open against the target of its type (in the company's
    working hours), whether it is overdue, and its one escalation to the order's supervisor."""

    _name = "service.fallout.ageing.mixin"
    _description = "Fallout: ageing and escalation"

    reported_date = fields.Datetime(
        "Reported On", required=True, readonly=True, copy=False, index=True,
        default=fields.Datetime.now)
    due_date = fields.Datetime(
        "Due By", compute="_compute_due_date", store=True, readonly=True, copy=False,
        help="The report date plus the target of the fallout's type, in the company's working hours.")
    age_days = fields.Float(
        "Age (days)", compute="_compute_age", digits=(16, 1),
        help="Days since the report, until now or until the fallout was resolved.")
    age_label = fields.Char("Age", compute="_compute_age")
    is_overdue = fields.Boolean("Overdue", compute="_compute_age", search="_search_is_overdue")
    escalated_date = fields.Datetime(
        "Escalated On", readonly=True, copy=False,
        help="When the overdue fallout was escalated to the supervisor (once).")

    @api.depends("reported_date", "type_id.target_hours", "company_id")
    def _compute_due_date(self):
        for fallout in self:
            hours = fallout.type_id.target_hours
            if not hours or not fallout.reported_date:
                fallout.due_date = False
                continue
            calendar = fallout.company_id.resource_calendar_id
            due = calendar.plan_hours(hours, fallout.reported_date, compute_leaves=True) if calendar else False
            fallout.due_date = due or fallout.reported_date + timedelta(hours=hours)

    @api.depends("reported_date", "resolved_date", "due_date", "state")
    def _compute_age(self):
        now, texts = fields.Datetime.now(), duration_texts(self.env)
        for fallout in self:
            end = fallout.resolved_date or now
            age = end - fallout.reported_date if fallout.reported_date else timedelta()
            fallout.age_days = age.total_seconds() / 86400
            fallout.age_label = duration_label(self.env, age, texts) if fallout.reported_date else False
            fallout.is_overdue = bool(fallout.state in OPEN_FALLOUT_STATES and fallout.due_date and fallout.due_date < now)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue fallouts with = True or = False."))
        overdue = [("state", "in", OPEN_FALLOUT_STATES), ("due_date", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return ["|", "|", ("state", "not in", OPEN_FALLOUT_STATES), ("due_date", "=", False),
                ("due_date", ">=", fields.Datetime.now())]

    @api.model
    def _cron_escalate_overdue(self):
        """Scheduled action: escalate the fallouts that went overdue since the last run."""
        self.search([("is_overdue", "=", True), ("escalated_date", "=", False)])._escalate_overdue()
        return True

    def _get_escalation_user(self):
        self.ensure_one()
        order = self.order_id
        return order.supervisor_id or order.company_id.service_default_supervisor_id or order.dispatcher_id

    def _escalate_overdue(self):
        """Escalate each overdue fallout once: its supervisor gets an activity and the fallout
        says so in its chatter."""
        if not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and the scheduled action escalate fallouts."))
        fallouts = self.filtered(lambda f: f.is_overdue and not f.escalated_date)
        for fallout in fallouts:
            supervisor = fallout._get_escalation_user()
            note = self.env._(
                "Fallout %(name)s (%(type)s) on %(order)s is overdue: reported %(age)s ago, target "
                "%(target)s working hours. Assigned to %(user)s.",
                name=fallout.name, type=fallout.type_id.name, order=fallout.order_id.name,
                age=fallout.age_label, target=format(fallout.type_id.target_hours, "g"),
                user=fallout.user_id.name or self.env._("nobody"))
            # sudo: the escalation is the workflow's; whoever runs it may not write the fallout
            fallout.sudo().activity_schedule(
                ESCALATION_ACTIVITY, user_id=supervisor.id,
                summary=self.env._("Overdue fallout %(name)s", name=fallout.name),
                note=text_to_html(note))
            fallout.sudo().message_post(body=self.env._("Escalated to %(user)s: %(note)s",
                                                        user=supervisor.name, note=note))
        # the escalation date records that it was done, so that it is done once
        fallouts._write_workflow({"escalated_date": fields.Datetime.now()})
        return fallouts

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .common import MAX_HOURS
from .service_order_states import PRIORITIES


def round_to_second(moment):
    """``moment`` without the fraction of a second the working-hour arithmetic leaves."""
    return (moment + timedelta(microseconds=500000)).replace(microsecond=0)


class ServiceSlaPolicy(models.Model):
    """A service level target: how soon the orders of a type and a priority must see a
    technician on site (response) and be closed (resolution), in working hours counted from
    their submission. The most specific target that matches an order wins: type and priority,
    then type or priority, then the catch-all (a company's own before one of every company);
    among equals, the first by sequence. The list shows them in that order."""

    _name = "service.sla.policy"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Service Level Target"
    _order = "specificity desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", ondelete="cascade", index=True,
                                 help="Leave empty to use the target in every company.")
    order_type_id = fields.Many2one("service.order.type", ondelete="cascade",
                                    help="Leave empty: orders of every type.")
    priority = fields.Selection(PRIORITIES, help="Leave empty: orders of every priority.")
    response_hours = fields.Float(
        "Response Time (h)", digits=(16, 2),
        help="Working hours from the submission until a technician is on site; 0 = no response target.")
    resolution_hours = fields.Float(
        "Resolution Time (h)", digits=(16, 2),
        help="Working hours from the submission until the order is closed; 0 = no resolution target.")
    resource_calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", ondelete="restrict",
        help="The hours the clock runs in. Leave empty for the company's working hours; choose a "
             "round-the-clock calendar for a 24/7 contract. Public holidays of the calendar are skipped.")
    specificity = fields.Integer(
        compute="_compute_specificity", store=True, index=True,
        help="How specific the target is: the type and the priority count 2 each, the company 1. The most "
             "specific target matching an order applies.")
    scope = fields.Char(
        "Applies To", compute="_compute_scope",
        help="The orders this target is for; where several match an order, the first of the list applies.")
    open_order_count = fields.Integer(
        "Open Orders", compute="_compute_open_order_count",
        help="The open orders whose service level this target sets now.")
    at_risk_percent = fields.Integer(
        "At Risk From (%)", default=75,
        help="An order is flagged at risk once this share of a target's time has gone.")

    @api.depends("order_type_id", "priority", "company_id")
    def _compute_specificity(self):
        for policy in self:
            policy.specificity = 2 * bool(policy.order_type_id) + 2 * bool(policy.priority) + bool(policy.company_id)

    @api.depends("order_type_id", "priority")
    def _compute_scope(self):
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        for policy in self:
            policy.scope = " · ".join((
                policy.order_type_id.name or self.env._("Every type"),
                priorities.get(policy.priority) or self.env._("every priority")))

    def _compute_open_order_count(self):
        counts = dict(self.env["service.order"]._read_group(
            [("sla_policy_id", "in", self.ids), ("is_open", "=", True)], ["sla_policy_id"], ["__count"]))
        for policy in self:
            policy.open_order_count = counts.get(policy, 0)

    @api.constrains("response_hours", "resolution_hours", "at_risk_percent")
    def _check_targets(self):
        for policy in self:
            for hours, label in ((policy.response_hours, self.env._("The response time")),
                                 (policy.resolution_hours, self.env._("The resolution time"))):
                if not 0 <= hours <= MAX_HOURS:
                    raise ValidationError(self.env._(
                        "%(policy)s: %(label)s must be from 0 to %(max)s working hours, not %(value)s.",
                        policy=policy.name, label=label, max=format(MAX_HOURS, "g"), value=format(hours, "g")))
            if not policy.response_hours and not policy.resolution_hours:
                raise ValidationError(self.env._(
                    "%(policy)s: give a response time, a resolution time, or both.", policy=policy.name))
            if policy.response_hours and policy.resolution_hours \
                    and policy.response_hours > policy.resolution_hours:
                raise ValidationError(self.env._(
                    "%(policy)s: the response time (%(response)s h) cannot exceed the resolution time "
                    "(%(resolution)s h): the technician is on site before the order is closed.",
                    policy=policy.name, response=format(policy.response_hours, "g"),
                    resolution=format(policy.resolution_hours, "g")))
            if not 1 <= policy.at_risk_percent <= 99:
                raise ValidationError(self.env._(
                    "%(policy)s: the at-risk threshold is a percentage from 1 to 99, not %(value)s.",
                    policy=policy.name, value=policy.at_risk_percent))

    @api.model
    def _find_for(self, orders):
        """``{order: policy}`` for the orders that have a target (one query for all): the first
        matching target in the list's order, the most specific one."""
        # sudo: the terms apply whoever submits or reads the order; a policy holds no secret
        policies = self.sudo().search([("company_id", "in", [False, *orders.company_id.ids])])
        result = {}
        for order in orders:
            candidates = policies.filtered(lambda p, o=order: (
                (not p.company_id or p.company_id == o.company_id)
                and (not p.order_type_id or p.order_type_id == o.order_type_id)
                and (not p.priority or p.priority == o.priority)))
            if candidates:
                result[order] = candidates[:1].sudo(False)
        return result

    def _plan(self, start, hours, company):
        """The moment ``hours`` working hours after ``start`` (naive UTC, as stored)."""
        self.ensure_one()
        calendar = self.resource_calendar_id or company.resource_calendar_id
        moment = calendar.plan_hours(hours, start, compute_leaves=True) if calendar else False
        # compute_leaves: the calendar's public holidays do not count; to the second, as stored
        return round_to_second(moment or start + timedelta(hours=hours))

    def _deadlines(self, start, company):
        """``(response risk, response deadline, resolution risk, resolution deadline)``."""
        self.ensure_one()
        share = self.at_risk_percent / 100.0
        values = []
        for hours in (self.response_hours, self.resolution_hours):
            if hours:
                values += [self._plan(start, hours * share, company), self._plan(start, hours, company)]
            else:
                values += [False, False]
        return tuple(values)

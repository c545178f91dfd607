from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .common import MAX_HOURS


class ServiceFalloutType(models.Model):
    _name = "service.fallout.type"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Fallout Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", ondelete="cascade",
                                 help="Leave empty to use the type in every company.")
    target_hours = fields.Float(
        "Target (working hours)", digits=(16, 2),
        help="A fallout of this type should be over within these working hours of the company from its "
             "report; past them it is overdue and escalated to the order's supervisor. 0 = no target.")

    @api.constrains("target_hours")
    def _check_target_hours(self):
        for fallout_type in self:
            if not 0 <= fallout_type.target_hours <= MAX_HOURS:
                raise ValidationError(self.env._(
                    "%(type)s: the target must be from 0 to %(max)s working hours, not %(value)s.",
                    type=fallout_type.name, max=format(MAX_HOURS, "g"), value=format(fallout_type.target_hours, "g")))

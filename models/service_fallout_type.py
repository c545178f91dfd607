from odoo import fields, models


class ServiceFalloutType(models.Model):
    _name = "service.fallout.type"
    _description = "Fallout Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", ondelete="cascade",
                                 help="Leave empty to use the type in every company.")

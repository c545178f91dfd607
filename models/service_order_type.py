from odoo import fields, models


class ServiceOrderType(models.Model):
    _name = "service.order.type"
    _description = "Service Order Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code shown on cards and documents.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    default_duration = fields.Float(
        string="Default Duration (hours)", default=2.0,
        help="Used to propose the scheduled end from the scheduled start.",
    )
    question_ids = fields.One2many(
        "service.step.question", "order_type_id", string="Step Questions",
        help="The short form each technician transition asks for orders of this type.")
    company_id = fields.Many2one(
        "res.company", ondelete="restrict",
        help="Leave empty to share the type between companies.",
    )

    _sql_constraints = [
        ("default_duration_positive", "CHECK(default_duration >= 0)",
         "The default duration of an order type cannot be negative."),
    ]

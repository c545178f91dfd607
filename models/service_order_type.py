from odoo import api, fields, models
from odoo.exceptions import ValidationError

LABOUR_INVOICING = [
    ("time", "Time spent"),
    ("estimate", "Fixed price: the accepted estimates"),
]


class ServiceOrderType(models.Model):
    _name = "service.order.type"
    _inherit = ["service.integer.bounds.mixin"]
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
    # Prices (service.order.sale.mixin): the estimates and the sale order of an order of this type
    labour_product_id = fields.Many2one(
        "product.product", string="Labour", ondelete="restrict", check_company=True,
        domain=[("type", "=", "service"), ("sale_ok", "=", True)],
        help="The service sold per hour of work: a work item's estimate is its hours at this "
             "product's price in the customer's pricelist, and the sale order bills it.")
    labour_invoicing = fields.Selection(
        LABOUR_INVOICING, string="Labour Invoiced", default="time", required=True,
        help="Time spent: the hours clocked on the order (its time logs) are invoiced.\n"
             "Fixed price: the hours of the accepted estimates of the work items done are "
             "invoiced, whatever the time spent.")

    _sql_constraints = [
        ("default_duration_positive", "CHECK(default_duration >= 0)",
         "The default duration of an order type cannot be negative."),
    ]

    @api.constrains("labour_product_id", "labour_invoicing")
    def _check_labour_product(self):
        for order_type in self:
            product = order_type.labour_product_id
            if order_type.labour_invoicing == "time" and product and product.invoice_policy != "delivery":
                raise ValidationError(self.env._(
                    "Order type %(type)s invoices the time spent: its labour %(product)s must be "
                    "invoiced on delivered quantities (the product's Invoicing Policy).",
                    type=order_type.name, product=product.display_name))

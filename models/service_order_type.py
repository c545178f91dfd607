from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .service_order_states import PRIORITIES

# How a submitted order of the type is approved (service.order.approval.mixin): by a supervisor,
# at once by the policy (the dispatcher's Submit plans it), or by a supervisor above an amount.
APPROVAL_POLICIES = [
    ("supervisor", "Supervisor approval"),
    ("auto", "Approved on submit"),
    ("amount", "Supervisor above an estimated amount"),
]
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

    # Dispatch (service.order.approval.mixin, service.order.booking.mixin)
    approval_policy = fields.Selection(
        APPROVAL_POLICIES, string="Approval", default="supervisor", required=True,
        help="Supervisor approval: a supervisor reviews every submitted order.\n"
             "Approved on submit: the dispatcher's Submit approves the order (the policy is recorded as the "
             "approver) and issues version 1.\n"
             "Supervisor above an estimated amount: approved on submit up to the amount, reviewed above it.")
    approval_amount = fields.Monetary(
        "Supervisor Above", currency_field="currency_id",
        help="Orders estimated above this amount wait for a supervisor; the others are approved on submit.")
    auto_approve_priority = fields.Selection(
        PRIORITIES, string="Approved on Submit From",
        help="Orders of this priority or higher are approved on submit whatever the policy (an emergency "
             "does not wait for a supervisor). Leave empty: the policy alone decides.")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    skill_id = fields.Many2one(
        "service.skill", string="Required Skill", ondelete="restrict",
        help="The skill a technician needs for orders of this type: the order form suggests the free "
             "technicians who have it.")

    _sql_constraints = [
        ("approval_amount_positive", "CHECK(approval_amount IS NULL OR approval_amount >= 0)",
         "The amount above which a supervisor approves cannot be negative."),
        ("default_duration_positive", "CHECK(default_duration >= 0)",
         "The default duration of an order type cannot be negative."),
    ]

    @api.depends("company_id")
    def _compute_currency_id(self):
        for order_type in self:
            order_type.currency_id = (order_type.company_id or self.env.company).currency_id

    @api.constrains("labour_product_id", "labour_invoicing")
    def _check_labour_product(self):
        for order_type in self:
            product = order_type.labour_product_id
            if order_type.labour_invoicing == "time" and product and product.invoice_policy != "delivery":
                raise ValidationError(self.env._(
                    "Order type %(type)s invoices the time spent: its labour %(product)s must be "
                    "invoiced on delivered quantities (the product's Invoicing Policy).",
                    type=order_type.name, product=product.display_name))

from odoo import api, fields, models

from .common import MAX_QUANTITY, check_number


class ServicePlanTaskPart(models.Model):
    """A part a plan's task uses (product and quantity)."""

    _name = "service.plan.task.part"
    _description = "Preventive Plan Task Part"
    _inherit = ["service.integer.bounds.mixin"]  # a sequence beyond the integer column: refused
    _order = "task_id, sequence, id"
    _check_company_auto = True

    task_id = fields.Many2one("service.plan.task", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict", check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be greater than zero."),
    ]

    @api.model
    def _check_quantity(self, vals):
        if "quantity" in vals:
            check_number(self.env, vals["quantity"], self.env._("The quantity of a part"), MAX_QUANTITY,
                         positive=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_quantity(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_quantity(vals)
        return super().write(vals)

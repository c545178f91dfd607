from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    service_warranty = fields.Boolean(
        "Under Warranty", readonly=True, copy=False,
        help="Work on equipment under warranty: priced at zero (a 100% discount), the reason in the description.")

    @api.depends("service_warranty")
    def _compute_discount(self):
        result = super()._compute_discount()
        for line in self.filtered("service_warranty"):
            line.discount = 100.0
        return result

from odoo import fields, models

from .common import DISPATCHER_GROUP


class SaleOrder(models.Model):
    """The estimate of a service order is its sale order as a quotation: the customer's
    signature on the portal (or a confirmation in Sales) accepts the work it proposes, declining
    it (or cancelling it) refuses that work (service.order.estimate.mixin)."""

    _inherit = "sale.order"

    service_estimate_order_id = fields.Many2one(
        "service.order", string="Estimate of Service Order", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", groups=DISPATCHER_GROUP,
        help="The service order this quotation is the estimate of.")

    def _service_estimates(self):
        """These sale orders that are service orders' estimates, as superuser, with their service order."""
        # sudo: the portal and Sales confirm or cancel them without rights on service orders; the
        # service order then records the customer's answer after its own checks
        return [(quotation, quotation.service_estimate_order_id) for quotation in self.sudo()
                if quotation.service_estimate_order_id
                and quotation.service_estimate_order_id.sale_order_id == quotation]

    def action_confirm(self):
        quotations = self.filtered(lambda so: so.state in ("draft", "sent"))._service_estimates()
        result = super().action_confirm()
        for quotation, order in quotations:
            order._on_estimate_confirmed(quotation)
        return result

    def _action_cancel(self):
        quotations = self.filtered(lambda so: so.state in ("draft", "sent"))._service_estimates()
        result = super()._action_cancel()
        for quotation, order in quotations:
            order._on_estimate_cancelled(quotation)
        return result

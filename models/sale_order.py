from odoo import api, fields, models

from .common import DISPATCHER_GROUP


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # the service order the addon made this sale order for (service.order.sale.mixin)
    service_order_ids = fields.One2many("service.order", "sale_order_id", string="Service Orders",
                                        readonly=True, groups=DISPATCHER_GROUP)
    service_order_count = fields.Integer(compute="_compute_service_order_count", groups=DISPATCHER_GROUP)

    @api.depends("service_order_ids")
    def _compute_service_order_count(self):
        for sale_order in self:
            sale_order.service_order_count = len(sale_order.service_order_ids)

    def action_view_service_orders(self):
        """Open the service order behind this sale order."""
        self.ensure_one()
        orders = self.service_order_ids
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Service Orders"),
            "res_model": "service.order",
            "view_mode": "list,form",
            "domain": [("id", "in", orders.ids)],
        }
        if len(orders) == 1:
            action.update(view_mode="form", res_id=orders.id)
        return action

from odoo import api, fields, models

from .common import DISPATCHER_GROUP


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # the service order the addon made this sale order for (service.order.sale.mixin)
    service_order_ids = fields.One2many("service.order", "sale_order_id", string="Service Orders",
                                        readonly=True, groups=DISPATCHER_GROUP)
    service_order_count = fields.Integer(compute="_compute_service_order_count", groups=DISPATCHER_GROUP)

    # the service order's number, which the sale order and its invoices print (readable by
    # whoever reads the sale order: its origin, set by the addon)
    service_order_name = fields.Char("Service Order", compute="_compute_service_order_name")

    def _compute_service_order_name(self):
        # sudo: the number of the service order this sale order was made for, nothing else of it
        linked = dict(self.env["service.order"].sudo()._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["name:array_agg"]))
        for sale_order in self:
            sale_order.service_order_name = ", ".join(linked.get(sale_order, [])) or False

    def _prepare_invoice(self):
        """The invoice of a service order's sale order names the service order first (its Source)."""
        vals = super()._prepare_invoice()
        if self.service_order_name:
            vals["invoice_origin"] = f"{self.service_order_name} ({self.name})"
        return vals

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

from odoo import api, fields, models
from odoo.exceptions import AccessError

# What ties a line to the service order it bills: written by the addon only (under sudo,
# after its checks), never by hand, so that the quantities the addon keeps follow the work.
SERVICE_LINK_FIELDS = frozenset({"service_labour_order_id", "service_order_line_id", "service_work_item_id",
                                 "service_work_item_part_id"})


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # What a line of the sale order behind a service order bills (service.order.sale.mixin):
    # the labour of the order, one of its materials and services, or a work item (its section
    # and its parts).
    service_labour_order_id = fields.Many2one(
        "service.order", string="Labour of Service Order", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict")
    service_order_line_id = fields.Many2one(
        "service.order.line", string="Service Order Material or Service", readonly=True, copy=False,
        index="btree_not_null", ondelete="restrict")
    service_work_item_id = fields.Many2one(
        "service.work.item", string="Work Item", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict")
    # the part of the work item the line bills: its move from the van delivers it
    service_work_item_part_id = fields.Many2one(
        "service.work.item.part", string="Work Item Part", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null")

    def _check_service_links(self, names):
        if not self.env.su and SERVICE_LINK_FIELDS & set(names):
            raise AccessError(self.env._(
                "The service order a sale order line bills is set by the service order itself, "
                "never by hand."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_service_links({name for name, value in vals.items() if value})
        return super().create(vals_list)

    def write(self, vals):
        self._check_service_links(vals)
        return super().write(vals)

    def _action_launch_stock_rule(self, **kwargs):
        """The goods a service order bills leave the technician's van when they are used (its
        delivery, service.van.line.mixin), not the warehouse when the sale order is confirmed: no
        second delivery for them, as repair does for its parts. Lines a salesperson adds are
        delivered as usual."""
        served = self.filtered(lambda line: line.service_work_item_id or line.service_order_line_id)
        return super(SaleOrderLine, self - served)._action_launch_stock_rule(**kwargs)

from odoo import fields, models


class StockMove(models.Model):
    """The move that took a part of a work item (or a material of an order) from the van to the
    customer: one per line, never a second (a unique key: a step repeated or replayed, two
    requests at once, find it there). Its returns (Odoo's Return on the delivery) point at it
    through ``origin_returned_move_id``; they carry no key of their own (``copy=False``)."""

    _inherit = "stock.move"

    service_part_id = fields.Many2one(
        "service.work.item.part", string="Work Item Part", readonly=True, copy=False,
        index="btree_not_null", ondelete="restrict")
    service_order_line_id = fields.Many2one(
        "service.order.line", string="Service Order Material", readonly=True, copy=False,
        index="btree_not_null", ondelete="restrict")

    _sql_constraints = [
        ("service_part_unique", "unique(service_part_id)",
         "A part of a work item leaves the van once: it has its move already."),
        ("service_order_line_unique", "unique(service_order_line_id)",
         "A material of a service order leaves the van once: it has its move already."),
    ]

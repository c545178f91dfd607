from odoo import api, fields, models

from .common import MAX_QUANTITY, check_number


class ServiceWorkItemPart(models.Model):
    """A part the work item needs (product and quantity)."""

    _name = "service.work.item.part"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Service Work Item Part"
    _order = "work_item_id, sequence, id"
    _check_company_auto = True

    work_item_id = fields.Many2one("service.work.item", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one(related="work_item_id.order_id", store=True, index=True)
    company_id = fields.Many2one(related="work_item_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict",
                                 check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be greater than zero."),
    ]

    @api.model
    def _check_quantity(self, vals):
        # checked on the values, before the database's CHECK refuses them with a raw error
        if "quantity" in vals:
            product = self.env["product.product"].browse(vals.get("product_id")) or self.product_id[:1]
            check_number(self.env, vals["quantity"], self.env._("The quantity of part %(product)s",
                                                                 product=product.display_name or ""),
                         MAX_QUANTITY, positive=True)

    def _check_items_editable(self, items):
        if not self.env.su:
            items._check_can_write_fields({"part_ids"})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_quantity(vals)
        self._check_items_editable(self.env["service.work.item"].browse(
            {vals.get("work_item_id") for vals in vals_list} - {None, False}))
        return super().create(vals_list)

    def write(self, vals):
        self._check_quantity(vals)
        self._check_items_editable(self.work_item_id)
        if "work_item_id" in vals:
            self._check_items_editable(self.env["service.work.item"].browse(vals["work_item_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_item_editable(self):
        self._check_items_editable(self.work_item_id)

from odoo import api, fields, models
from odoo.exceptions import UserError

from .common import MAX_QUANTITY, SALE_READERS, check_number


class ServiceWorkItemPart(models.Model):
    """A part the work item needs (product and quantity); once the item is done, it leaves the
    technician's van for the customer (service.van.line.mixin)."""

    _name = "service.work.item.part"
    _inherit = ["service.integer.bounds.mixin", "service.van.line.mixin"]
    _van_move_field = "service_part_id"
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
    sale_line_ids = fields.One2many("sale.order.line", "service_work_item_part_id", string="Sale Order Lines",
                                    readonly=True, groups=SALE_READERS)

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

    def _check_lots_editable(self):
        """The lots and serial numbers of a part are chosen until its item is done, by a field
        worker of the order under way or a dispatcher: they are not printed (not the estimate)."""
        if self.env.su:
            return
        items = self.work_item_id
        final = items.filtered(lambda item: item.state in ("done", "cancelled"))
        if final:
            raise UserError(self.env._(
                "%(items)s is done or cancelled: its parts' lots and serial numbers are kept as they left the van.",
                items=", ".join(final.mapped("display_name"))))
        items._check_field_work()

    def _van_sale_line(self):
        """The line of the sale order billing this part (made when its item was accepted)."""
        self.ensure_one()
        # sudo: the sale order lines (read by Sales users only), to link the move to its line
        part = self.sudo()
        return part.sale_line_ids.filtered(lambda line: line.order_id.state != "cancel")[:1]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_quantity(vals)
        self._check_items_editable(self.env["service.work.item"].browse(
            {vals.get("work_item_id") for vals in vals_list} - {None, False}))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) <= {"lot_ids"}:
            self._check_lots_editable()
            return super().write(vals)
        self._check_quantity(vals)
        self._check_items_editable(self.work_item_id)
        if "work_item_id" in vals:
            self._check_items_editable(self.env["service.work.item"].browse(vals["work_item_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_item_editable(self):
        self._check_items_editable(self.work_item_id)

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import MAX_QUANTITY, SALE_READERS, check_number


class ServiceOrderLine(models.Model):
    """A material or a service the order needs (planned, or added in the field); a material
    leaves the technician's van for the customer when the order is completed
    (service.van.line.mixin)."""

    _name = "service.order.line"
    _inherit = ["service.integer.bounds.mixin", "service.van.line.mixin"]
    _van_move_field = "service_order_line_id"
    _description = "Service Order Material or Service"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict",
                                 check_company=True)
    name = fields.Char(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True,
                            help="Greater than 0 and at most 100,000.")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    line_type = fields.Selection(
        [("material", "Material"), ("service", "Service")], compute="_compute_line_type", store=True)
    confirmation_id = fields.Many2one("service.confirmation", readonly=True, ondelete="set null",
                                      help="The confirmation that added this line in the field.")
    sale_line_ids = fields.One2many("sale.order.line", "service_order_line_id", string="Sale Order Lines",
                                    readonly=True, groups=SALE_READERS)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A quantity must be greater than zero."),
    ]

    @api.depends("product_id.type")
    def _compute_line_type(self):
        for line in self:
            line.line_type = "service" if line.product_id.type == "service" else "material"

    def _check_quantity(self, vals):
        if "quantity" in vals:
            check_number(self.env, vals["quantity"], self.env._("A quantity"), MAX_QUANTITY, positive=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_quantity(vals)
        if not self.env.su:
            self.env["service.order"].browse(
                {vals.get("order_id") for vals in vals_list} - {None, False})._check_lines_editable()
            if any(vals.get("confirmation_id") for vals in vals_list):
                raise AccessError(self.env._("Lines of a confirmation are added by Create a Confirmation."))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) <= {"lot_ids"}:
            self._check_lots_editable()
            return super().write(vals)
        self._check_quantity(vals)
        if not self.env.su:
            self.order_id._check_lines_editable()
            if "order_id" in vals or "confirmation_id" in vals:
                raise UserError(self.env._("A line stays on its order and its confirmation."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su:
            self.order_id._check_lines_editable()

    def _check_lots_editable(self):
        """The lots and serial numbers of a material are chosen until the order is completed, by
        a field worker of the order under way or a dispatcher (they are not printed)."""
        if not self.env.su:
            self.order_id._check_can_work_in_field()

    def _van_sale_line(self):
        """The line of the order's sale order billing this material."""
        self.ensure_one()
        # sudo: the sale order lines (read by Sales users only), to link the move to its line
        return self.sudo().sale_line_ids.filtered(lambda line: line.order_id.state != "cancel")[:1]

    def _summary(self):
        return "; ".join(f"{line.quantity:g} {line.uom_id.name or ''} × {line.name or line.product_id.display_name}"
                         .replace("  ", " ") for line in self) or "—"

    def _prepare_sale_line_values(self, sequence):
        """The lines of the order's sale order billing these materials and services."""
        return [{
            "product_id": line.product_id.id, "product_uom_qty": line.quantity, "sequence": sequence,
            "service_order_line_id": line.id, **({"name": line.name} if line.name else {}),
        } for line in self]

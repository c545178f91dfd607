from odoo import api, fields, models

from .common import DISPATCHER_GROUP, SALE_READERS
from .service_order_sale import WORK_ITEM_SEQUENCE


class ServiceWorkItemSaleMixin(models.AbstractModel):
    """A work item's price: its estimate (its hours at the order type's labour product and its
    parts, at the customer's pricelist prices, with taxes), and, once accepted, its section and
    parts on the order's sale order (service.order.sale.mixin)."""

    _name = "service.work.item.sale.mixin"
    _description = "Work Item: estimate and sale order lines"

    sale_line_ids = fields.One2many("sale.order.line", "service_work_item_id", string="Sale Order Lines",
                                    readonly=True, groups=SALE_READERS)
    # The estimates' amounts are for who may see prices (``show_prices``): dispatchers and
    # supervisors, and the technicians of a company that allows it (Technicians See Prices, per
    # company); anybody else reads no amount (zero), in a view or over RPC.
    show_prices = fields.Boolean(compute="_compute_show_prices")
    currency_id = fields.Many2one("res.currency", compute="_compute_estimate")
    estimate_amount_untaxed = fields.Monetary("Estimate Untaxed", compute="_compute_estimate")
    estimate_amount_tax = fields.Monetary("Estimate Taxes", compute="_compute_estimate")
    estimate_amount_total = fields.Monetary(
        "Estimate Total", compute="_compute_estimate",
        help="The hours at the order type's labour price and the parts, at the customer's pricelist "
             "prices, taxes included: what the customer is asked to accept.")

    @api.depends("company_id.service_technician_prices")
    @api.depends_context("uid")
    def _compute_show_prices(self):
        is_dispatcher = self.env.su or self.env.user.has_group(DISPATCHER_GROUP)
        for item in self:
            # sudo: the company's setting, whichever company the user has selected
            item.show_prices = is_dispatcher or item.sudo().company_id.service_technician_prices

    @api.depends("estimated_hours", "part_ids.product_id", "part_ids.quantity", "order_id.partner_id",
                 "order_id.order_type_id.labour_product_id", "show_prices")
    @api.depends_context("uid")
    def _compute_estimate(self):
        # sudo: pricing reads the sale configuration (pricelists, taxes, fiscal positions) that a
        # dispatcher without Sales rights cannot read; nothing is written, and the amounts are
        # computed for the items whose prices the user may see only
        items = self.filtered("show_prices").sudo()
        estimates = {}
        for _order, order_items in items.filtered(lambda i: i.order_id.partner_id).grouped("order_id").items():
            estimate = order_items._get_estimate()
            estimates.update({item.id: (estimate["currency"], totals) for item, totals in estimate["items"]})
        for item in self:
            currency, totals = estimates.get(item.id, (item.company_id.currency_id, {}))
            item.currency_id = currency
            item.estimate_amount_untaxed = totals.get("untaxed", 0.0)
            item.estimate_amount_tax = totals.get("tax", 0.0)
            item.estimate_amount_total = totals.get("total", 0.0)

    # ------------------------------------------------------------------
    # The estimate
    # ------------------------------------------------------------------
    def _estimate_line_values(self):
        """What the item's estimate prices: its hours of the type's labour, and its parts."""
        self.ensure_one()
        labour = self.order_id.order_type_id.labour_product_id
        hours = [{"product_id": labour.id, "product_uom_qty": self.estimated_hours}] \
            if labour and self.estimated_hours else []
        return hours + [{"product_id": part.product_id.id, "product_uom_qty": part.quantity}
                        for part in self.part_ids if part.product_id]

    def _get_estimate(self):
        """The priced estimate of these work items of one order, as the order's sale order
        prices them (the customer's pricelist, the taxes after their fiscal position, the
        currency, the customer's language for the descriptions): unsaved sale order lines,
        priced and taxed by Odoo itself.

        Returns ``{"currency", "items": [(item, {"lines", "untaxed", "tax", "total"})],
        "by_item": {item id: the same}, "tax_totals"}``; ``tax_totals`` is Odoo's tax summary
        of them all (as the sale order's, for ``sale.document_tax_totals``). The caller decides
        who reads it."""
        order = self.order_id
        order.ensure_one()
        AccountTax = self.env["account.tax"]
        company = order.company_id
        vals = order._prepare_sale_order_values()
        if order.sale_order_id:
            vals["pricelist_id"] = order.sale_order_id.pricelist_id.id  # as a salesperson may have set it
        SaleOrderLine = self.env["sale.order.line"].with_company(company)
        sale_order = self.env["sale.order"].with_company(company).new(vals)
        currency = sale_order.currency_id or company.currency_id

        def summary(lines):
            base_lines = [line._prepare_base_line_for_taxes_computation() for line in lines]
            AccountTax._add_tax_details_in_base_lines(base_lines, company)
            AccountTax._round_base_lines_tax_details(base_lines, company)
            return AccountTax._get_tax_totals_summary(base_lines=base_lines, currency=currency, company=company)

        items, all_lines = [], SaleOrderLine
        for item in self:
            lines = SaleOrderLine
            for line_vals in item._estimate_line_values():
                lines |= SaleOrderLine.new(dict(line_vals, order_id=sale_order))
            totals = summary(lines)
            items.append((item, {
                "lines": [{
                    "name": line.name or line.product_id.display_name,
                    "quantity": line.product_uom_qty,
                    "uom": line.product_uom.name,
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                    "taxes": ", ".join(line.tax_id.mapped("name")),
                    "subtotal": currency.round(line.price_subtotal),
                    "is_labour": line.product_id == order.order_type_id.labour_product_id,
                } for line in lines],
                "untaxed": totals["base_amount_currency"],
                "tax": totals["tax_amount_currency"],
                "total": totals["total_amount_currency"],
            }))
            all_lines |= lines
        # the totals of them all: rounded together, as the sale order rounds its lines
        return {"currency": currency, "items": items, "by_item": {item.id: priced for item, priced in items},
                "tax_totals": summary(all_lines)}

    # ------------------------------------------------------------------
    # The sale order: an accepted item adds its section and parts
    # ------------------------------------------------------------------
    def _prepare_sale_line_values(self):
        """The lines of an accepted item on the sale order: a section named after it, and its
        parts (its hours go to the order's labour line)."""
        vals = []
        for item in self:
            vals.append({"display_type": "line_section", "name": item.complaint, "sequence": WORK_ITEM_SEQUENCE,
                         "service_work_item_id": item.id, "product_uom_qty": 0.0})
            vals += [{"product_id": part.product_id.id, "product_uom_qty": part.quantity,
                      "sequence": WORK_ITEM_SEQUENCE, "service_work_item_id": item.id,
                      "service_work_item_part_id": part.id} for part in item.part_ids]
        return vals

    def _on_state_changed(self, new_state):
        """Accepted (by the customer, a dispatcher, or no approval needed): on the sale order;
        done or cancelled: the sale order's quantities follow."""
        result = super()._on_state_changed(new_state)
        if new_state == "approved":
            # sudo: whether an item is on the sale order already (resumed after a hold)
            new = self.filtered(lambda i: not i.sudo().sale_line_ids)
            for order, items in new.grouped("order_id").items():
                order._add_to_sale_order(items._prepare_sale_line_values())
        elif new_state in ("done", "cancelled"):
            self.order_id._sync_sale_order()
        return result

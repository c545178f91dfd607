from markupsafe import Markup, escape

from odoo import api, fields, models


class ServiceConsentOnsite(models.TransientModel):
    """The customer's consent on site: on the technician's phone, the customer reads the work
    items waiting for them (hours, parts and, where the technician may see prices, the
    estimate), ticks the ones they accept, and signs. The order records it as a consent of its
    own (service.order.work.mixin._do_consent_on_site)."""

    _name = "service.consent.onsite"
    _inherit = ["service.wizard.mixin"]
    _description = "Customer Consent on Site"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    item_ids = fields.Many2many("service.work.item", string="Waiting for the Customer", compute="_compute_items")
    accepted_item_ids = fields.Many2many(
        "service.work.item", "service_consent_onsite_accepted_rel", "wizard_id", "item_id",
        string="Accepted", domain="[('id', 'in', item_ids)]",
        help="Tick the work the customer accepts; the others are refused.")
    summary = fields.Html(compute="_compute_items", sanitize=False)
    signed_by = fields.Char("Customer's Name")
    signature = fields.Binary("Customer's Signature")

    @api.depends("order_id")
    def _compute_items(self):
        for wizard in self:
            items = wizard.order_id.work_item_ids.filtered(lambda item: item.state == "waiting_customer")
            wizard.item_ids = items
            wizard.summary = Markup("").join(
                Markup("<div class='mb-2'><strong>%s</strong><br/><span class='text-muted'>%s</span><br/>%s</div>") % (
                    item.complaint, item.diagnosis or "", wizard._item_terms(item)) for item in items) or False

    def _item_terms(self, item):
        """Hours, parts and, where the user may see prices, the estimate's total: what the customer decides on."""
        parts = ", ".join(f"{part.quantity:g} {part.uom_id.name or ''} {part.product_id.display_name}".replace("  ", " ")
                          for part in item.part_ids)
        hours = format(item.estimated_hours, "g")
        terms = self.env._("%(hours)s h", hours=hours)
        if parts:
            terms = f"{terms} · {parts}"
        if item.show_prices and item.estimate_amount_total:
            total = item.currency_id.format(item.estimate_amount_total)
            terms = self.env._("%(terms)s · %(total)s taxes included", terms=terms, total=total)
        return escape(terms)

    def action_confirm(self):
        """Record the customer's signed decisions."""
        self.ensure_one()
        items = self.order_id.work_item_ids.filtered(lambda item: item.state == "waiting_customer")
        accepted = self.accepted_item_ids & items
        self.order_id._do_consent_on_site(accepted, items - accepted, self.signed_by, self.signature)
        return {"type": "ir.actions.act_window_close"}

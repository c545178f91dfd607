from odoo import Command, api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_default_supervisor_id = fields.Many2one(
        related="company_id.service_default_supervisor_id", readonly=False,
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "service_order.group_service_order_supervisor").ids)],
    )
    service_item_dispatcher_approval = fields.Boolean(
        related="company_id.service_item_dispatcher_approval", readonly=False)
    service_item_customer_consent = fields.Boolean(
        related="company_id.service_item_customer_consent", readonly=False)
    service_repair_dispatcher_approval = fields.Boolean(
        related="company_id.service_repair_dispatcher_approval", readonly=False)
    service_min_photos = fields.Integer(related="company_id.service_min_photos", readonly=False)
    service_status_link_hours = fields.Integer(related="company_id.service_status_link_hours", readonly=False)
    service_reschedule_by_dispatcher = fields.Boolean(related="company_id.service_reschedule_by_dispatcher",
                                                      readonly=False)
    # per company, as the approval options: a technician working for two companies reads the
    # estimates of the one that allows it only
    service_technician_prices = fields.Boolean(related="company_id.service_technician_prices", readonly=False)
    service_manager_amount = fields.Monetary(related="company_id.service_manager_amount", readonly=False)
    service_default_manager_id = fields.Many2one(
        related="company_id.service_default_manager_id", readonly=False,
        domain=lambda self: [("groups_id", "in", self.env.ref("service_order.group_service_order_manager").ids)],
    )

    @api.model
    def _service_enable_pricelists_in_use(self):
        """Turn Odoo's pricelist feature on when pricelists are active while it is off (a
        pricelist made before the feature, or by data): the settings would show it off and, when
        saved for anything else, archive every active pricelist, the estimates' among them.
        Returns whether it was turned on."""
        group = self.env.ref("product.group_product_pricelist")
        employees = self.env.ref("base.group_user")
        if group in employees.implied_ids or not self.env["product.pricelist"].sudo().search_count([], limit=1):
            return False
        # sudo: what saving the settings with Pricelists ticked does (the group for every employee,
        # and a pricelist per company that has none), by the update or the demo, not by a role
        employees.sudo().write({"implied_ids": [Command.link(group.id)]})
        self.env["res.company"].sudo()._activate_or_create_pricelists()
        return True

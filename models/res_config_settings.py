from odoo import fields, models


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
    # per company, as the approval options: a technician working for two companies reads the
    # estimates of the one that allows it only
    service_technician_prices = fields.Boolean(related="company_id.service_technician_prices", readonly=False)
    service_manager_amount = fields.Monetary(related="company_id.service_manager_amount", readonly=False)
    service_default_manager_id = fields.Many2one(
        related="company_id.service_default_manager_id", readonly=False,
        domain=lambda self: [("groups_id", "in", self.env.ref("service_order.group_service_order_manager").ids)],
    )

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_default_supervisor_id = fields.Many2one(
        related="company_id.service_default_supervisor_id", readonly=False,
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "service_order.group_service_order_supervisor").ids)],
    )

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_default_supervisor_id = fields.Many2one(
        "res.users", string="Default Service Supervisor", ondelete="set null",
        help="Proposed as the approver when a service order is submitted.",
    )

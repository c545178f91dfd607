from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_estimate_required = fields.Boolean(
        "Estimates Required",
        help="The work items of this customer's service orders wait for their consent to a priced "
             "estimate, whatever the company's setting.")

    service_subcontractor = fields.Boolean(
        help="Its contacts may be invited to the workspaces of service orders, beside the customer's.")

    @api.model
    def _commercial_fields(self):
        # a contact or an address of the customer follows the company's choice
        return super()._commercial_fields() + ["service_estimate_required", "service_subcontractor"]

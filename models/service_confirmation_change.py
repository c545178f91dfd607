from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .service_confirmation import _trail_error


class ServiceConfirmationChange(models.Model):
    _name = "service.confirmation.change"
    _description = "Service Order Confirmation: one changed field"
    _order = "confirmation_id, sequence, id"

    confirmation_id = fields.Many2one("service.confirmation", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="confirmation_id.company_id", store=True)
    sequence = fields.Integer()
    field_name = fields.Char(required=True)
    field_label = fields.Char("Field", required=True)
    old_value = fields.Text("Before")
    new_value = fields.Text("After")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Confirmations are made with Create a Confirmation on the order."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_trail_error(self.env))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_trail_error(self.env))

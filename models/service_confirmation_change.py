from odoo import fields, models


class ServiceConfirmationChange(models.Model):
    _name = "service.confirmation.change"
    _inherit = ["service.trail.mixin"]
    _trail_how = "Create a Confirmation on the order"
    _description = "Service Order Confirmation: one changed field"
    _order = "confirmation_id, sequence, id"

    confirmation_id = fields.Many2one("service.confirmation", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="confirmation_id.company_id", store=True)
    sequence = fields.Integer()
    field_name = fields.Char(required=True)
    field_label = fields.Char("Field", required=True)
    old_value = fields.Text("Before")
    new_value = fields.Text("After")

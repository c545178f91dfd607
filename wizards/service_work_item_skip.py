from odoo import fields, models


class ServiceWorkItemSkip(models.TransientModel):
    _name = "service.work.item.skip"
    _inherit = ["service.wizard.mixin"]
    _description = "Skip the Customer Consent of Work Items"

    work_item_ids = fields.Many2many("service.work.item", string="Work Items", required=True,
                                     domain=[("state", "=", "waiting_customer")])
    reason = fields.Text(required=True, help="Kept on the work items and posted in the chatter.")

    def action_confirm(self):
        """Approve the work items without the customer's answer through the link."""
        self.ensure_one()
        self.work_item_ids._do_skip_consent(self.reason)
        return {"type": "ir.actions.act_window_close"}
